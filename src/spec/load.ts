/**
 * Loading a spec: bytes → YAML with positions → schema (defaults filled) → semantic checks. Every
 * finding carries `file:line:col`; `loadSpec` throws them all as one E_INVALID error,
 * `validateSpecText` returns them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { StackgenError } from '../errors.js';
import { schemaErrorsToSpecErrors } from './schema-errors.js';
import { specValidator } from './schema.js';
import { semanticFindings } from './semantic.js';
import { dotPath, sortSpecErrors, specErrorsToStackgenError, type SpecError } from './spec-error.js';
import { stringifySpec } from './stringify.js';
import type { Spec } from './types.generated.js';
import { decodeSpecBytes, parseSpecText, positionOf, type SpecSource } from './yaml-source.js';

export interface ValidateSpecOptions {
  /**
   * Folder that relative paths in the spec (dockerfile.path, initScripts, caBundle, service paths)
   * resolve against. Default: the spec file's folder; null skips the checks that read the disk.
   */
  baseDir?: string | null;
}

export interface SpecValidation {
  /** The spec with defaults applied; present only when there are no errors. */
  spec?: Spec;
  errors: SpecError[];
  /** The parsed YAML with positions, when the text was YAML at all. */
  source?: SpecSource;
}

export interface LoadedSpec {
  spec: Spec;
  /** The YAML document as written (comments and order kept), for edits in place. */
  doc: Document.Parsed;
  /** The file's text. */
  source: string;
  /** Absolute path of the spec file. */
  file: string;
  lineCounter: LineCounter;
}

/** Validates spec text; never throws for problems in the text. */
export function validateSpecText(text: string, file: string, options: ValidateSpecOptions = {}): SpecValidation {
  const parsed = parseSpecText(text, file);
  if (!parsed.source) return { errors: sortSpecErrors(parsed.errors) };
  const source = parsed.source;
  const value = parsed.value;
  const validate = specValidator();
  if (!validate(value)) {
    return { errors: sortSpecErrors(schemaErrorsToSpecErrors(validate.errors ?? [], value, source)), source };
  }
  const spec = value as Spec;
  const baseDir = options.baseDir === undefined ? path.dirname(path.resolve(file)) : options.baseDir;
  const errors: SpecError[] = semanticFindings(spec, baseDir === null ? {} : { baseDir }).map((f) => {
    const pos = positionOf(source, f.segments, f.anchor);
    return { file, line: pos.line, column: pos.column, path: dotPath(f.segments), message: f.message, ...(f.hint ? { hint: f.hint } : {}) };
  });
  if (errors.length > 0) return { errors: sortSpecErrors(errors), source };
  return { spec, errors: [], source };
}

/** Validates a spec object as `stringifySpec` would write it (positions refer to that text). */
export function validateSpec(input: unknown, options: ValidateSpecOptions & { file?: string } = {}): SpecValidation {
  return validateSpecText(stringifySpec(input as never), options.file ?? 'stackgen.yaml', options);
}

/**
 * A spec built in code (a `SpecInput`, e.g. from `specFromTopology` and edited) → a `Spec` with the
 * schema's defaults filled in, or E_INVALID listing every finding: `validateSpec` that throws, as
 * `loadSpec` does for a file. The paths it names are checked on disk only against `options.baseDir`.
 */
export function specFromInput(input: unknown, options: ValidateSpecOptions & { file?: string } = {}): Spec {
  const result = validateSpec(input, { ...options, baseDir: options.baseDir ?? null });
  if (!result.spec) throw specErrorsToStackgenError(options.file ?? 'stackgen.yaml', result.errors);
  return result.spec;
}

/**
 * The schema's check alone, on a spec object, its defaults filled in place: for a spec still being
 * put together in code (tests, generators), where the whole-stack checks `specFromInput` adds (host
 * ports, names, paths) would judge a draft. Throws E_INVALID naming every schema error.
 */
export function withSpecDefaults(input: unknown, file = 'stackgen.yaml'): Spec {
  const validate = specValidator();
  if (!validate(input)) {
    throw new StackgenError('E_INVALID', `${file}: the spec does not match the schema`, {
      locations: (validate.errors ?? []).map((e) => ({ file, path: `${e.instancePath || '/'} ${e.message ?? ''}`.trim() })),
      hint: 'Fix the listed fields (the schema is schemas/stackgen.schema.json).',
    });
  }
  return input as Spec;
}

/** Reads bytes of a spec file, or throws E_INPUT naming it. */
export function readSpecBytes(file: string): Uint8Array {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) {
      throw new StackgenError('E_INPUT', `${file} is a folder, not a spec file`, { hint: `Pass the spec file, e.g. ${path.join(file, 'stackgen.yaml')}.`, locations: [{ file }] });
    }
    return fs.readFileSync(file);
  } catch (cause) {
    if (cause instanceof StackgenError) throw cause;
    throw new StackgenError('E_INPUT', `${file}: no spec here`, { hint: 'Run `stackgen init` to write one, or name the spec file.', locations: [{ file }], cause });
  }
}

/** Validates bytes read from a file (size cap and UTF-8 are checked before parsing). */
export function validateSpecBytes(bytes: Uint8Array, file: string, options: ValidateSpecOptions = {}): SpecValidation {
  const decoded = decodeSpecBytes(bytes, file);
  if (decoded.text === undefined) return { errors: decoded.errors };
  return validateSpecText(decoded.text, file, options);
}

/** Loads and validates `stackgen.yaml`; throws one E_INVALID error listing every finding. */
export function loadSpec(file: string, options: ValidateSpecOptions = {}): LoadedSpec {
  const bytes = readSpecBytes(file);
  const result = validateSpecBytes(bytes, file, options);
  if (!result.spec || !result.source) throw specErrorsToStackgenError(file, result.errors);
  return { spec: result.spec, doc: result.source.doc, source: result.source.text, file: path.resolve(file), lineCounter: result.source.lineCounter };
}
