/**
 * The JSON Schema (the single source of truth for the spec) and its validator. ajv fills the
 * schema's defaults in while validating, which is what turns a `SpecInput` into a `Spec`.
 *
 * Compiling the schema costs about 0.2 s, more than rendering a stack, so `npm run build` compiles
 * it once into standalone code beside this module (`dist/spec/stackgen-spec.validate.cjs`, by
 * scripts/gen-validators.mjs) and the built library loads that; run from source (tests), or when the
 * file is missing, the schema is compiled on first use. ajv itself loads only then: reading the
 * schema's patterns (detect does) costs no validator.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';

/** schemas/ ships next to src/ and dist/ alike. */
export const SCHEMA_FILE = new URL('../../schemas/stackgen.schema.json', import.meta.url);

/** The spec's JSON Schema (2020-12), as published in the package's `schemas/` folder. */
export const specSchema: Readonly<Record<string, unknown>> = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

/** Where editors find the schema when the package is installed in the project. */
export const SCHEMA_RELATIVE_PATH = 'node_modules/stackgen/schemas/stackgen.schema.json';
export const SCHEMA_ID = String(specSchema.$id);

/** Where the build writes the precompiled validator, beside this module. */
export const PRECOMPILED_SPEC_NAME = 'stackgen-spec.validate.cjs';

/** All errors, defaults filled in place, `verbose` so errors carry their schema; the same for the precompiled and the run-time validator. */
export const SPEC_AJV_OPTIONS: Options = { allErrors: true, useDefaults: true, allowUnionTypes: true, verbose: true, strict: false };

const require = createRequire(import.meta.url);

/** The validator compiled now from the schema; `code` is what the build passes to emit standalone source. */
export function compileSpecValidator(code?: Options['code']): { ajv: unknown; validate: ValidateFunction } {
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormatsImport = require('ajv-formats') as unknown;
  const addFormats = ((addFormatsImport as { default?: unknown }).default ?? addFormatsImport) as (a: InstanceType<typeof Ajv2020>) => void;
  const ajv = new Ajv2020({ ...SPEC_AJV_OPTIONS, ...(code ? { code } : {}) });
  addFormats(ajv);
  return { ajv, validate: ajv.compile(specSchema) };
}

let compiled: ValidateFunction | undefined;

/** The validator: precompiled when the build made one, else compiled once per process. */
export function specValidator(): ValidateFunction {
  if (compiled) return compiled;
  try {
    const precompiled = require(`./${PRECOMPILED_SPEC_NAME}`) as ValidateFunction | { default?: ValidateFunction };
    compiled = typeof precompiled === 'function' ? precompiled : precompiled.default;
    if (typeof compiled !== 'function') throw new Error('not a validator');
  } catch {
    compiled = compileSpecValidator().validate;
  }
  return compiled;
}

export type { ErrorObject };
