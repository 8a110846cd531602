/**
 * The JSON Schema (the single source of truth for the spec) and its compiled validator. ajv fills
 * the schema's defaults in while validating, which is what turns a `SpecInput` into a `Spec`.
 */
import fs from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

/** schemas/ ships next to src/ and dist/ alike. */
export const SCHEMA_FILE = new URL('../../schemas/stackgen.schema.json', import.meta.url);

/** The spec's JSON Schema (2020-12), as published in the package's `schemas/` folder. */
export const specSchema: Readonly<Record<string, unknown>> = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

/** Where editors find the schema when the package is installed in the project. */
export const SCHEMA_RELATIVE_PATH = 'node_modules/stackgen/schemas/stackgen.schema.json';
export const SCHEMA_ID = String(specSchema.$id);

let compiled: ValidateFunction | undefined;

/** The validator: all errors, defaults filled in place, `verbose` so errors carry their schema. */
export function specValidator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, allowUnionTypes: true, verbose: true, strict: false });
  const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: Ajv2020) => void;
  addFormats(ajv);
  compiled = ajv.compile(specSchema);
  return compiled;
}

export type { ErrorObject };
