/**
 * One finding in a spec file, placed where an editor can jump to it. Schema errors, YAML errors and
 * semantic errors all take this shape, so the CLI prints them the same way.
 */
import { StackgenError } from '../errors.js';

export interface SpecError {
  /** The spec file as the user named it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dot path inside the spec, e.g. `services.api.port`; '' for the document itself. */
  path: string;
  message: string;
  hint?: string;
}

/** `stackgen.yaml:12:11 services.api.port: must be ≤ 65535` */
export function formatSpecError(e: SpecError): string {
  return `${e.file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

/** Segments → `services.api.dependsOn[0]`; keys that are not identifiers are quoted. */
export function dotPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

export function sortSpecErrors(errors: SpecError[]): SpecError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/** All findings as one E_INVALID error, every finding a location with its own message. */
export function specErrorsToStackgenError(file: string, errors: SpecError[]): StackgenError {
  const n = errors.length;
  const first = errors[0];
  const head = `${file} is not a valid spec (${n} problem${n === 1 ? '' : 's'})`;
  return new StackgenError('E_INVALID', head, {
    locations: errors.map((e) => ({ file: e.file, line: e.line, column: e.column, path: e.path, message: e.message, ...(e.hint ? { hint: e.hint } : {}) })),
    hint: n === 1 && first?.hint ? first.hint : 'Fix the places listed (the schema is schemas/stackgen.schema.json; `stackgen validate` re-checks).',
    details: { errors },
  });
}
