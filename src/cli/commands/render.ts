import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { generate, type GenerateOptions, type GeneratedStack } from '../../generate.js';
import { loadImageMap } from '../../images/image-map.js';
import { TRUST_TEMPLATES_ENV } from '../../render/repository-templates.js';
import type { Spec } from '../../spec/types.generated.js';
import { conflictError, note, printChanges, printJson, style } from '../output.js';
import { cliEnv, fromCwd } from '../session.js';
import { printGateFindings } from './lint.js';
import { COMMAND_META } from './meta.js';

/** The flags every command that writes the stack takes (render, init). */
export interface WriteArgs {
  dryRun: boolean;
  force: boolean;
  pruneEdited: boolean;
  lintGate: boolean;
  templates?: string[];
  trustTemplates: boolean;
  json: boolean;
}

interface RenderArgs extends WriteArgs {
  dir: string;
  spec?: string;
  imageMap?: string;
}

/** Adds the write flags to a command's builder; each one does one thing. */
export function writeFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .option('dry-run', { type: 'boolean', default: false, describe: 'Show the changes and a unified diff; write nothing' })
    .option('force', { type: 'boolean', default: false, describe: 'Overwrite conflicting files: ones you edited and ones stackgen did not write' })
    .option('prune-edited', { type: 'boolean', default: false, describe: 'Also delete files no longer generated that you edited (kept otherwise)' })
    .option('lint-gate', { type: 'boolean', default: true, describe: 'Refuse to write when lint finds an error (--no-lint-gate writes anyway)' })
    .option('templates', { type: 'string', array: true, describe: 'Folder of templates shadowing the built-in ones (repeatable)' })
    .option('trust-templates', {
      type: 'boolean',
      default: false,
      describe: `Use the repository's own .stackgen/templates (templates are code; ignored unless trusted; ${TRUST_TEMPLATES_ENV}=1 outside a dry run)`,
    }) as Argv<T>;
}

/**
 * The template options a run's flags give. The environment variable counts only for runs that write:
 * a dry run is how people look at a repository they do not trust yet, so it needs the flag itself.
 */
export function templateOptions(args: Pick<WriteArgs, 'templates' | 'trustTemplates' | 'dryRun'>): { templateDirs?: string[]; trustTemplates: boolean } {
  const fromEnv = cliEnv()[TRUST_TEMPLATES_ENV] === '1' && !args.dryRun;
  return { ...(args.templates ? { templateDirs: args.templates.map(fromCwd) } : {}), trustTemplates: args.trustTemplates || fromEnv };
}

/**
 * The library's `generate` with a run's flags: the tree's warnings and the gate's findings are printed
 * as they come. `extra` carries what only the caller knows (init's own spec file, an image map).
 */
export async function generateFromArgs(input: Spec | string, args: WriteArgs & { rootDir: string; imageMap?: string }, extra: Pick<GenerateOptions, 'userFiles' | 'specFile'> = {}): Promise<GeneratedStack> {
  const options: GenerateOptions & { rootDir: string } = {
    ...extra,
    rootDir: args.rootDir,
    ...templateOptions(args),
    ...(args.imageMap ? { imageMap: loadImageMap(fromCwd(args.imageMap)) } : {}),
    force: args.force,
    pruneEdited: args.pruneEdited,
    dryRun: args.dryRun,
    lintGate: args.lintGate,
    onRendered: (tree) => {
      for (const w of tree.warnings) note(`${style.yellow('warning')}: ${w.message}${w.hint ? `\n  ${style.dim(w.hint)}` : ''}`);
    },
    onLint: (result) => printGateFindings(result, { json: args.json, lintGate: args.lintGate }),
  };
  const generated = typeof input === 'string' ? await generate(input, options) : await generate(input, options);
  if (generated.ungatedErrors > 0 && !args.json) note(`${style.yellow('warning')}: writing despite ${generated.ungatedErrors} lint error(s) (--no-lint-gate)`);
  return generated;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  ...COMMAND_META.render,
  builder: (y) =>
    writeFlags(
      y
        .positional('dir', { type: 'string', default: '.', describe: 'Repository folder (where stackgen.yaml lives)' })
        .option('spec', { type: 'string', describe: 'Spec file (default: <dir>/stackgen.yaml)' })
        .option('image-map', { type: 'string', describe: 'Image map YAML (mirror / overrides) applied to every image reference' }),
    ) as never,
  handler: async (args) => {
    const rootDir = fromCwd(args.dir);
    const { flushed, diff, lint, warnings } = await generateFromArgs(rootDir, { ...args, rootDir }, { specFile: args.spec ? fromCwd(args.spec) : path.join(rootDir, 'stackgen.yaml') });
    if (args.json) printJson({ dryRun: flushed.dryRun, changes: flushed.changes, ...(args.dryRun ? { diff } : {}), findings: lint.findings, warnings });
    else printChanges(flushed, diff);
    if (flushed.conflicts.length > 0) throw conflictError(rootDir, flushed.conflicts, 'render');
  },
};
