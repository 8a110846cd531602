import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { StackgenError } from '../../errors.js';
import { BUILTIN_TEMPLATES_DIR } from '../../render/engine.js';
import { USER_TEMPLATES_DIR } from '../../render/render.js';
import { info, printJson, style } from '../output.js';

interface ListArgs {
  dir: string;
  json: boolean;
}

interface EjectArgs {
  name: string;
  dir: string;
  to?: string;
  force: boolean;
  json: boolean;
}

/** Every built-in template, as paths relative to templates/ (posix), sorted. */
export function builtinTemplates(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(BUILTIN_TEMPLATES_DIR, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list [dir]',
  describe: 'List the built-in templates and which ones your project shadows',
  builder: (y) => y.positional('dir', { type: 'string', default: '.', describe: 'Repository folder' }) as never,
  handler: (args) => {
    const userDir = path.join(path.resolve(args.dir), USER_TEMPLATES_DIR);
    const rows = builtinTemplates().map((t) => ({ template: t, overridden: fs.existsSync(path.join(userDir, t)), file: path.join(userDir, t) }));
    if (args.json) {
      printJson(rows.map((r) => ({ template: r.template, overridden: r.overridden, ...(r.overridden ? { file: r.file } : {}) })));
      return;
    }
    for (const r of rows) info(`${r.overridden ? style.yellow('overridden') : style.dim('built-in  ')} ${r.template}${r.overridden ? style.dim(`  ← ${path.relative(process.cwd(), r.file)}`) : ''}`);
  },
};

const ejectCommand: CommandModule<object, EjectArgs> = {
  command: 'eject <name> [dir]',
  describe: 'Copy a built-in template (a file or a folder, e.g. dockerfile/node) into .stackgen/templates to customise it',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'Template path or folder as `stackgen templates list` shows it' })
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder' })
      .option('to', { type: 'string', describe: `Destination folder (default: <dir>/${USER_TEMPLATES_DIR})` })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite templates already ejected' }) as never,
  handler: (args) => {
    const name = args.name.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
    const all = builtinTemplates();
    const picked = all.filter((t) => t === name || t.startsWith(`${name}/`));
    if (picked.length === 0 || name.split('/').includes('..')) {
      throw new StackgenError('E_INPUT', `no built-in template named ${args.name}`, { hint: 'See `stackgen templates list` for the names.' });
    }
    const dest = path.resolve(args.to ?? path.join(path.resolve(args.dir), USER_TEMPLATES_DIR));
    const existing = picked.filter((t) => fs.existsSync(path.join(dest, t)));
    if (existing.length > 0 && !args.force) {
      throw new StackgenError('E_CONFLICT', `already ejected: ${existing.join(', ')}`, {
        hint: 'Your copies are kept. Re-run with --force to replace them with the built-in versions.',
        locations: existing.map((t) => ({ file: path.join(dest, t) })),
      });
    }
    for (const t of picked) {
      const target = path.join(dest, t);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(BUILTIN_TEMPLATES_DIR, t), target);
    }
    if (args.json) printJson({ ejected: picked.map((t) => path.join(dest, t)) });
    else for (const t of picked) info(`${style.green('+')} ${path.join(dest, t)}`);
  },
};

export const templatesCommand: CommandModule = {
  command: 'templates <command>',
  describe: 'List or eject the templates stackgen renders from',
  builder: (y) => y.command(listCommand as CommandModule).command(ejectCommand as CommandModule).demandCommand(1),
  handler: () => undefined,
};
