import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { StackgenError } from '../../errors.js';
import { BUILTIN_TEMPLATES_DIR } from '../../render/engine.js';
import { USER_TEMPLATES_DIR, listTemplateFiles, templateDirsFor } from '../../render/repository-templates.js';
import { ProjectFs } from '../../tree/project-fs.js';
import { info, note, printJson, style } from '../output.js';
import { fromCwd, session } from '../session.js';
import { templateOptions } from './render.js';
import { COMMAND_META } from './meta.js';

interface ListArgs {
  dir: string;
  templates?: string[];
  trustTemplates: boolean;
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
  return listTemplateFiles(BUILTIN_TEMPLATES_DIR);
}

interface TemplateRow {
  template: string;
  /** An override file exists for it (in --templates DIR or the repository's folder). */
  overridden: boolean;
  /** Whether a render with the same flags would use that override. */
  used: boolean;
  file?: string;
  /** Why an existing override would not be used. */
  ignored?: string;
}

/** Each built-in template with the override a render would use, or the repository's one it would ignore. */
function templateRows(rootDir: string, args: ListArgs): TemplateRow[] {
  // As render and init decide, but for a run that writes (the env variable counts).
  const opts = templateOptions({ ...args, dryRun: false });
  const { dirs } = templateDirsFor(rootDir, opts);
  const repoDir = path.join(rootDir, USER_TEMPLATES_DIR);
  return builtinTemplates().map((t) => {
    const used = dirs.find((d) => fs.existsSync(path.join(d, t)));
    if (used) return { template: t, overridden: true, used: true, file: path.join(used, t) };
    if (fs.existsSync(path.join(repoDir, t))) {
      return { template: t, overridden: true, used: false, file: path.join(repoDir, t), ignored: 'repository templates are not trusted (--trust-templates)' };
    }
    return { template: t, overridden: false, used: false };
  });
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list [dir]',
  describe: 'List the built-in templates, the overrides that exist, and whether a render would use them',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder' })
      .option('templates', { type: 'string', array: true, describe: 'Template folder a render would be given (repeatable)' })
      .option('trust-templates', { type: 'boolean', default: false, describe: "As a render trusting the repository's .stackgen/templates would see it" }) as never,
  handler: (args) => {
    const rootDir = fromCwd(args.dir);
    const rows = templateRows(rootDir, args);
    const known = new Set(rows.map((r) => r.template));
    const unmatched = listTemplateFiles(path.join(rootDir, USER_TEMPLATES_DIR)).filter((t) => !known.has(t));
    if (args.json) {
      printJson(rows);
      return;
    }
    for (const r of rows) {
      const label = !r.overridden ? style.dim('built-in  ') : r.used ? style.yellow('overridden') : style.red('ignored   ');
      const from = r.file ? style.dim(`  ← ${path.relative(session().io.cwd, r.file) || r.file}${r.ignored ? ` (${r.ignored})` : ''}`) : '';
      info(`${label} ${r.template}${from}`);
    }
    if (unmatched.length > 0) note(`${style.yellow('note')}: ${unmatched.length} file(s) in ${USER_TEMPLATES_DIR}/ shadow no built-in template (reachable only by {% include %} from a trusted one): ${unmatched.join(', ')}`);
  },
};

const ejectCommand: CommandModule<object, EjectArgs> = {
  command: 'eject <name> [dir]',
  describe: 'Copy a built-in template (a file or a folder, e.g. dockerfile/node) into .stackgen/templates to customise it',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'Template path or folder as `stackgen templates list` shows it' })
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder' })
      .option('to', { type: 'string', describe: `Destination folder, anywhere you choose (default: <dir>/${USER_TEMPLATES_DIR})` })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite templates already ejected' }) as never,
  handler: (args) => {
    const name = args.name.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
    const all = builtinTemplates();
    const picked = all.filter((t) => t === name || t.startsWith(`${name}/`));
    if (picked.length === 0 || name.split('/').includes('..')) {
      throw new StackgenError('E_INPUT', `no built-in template named ${args.name}`, { hint: 'See `stackgen templates list` for the names.' });
    }
    // Default: inside the project, confined to it like every other write. With --to the folder is the
    // user's explicit choice (it may be anywhere, and may itself be a link they made); below it the
    // same rules hold, so a link already inside it cannot redirect the copies.
    const rootDir = fromCwd(args.dir);
    const files = args.to ? new ProjectFs(fromCwd(args.to)) : new ProjectFs(rootDir);
    const rel = (t: string) => (args.to ? t : `${USER_TEMPLATES_DIR}/${t}`);
    const abs = (t: string) => path.join(files.rootDir, rel(t));
    const existing = picked.filter((t) => files.exists(rel(t)));
    if (existing.length > 0 && !args.force) {
      throw new StackgenError('E_CONFLICT', `already ejected: ${existing.join(', ')}`, {
        hint: 'Your copies are kept. Re-run with --force to replace them with the built-in versions.',
        locations: existing.map((t) => ({ file: abs(t) })),
      });
    }
    for (const t of picked) files.writeAtomic(rel(t), fs.readFileSync(path.join(BUILTIN_TEMPLATES_DIR, t)));
    if (args.json) printJson({ ejected: picked.map(abs) });
    else {
      for (const t of picked) info(`${style.green('+')} ${abs(t)}`);
      note(
        args.to
          ? style.dim(`render with --templates ${args.to} to use ${picked.length === 1 ? 'it' : 'them'}.`)
          : style.dim(`render with --trust-templates to use ${picked.length === 1 ? 'it' : 'them'}: a repository's templates are code and are never used implicitly.`),
      );
    }
  },
};

export const templatesCommand: CommandModule = {
  ...COMMAND_META.templates,
  builder: (y) => y.command(listCommand as CommandModule).command(ejectCommand as CommandModule).demandCommand(1),
  handler: () => undefined,
};
