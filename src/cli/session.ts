/**
 * One CLI run's world: where its output goes, its environment, its working folder and the exit code it
 * ends with. The real process gets `processIo()`; a test (or a program embedding the CLI) passes its own,
 * and the run reads nothing else of the process, so runs one after another in one process do not leak
 * colour, a printed JSON document or an exit code into each other. One run at a time: on Node 20 an
 * AsyncLocalStorage would make every promise of the run pay for async hooks (render took ~60 ms longer).
 */
import path from 'node:path';
import { StackgenError } from '../errors.js';

export interface CliOutput {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Whether a person can answer prompts (standard input is a terminal). */
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** The folder relative paths on the command line are resolved against. */
  cwd: string;
}

interface Session {
  io: CliIo;
  color: boolean;
  /** With --json, stdout holds exactly one document: the error boundary adds none after a result. */
  jsonPrinted: boolean;
  exitCode: number | undefined;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdinIsTTY: Boolean(process.stdin.isTTY), env: process.env, cwd: process.cwd() };
}

let current: Session | undefined;
let outside: Session | undefined;

function newSession(io: CliIo): Session {
  return { io, color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR, jsonPrinted: false, exitCode: undefined };
}

/** The current run; code called outside `withSession` (a library user printing a topology) gets the process's. */
export function session(): Session {
  if (current) return current;
  outside ??= newSession(processIo());
  return outside;
}

export async function withSession<T>(io: CliIo, run: () => Promise<T>): Promise<T> {
  if (current) throw new StackgenError('E_INTERNAL', 'a stackgen CLI run is already in progress in this process; run commands one after another');
  current = newSession(io);
  try {
    return await run();
  } finally {
    current = undefined;
  }
}

/** The exit code the run ends with when no error ends it first (lint findings, a failed verify). */
export function setExitCode(code: number): void {
  session().exitCode = code;
}

/** A path from the command line, made absolute against the run's working folder. */
export function fromCwd(p: string): string {
  return path.resolve(session().io.cwd, p);
}

export function cliEnv(): NodeJS.ProcessEnv {
  return session().io.env;
}
