import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { Argv, CommandModule } from 'yargs';
import { parseDocument } from 'yaml';
import { StackgenError } from '../../errors.js';
import { loadImageMap } from '../../images/image-map.js';
import { render } from '../../render/render.js';
import type { Spec } from '../../spec/types.generated.js';
import { airGappedFromSpec, writeStack, type WrittenStack, type WriteStackOptions } from '../../generate.js';
import { TRUST_TEMPLATES_ENV } from '../../render/repository-templates.js';
import type { VirtualTree } from '../../tree/virtual-tree.js';
import { conflictError, note, printChanges, printJson, style } from '../output.js';
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
  const fromEnv = process.env[TRUST_TEMPLATES_ENV] === '1' && !args.dryRun;
  return { ...(args.templates ? { templateDirs: args.templates.map((d) => path.resolve(d)) } : {}), trustTemplates: args.trustTemplates || fromEnv };
}

/** Prints the tree's warnings, then lints and writes it through the library's gate. */
export async function writeFromArgs(tree: VirtualTree, args: WriteArgs, extra: Pick<WriteStackOptions, 'airGapped' | 'userFiles'>): Promise<WrittenStack> {
  for (const w of tree.warnings) note(`${style.yellow('warning')}: ${w.message}${w.hint ? `\n  ${style.dim(w.hint)}` : ''}`);
  const written = await writeStack(tree, {
    ...extra,
    force: args.force,
    pruneEdited: args.pruneEdited,
    dryRun: args.dryRun,
    lintGate: args.lintGate,
    onLint: (result) => printGateFindings(result, { json: args.json, lintGate: args.lintGate }),
  });
  if (written.ungatedErrors > 0 && !args.json) note(`${style.yellow('warning')}: writing despite ${written.ungatedErrors} lint error(s) (--no-lint-gate)`);
  return written;
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
    const rootDir = path.resolve(args.dir);
    const specFile = path.resolve(args.spec ?? path.join(rootDir, 'stackgen.yaml'));
    const spec = await loadSpecFile(specFile);
    const options: Parameters<typeof render>[1] = { rootDir, ...templateOptions(args) };
    if (args.imageMap) options.imageMap = loadImageMap(path.resolve(args.imageMap));
    const tree = await render(spec, options);
    const { flushed, diff, lint, warnings } = await writeFromArgs(tree, args, { airGapped: airGappedFromSpec(spec) });
    if (args.json) printJson({ dryRun: flushed.dryRun, changes: flushed.changes, ...(args.dryRun ? { diff } : {}), findings: lint.findings, warnings });
    else printChanges(flushed, diff);
    if (flushed.conflicts.length > 0) throw conflictError(rootDir, flushed.conflicts, 'render');
  },
};

/**
 * Reads and validates the spec, applying the schema's defaults. The spec module's `loadSpec` (with
 * positions in errors) is preferred when present; this keeps `render` usable without it.
 */
export async function loadSpecFile(file: string): Promise<Spec> {
  try {
    const mod = (await import('../../spec/load.js' as string)) as { loadSpec?: (f: string) => { spec: Spec } };
    if (typeof mod.loadSpec === 'function') return mod.loadSpec(file).spec;
  } catch (err) {
    if (!isModuleNotFound(err)) throw err;
  }
  return loadSpecMinimal(file);
}

function isModuleNotFound(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('spec/load');
}

const SCHEMA_FILE = new URL('../../../schemas/stackgen.schema.json', import.meta.url);

export function loadSpecMinimal(file: string): Spec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new StackgenError('E_INPUT', `${file}: no spec here`, { hint: 'Run `stackgen init` to write one, or pass --spec FILE.', cause, locations: [{ file }] });
  }
  const doc = parseDocument(text);
  if (doc.errors[0]) {
    const e = doc.errors[0];
    throw new StackgenError('E_INVALID', `${file}: invalid YAML: ${e.message.split('\n')[0]}`, { locations: [{ file, line: e.linePos?.[0].line, column: e.linePos?.[0].col }] });
  }
  return specFromValue(doc.toJS() as unknown, file);
}

/** Validates a parsed spec against the schema and fills in its defaults (in place). */
export function specFromValue(value: unknown, file = 'stackgen.yaml'): Spec {
  const ajv = new Ajv2020({ useDefaults: true, allErrors: true, strict: false });
  const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: Ajv2020) => void;
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as object);
  if (!validate(value)) {
    throw new StackgenError('E_INVALID', `${file}: the spec does not match the schema`, {
      locations: (validate.errors ?? []).map((e) => ({ file, path: `${e.instancePath || '/'} ${e.message ?? ''}`.trim() })),
      hint: 'Fix the listed fields (the schema is schemas/stackgen.schema.json).',
    });
  }
  return value as Spec;
}
