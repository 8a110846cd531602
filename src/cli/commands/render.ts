import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import type { CommandModule } from 'yargs';
import { parseDocument } from 'yaml';
import { StackgenError } from '../../errors.js';
import { loadImageMap } from '../../images/image-map.js';
import { render } from '../../render/render.js';
import type { Spec } from '../../spec/types.generated.js';
import { conflictError, printChanges, printJson } from '../output.js';
import { lintGate } from './lint.js';

interface RenderArgs {
  dir: string;
  spec?: string;
  dryRun: boolean;
  force: boolean;
  templates?: string[];
  imageMap?: string;
  json: boolean;
}

export const renderCommand: CommandModule<object, RenderArgs> = {
  command: 'render [dir]',
  describe: 'Render the Docker stack from stackgen.yaml (Dockerfiles, compose, .env, …)',
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder (where stackgen.yaml lives)' })
      .option('spec', { type: 'string', describe: 'Spec file (default: <dir>/stackgen.yaml)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Show the changes and a unified diff; write nothing' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite files you edited or that stackgen did not write' })
      .option('templates', { type: 'string', array: true, describe: 'Folder of templates shadowing the built-in ones (repeatable)' })
      .option('image-map', { type: 'string', describe: 'Image map YAML (mirror / overrides) applied to every image reference' }) as never,
  handler: async (args) => {
    const rootDir = path.resolve(args.dir);
    const specFile = path.resolve(args.spec ?? path.join(rootDir, 'stackgen.yaml'));
    const spec = await loadSpecFile(specFile);
    const options: Parameters<typeof render>[1] = { rootDir };
    if (args.imageMap) options.imageMap = loadImageMap(path.resolve(args.imageMap));
    if (args.templates) options.templateDirs = args.templates.map((d) => path.resolve(d));
    const tree = await render(spec, options);
    const lint = await lintGate(tree, { force: args.force, json: args.json, spec });
    const diff = args.dryRun ? tree.diff() : '';
    const flushed = tree.flush({ force: args.force, dryRun: args.dryRun });
    if (args.json) printJson({ dryRun: flushed.dryRun, changes: flushed.changes, ...(args.dryRun ? { diff } : {}), findings: lint.findings });
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
