/**
 * The one error type stackgen throws on purpose, and the only place exit codes live.
 * The library throws; only the CLI's error boundary turns a code into a process exit code.
 */

export type ErrorCode =
  /** The user pointed at something that is not there, or not a folder / file of the right kind. */
  | 'E_INPUT'
  /** A file the user wrote (spec, manifest, config) is invalid. */
  | 'E_INVALID'
  /** A check stackgen ran found problems (lint errors, verify failures). */
  | 'E_CHECK_FAILED'
  /** Writing would overwrite something the user owns; re-run with --force. */
  | 'E_CONFLICT'
  /** Docker (or another external service) is unreachable or failed transiently. */
  | 'E_UNAVAILABLE'
  /** The user interrupted (Ctrl-C, SIGTERM). */
  | 'E_INTERRUPTED'
  /** A bug in stackgen itself. */
  | 'E_INTERNAL';

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  E_INPUT: 2,
  E_INVALID: 1,
  E_CHECK_FAILED: 1,
  E_CONFLICT: 3,
  // EX_TEMPFAIL from sysexits.h: CI systems and scripts know it means "try again later".
  E_UNAVAILABLE: 75,
  E_INTERRUPTED: 130,
  E_INTERNAL: 70,
};

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  /** JSON path inside the file, e.g. `services.api.port`. */
  path?: string;
  /** What is wrong at this place, when one error stands for several findings. */
  message?: string;
  /** How to fix this one finding. */
  hint?: string;
}

export interface StackgenErrorOptions {
  /** What the user can do about it, in one sentence. */
  hint?: string;
  /** Where the problem is; several when one error stands for many findings. */
  locations?: ErrorLocation[];
  /** Machine-readable extra data (printed with --json). */
  details?: unknown;
  cause?: unknown;
}

export class StackgenError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly locations: ErrorLocation[];
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: StackgenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StackgenError';
    this.code = code;
    this.hint = options.hint;
    this.locations = options.locations ?? [];
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

export function isStackgenError(value: unknown): value is StackgenError {
  return value instanceof StackgenError;
}

/** `file:line:col` as editors and terminals make clickable. */
export function formatLocation(loc: ErrorLocation): string {
  let out = loc.file;
  if (loc.line !== undefined) {
    out += `:${loc.line}`;
    if (loc.column !== undefined) out += `:${loc.column}`;
  }
  return out;
}
