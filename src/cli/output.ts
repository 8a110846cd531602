/**
 * Terminal output: colour only for a person at a terminal (off with --no-color, NO_COLOR, or a pipe),
 * and every command's human output goes through here so --json can keep stdout machine-clean.
 */
import path from 'node:path';
import { formatLocation, isStackgenError, StackgenError } from '../errors.js';
import { CI_FILES } from '../render/artifacts/ci-files.js';
import type { Change, FlushedTree } from '../tree/virtual-tree.js';
import { session } from './session.js';

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  color: boolean;
}

export function setColor(on: boolean): void {
  const s = session();
  s.color = on && !s.io.env.NO_COLOR;
}

const wrap = (open: number, close: number) => (s: string) => (session().color ? `\u001b[${open}m${s}\u001b[${close}m` : s);
export const style = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  cyan: wrap(36, 39),
};

// With --json, stdout holds exactly one JSON document: a command that already printed its result
// (say `detect` finding nothing prints the empty topology, then fails) must not get an error object
// appended by the error boundary, or a program reading stdout cannot parse it.
export function printJson(value: unknown): void {
  const s = session();
  s.jsonPrinted = true;
  s.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Whether a JSON document went to stdout already; the error boundary then adds none. */
export function hasPrintedJson(): boolean {
  return session().jsonPrinted;
}

/** A command's result, as it is (no newline added): lint's formatted findings, a SARIF log. */
export function out(text: string): void {
  session().io.stdout.write(text);
}

export function info(line = ''): void {
  out(`${line}\n`);
}

/** Progress and notes go to stderr so stdout stays the command's result. */
export function note(line: string): void {
  session().io.stderr.write(`${line}\n`);
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

const SYMBOL: Record<Change['kind'], string> = { create: '+', update: '~', delete: '-', unchanged: '=', conflict: '!', skip: '·' };
// Past tense for what a flush did; a dry run says what it would do.
const DONE: Record<Change['kind'], string> = { create: 'created', update: 'updated', delete: 'deleted', unchanged: 'unchanged', conflict: 'conflict', skip: 'kept' };
const PLANNED: Record<Change['kind'], string> = { create: 'create', update: 'update', delete: 'delete', unchanged: 'unchanged', conflict: 'conflict', skip: 'keep' };

/** What a flush did (or, on a dry run, would do), a line per file, then the counts and the diff. */
export function printChanges(f: FlushedTree, diff: string, options: { listUnchanged?: boolean } = {}): void {
  const changed = f.changes.filter((c) => c.kind !== 'unchanged' && c.kind !== 'skip');
  for (const c of f.changes) {
    if (!options.listUnchanged && c.kind === 'unchanged') continue;
    const colour = c.kind === 'conflict' ? style.red : c.kind === 'delete' ? style.yellow : c.kind === 'unchanged' || c.kind === 'skip' ? style.dim : style.green;
    info(`${colour(`${SYMBOL[c.kind]} ${(f.dryRun ? PLANNED : DONE)[c.kind].padEnd(9)}`)} ${c.path}${c.reason ? style.dim(`  (${c.reason})`) : ''}`);
  }
  const n = (k: Change['kind']) => f.changes.filter((c) => c.kind === k).length;
  if (changed.length === 0) info(`${style.green('✓')} no changes`);
  else info(style.dim(`${n('create')} created, ${n('update')} updated, ${n('delete')} deleted, ${n('unchanged')} unchanged, ${n('conflict')} conflicts${f.dryRun ? ' (dry run: nothing written)' : ''}`));
  if (diff) info(`\n${diff}`);
}

/**
 * Conflicts left by a flush, as the error `init` and `render` exit with: which files, and the ways
 * out — overwrite, keep the change in an ejected template, or switch the artifact off.
 */
export function conflictError(rootDir: string, conflicts: readonly Change[], command: 'init' | 'render'): StackgenError {
  const ways = [`review with \`stackgen ${command} --dry-run\`, then re-run with --force to overwrite`, 'keep a change of yours by ejecting its template (`stackgen templates eject`, then render with --trust-templates)'];
  if (conflicts.some((c) => (Object.values(CI_FILES) as string[]).includes(c.path))) ways.push('keep your own pipeline with ci.provider: none (`--ci none`)');
  if (conflicts.some((c) => /(^|\/)Dockerfile$/.test(c.path))) ways.push("keep your own Dockerfile with the service's dockerfile.path");
  return new StackgenError('E_CONFLICT', `${conflicts.length} file(s) kept because writing them would overwrite your work`, {
    hint: `${ways.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
    locations: conflicts.map((c) => ({ file: path.join(rootDir, c.path), ...(c.reason ? { message: c.reason } : {}) })),
  });
}
