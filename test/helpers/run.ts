/**
 * Runs a program without blocking the test worker. A synchronous child process (execFileSync,
 * spawnSync) holds the worker's event loop for as long as the child runs; vitest's worker RPC gives
 * each message 60 s, and on a loaded machine a child that long made it fail with
 * `Timeout calling "onTaskUpdate"` although every test passed (BENCHMARKS.md, "Test suite under load").
 */
import { execa } from 'execa';

export interface RunResult {
  /** The exit code; null when the program could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** The whole environment (not merged with this process's). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  input?: string;
}

export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const r = await execa(file, args, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: options.env ?? process.env,
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
  });
  return { code: r.failed && r.exitCode === undefined ? null : (r.exitCode ?? null), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}
