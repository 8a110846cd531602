/**
 * The lint framework: each file goes to the linter for its kind; findings come back sorted, with
 * inline ignores and the lint config applied. Linters read only the files given (from disk via
 * `lintPaths`, or from the rendered tree via `lintTree`) and never write.
 */
import type { VirtualTree } from '../tree/virtual-tree.js';
import { createComposeLinter, HOST_ESCAPE_RULES } from './compose.js';
import { applyLintConfig, DEFAULT_LINT_CONFIG, failsThreshold, type LintConfig } from './config.js';
import { collectFiles, detectKind } from './discover.js';
import { createDockerfileLinter } from './dockerfile/index.js';
import { gitlabLinter } from './gitlab.js';
import { kubernetesLinter } from './kubernetes/index.js';
import { grafanaLinters } from './grafana.js';
import { createPrometheusLinters } from './prometheus.js';
import type { ArtifactKind, Finding, LintContext, LintFile, Linter } from './types.js';
import type { PinCheckOptions } from './action-pins.js';
import { loadActionlint } from './actionlint.js';
import { createWorkflowLinter, workflowLinter } from './workflow.js';

export interface LintOptions {
  /** Run external tools (hadolint, promtool when on PATH; actionlint's wasm build). Default true. */
  external?: boolean;
  /** Ignores, severity overrides and the failure threshold. Default: none, threshold `error`. */
  config?: LintConfig;
  /** No registry is reachable: flag what would pull at build time (e.g. `# syntax=`). Default false. */
  airGapped?: boolean;
  /** Use the built-in Prometheus checks even when promtool is on PATH. Default false. */
  builtinPrometheus?: boolean;
  /** PATH searched for external tools; default `process.env.PATH`. */
  pathEnv?: string;
  /** Check every SHA-pinned GitHub action against its release tag with `git ls-remote` (networked). Default off. */
  checkPins?: PinCheckOptions | false;
  /**
   * Folder relative paths resolve against on disk, for checks that look past the linted files (COPY
   * sources, SG1006). `lintPaths` uses the working directory, `lintTree` the tree's root; `lintFiles`
   * skips those checks unless it is given.
   */
  root?: string;
  /** Build context for a Dockerfile that no linted compose file builds (`--context DIR`). Default the Dockerfile's folder. */
  context?: string;
}

export interface LintResult {
  findings: Finding[];
  /** Every file read, lintable or context (.env, .hadolint.yaml), for code frames. */
  files: LintFile[];
  /** True when a finding is at or above the config's failure threshold. */
  failed: boolean;
}

function linters(options: LintOptions): Map<ArtifactKind, Linter> {
  const all: Linter[] = [
    createDockerfileLinter({ airGapped: options.airGapped ?? false, ...(options.pathEnv ? { pathEnv: options.pathEnv } : {}) }),
    createComposeLinter(),
    ...createPrometheusLinters({ builtinOnly: options.builtinPrometheus ?? false, ...(options.pathEnv ? { pathEnv: options.pathEnv } : {}) }),
    ...grafanaLinters,
    options.checkPins ? createWorkflowLinter({ checkPins: options.checkPins }) : workflowLinter,
    gitlabLinter,
    kubernetesLinter,
  ];
  return new Map(all.map((l) => [l.kind, l]));
}

const PRAGMA = /#\s*stackgen-lint\s+(global\s+)?ignore=([A-Za-z0-9:_,-]+)[ \t]*(.*)$/;

/**
 * `# stackgen-lint ignore=SG2005 <reason>` silences the rule on the next line; `# stackgen-lint
 * global ignore=…` anywhere in the file silences it for the whole file (YAML files; Dockerfiles use hadolint's pragmas).
 * A rule that hands the host to a container (HOST_ESCAPE_RULES) is silenced only by a pragma that says why.
 */
export function applyPragmas(findings: readonly Finding[], file: LintFile): Finding[] {
  if (!file.content.includes('stackgen-lint')) return [...findings];
  const global = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  file.content.split('\n').forEach((text, i) => {
    const m = PRAGMA.exec(text);
    if (!m) return;
    const reason = m[3]!.trim();
    const rules = m[2]!.split(',').filter((r) => r && (reason !== '' || !HOST_ESCAPE_RULES.has(r)));
    if (m[1]) rules.forEach((r) => global.add(r));
    // Trailing comment: this line; own line: the next one.
    const target = text.trim().startsWith('#') ? i + 2 : i + 1;
    byLine.set(target, new Set([...(byLine.get(target) ?? []), ...rules]));
  });
  return findings.filter((f) => !global.has(f.rule) && !(f.file === file.path && byLine.get(f.line)?.has(f.rule)));
}

function sortFindings(findings: Finding[]): Finding[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return findings.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.rule, b.rule));
}

/** Lints every file whose kind a linter takes; other files are context only. */
export async function lintFiles(files: readonly LintFile[], options: LintOptions = {}): Promise<Finding[]> {
  const byKind = linters(options);
  const ctx: LintContext = {
    files,
    external: options.external ?? true,
    ...(options.root !== undefined ? { root: options.root } : {}),
    ...(options.context !== undefined ? { contextDir: options.context } : {}),
  };
  const out: Finding[] = [];
  // actionlint compiles and warms up on its own thread while the other files are linted; workflows go last.
  const workflowLast = (f: LintFile) => (detectKind(f) === 'github-workflow' ? 1 : 0);
  if (ctx.external && byKind.has('github-workflow') && files.some((f) => workflowLast(f) === 1)) void loadActionlint();
  for (const file of [...files].sort((a, b) => workflowLast(a) - workflowLast(b))) {
    const kind = detectKind(file);
    const linter = kind ? byKind.get(kind) : undefined;
    if (!linter) continue;
    const found = await linter.lint(file, ctx);
    if (kind !== 'dockerfile') out.push(...applyPragmas(found, file));
    else {
      // Dockerfiles use hadolint's pragmas; a finding a Dockerfile check puts on another file (SG1008 on compose) honours that file's.
      out.push(...found.filter((f) => f.file === file.path));
      for (const other of new Set(found.filter((f) => f.file !== file.path).map((f) => f.file))) {
        const target = files.find((f) => f.path === other);
        const theirs = found.filter((f) => f.file === other);
        out.push(...(target ? applyPragmas(theirs, target) : theirs));
      }
    }
  }
  return sortFindings(applyLintConfig(out, options.config ?? DEFAULT_LINT_CONFIG));
}

async function result(files: LintFile[], options: LintOptions): Promise<LintResult> {
  const findings = await lintFiles(files, options);
  return { findings, files, failed: failsThreshold(findings, (options.config ?? DEFAULT_LINT_CONFIG).failureThreshold) };
}

/** Lints files and folders on disk (folders walked, skipping node_modules and .git); relative paths are read from `root`. */
export async function lintPaths(paths: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const root = options.root ?? process.cwd();
  return result(collectFiles(paths, root), { ...options, root });
}

/** Lints the rendered, not yet flushed tree: what `render` and `init` check before writing. */
export async function lintTree(tree: VirtualTree, options: LintOptions = {}): Promise<LintResult> {
  return result(
    tree.files().map((e) => ({ path: e.path, content: e.content })),
    { root: tree.rootDir, ...options },
  );
}

/** Alias of `lintPaths` for the library API. */
export const lint = lintPaths;

export { applyLintConfig, failsThreshold, loadLintConfig, parseLintConfig, DEFAULT_LINT_CONFIG } from './config.js';
export type { LintConfig } from './config.js';
export { collectFiles, detectKind } from './discover.js';
export { formatJson, formatText, summarize, codeFrame } from './format.js';
export { toSarif } from './sarif.js';
export type { SarifOptions } from './sarif.js';
export type { ArtifactKind, Finding, LintContext, LintFile, Linter, Severity } from './types.js';
