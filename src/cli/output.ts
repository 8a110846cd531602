/**
 * Terminal output: colour only for a person at a terminal (off with --no-color, NO_COLOR, or a pipe),
 * and every command's human output goes through here so --json can keep stdout machine-clean.
 */
import { formatLocation, isStackgenError, StackgenError } from '../errors.js';

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
}

let colorOn = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

export function setColor(on: boolean): void {
  colorOn = on && !process.env.NO_COLOR;
}

const wrap = (open: number, close: number) => (s: string) => (colorOn ? `\u001b[${open}m${s}\u001b[${close}m` : s);
export const style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
};

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and notes go to stderr so stdout stays the command's result. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The error as a person reads it: message, each location, the hint; the stack only with --verbose. */
export function formatError(err: unknown, verbose: boolean): string {
  if (isStackgenError(err)) {
    const lines = [`${style.red('error')}: ${err.message}`];
    for (const loc of err.locations.slice(0, 50)) {
      lines.push(`  ${style.cyan(formatLocation(loc))}${loc.path ? ` ${loc.path}` : ''}${loc.message ? `: ${loc.message}` : ''}`);
      if (loc.hint) lines.push(`    ${style.dim(loc.hint)}`);
    }
    if (err.locations.length > 50) lines.push(`  … and ${err.locations.length - 50} more`);
    if (err.hint) lines.push(`${style.yellow('hint')}: ${err.hint}`);
    if (verbose && err.cause instanceof Error && err.cause.stack) lines.push(style.dim(err.cause.stack));
    if (verbose && err.stack) lines.push(style.dim(err.stack));
    return lines.join('\n');
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const lines = [`${style.red('internal error')}: ${e.message}`];
  lines.push(verbose && e.stack ? style.dim(e.stack) : 'Re-run with --verbose for the stack trace, and please report it.');
  return lines.join('\n');
}

export function errorJson(err: unknown): unknown {
  if (isStackgenError(err)) {
    return { error: { code: err.code, message: err.message, hint: err.hint ?? null, locations: err.locations, details: err.details ?? null } };
  }
  return { error: { code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err) } };
}

export function toStackgenError(err: unknown): StackgenError {
  return isStackgenError(err) ? err : new StackgenError('E_INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
}
