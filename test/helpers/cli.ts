/**
 * Runs the built CLI (bin/stackgen.js) as a user would, without blocking the test worker: a
 * synchronous spawn holds the worker's event loop, and on a busy machine vitest's own messages to it
 * then time out ("Timeout calling onTaskUpdate") although every test passed.
 */
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './fixtures.js';

export const BIN = path.join(REPO_ROOT, 'bin/stackgen.js');

export interface CliResult {
  /** The exit code; null when the process was killed (timeout, signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CliOptions {
  /** Working folder. Default: the repository root. */
  cwd?: string;
  /** The whole environment of the process (not merged with this one's). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** Standard input. Default: empty. */
  input?: string;
  /** Milliseconds before the process is killed. Default: 90 000. */
  timeout?: number;
}

export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    extendEnv: false,
    input: options.input ?? '',
    timeout: options.timeout ?? 90_000,
    reject: false,
    stripFinalNewline: false,
  });
  return { code: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut: Boolean(r.timedOut) };
}
