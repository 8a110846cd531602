/**
 * The Compose Specification validator. Compiling the bundled schema with ajv costs about a second,
 * more than linting a whole rendered stack, so `npm run build` compiles it once into standalone code
 * (`dist/lint/compose-spec.validate.cjs`, by scripts/gen-validators.mjs) and the built CLI loads
 * that; run from source (tests), or if the file is missing, the schema is compiled on first use.
 * ajv itself (about 0.1 s to load) is required only then.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, ValidateFunction } from 'ajv';

const SCHEMA_URL = new URL('../../schemas/third-party/compose-spec.json', import.meta.url);
/** Where the build writes the precompiled validator, beside this module. */
export const PRECOMPILED_NAME = 'compose-spec.validate.cjs';
/** The same options for the precompiled and the on-the-fly validator, so both judge alike. */
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, validateFormats: false };

/** Removes draft-04 `id` keywords (ajv 8 rejects them); a property *named* id inside `properties` stays. */
function stripDraft04Ids(node: unknown, isPropertyMap: boolean): void {
  if (Array.isArray(node)) node.forEach((n) => stripDraft04Ids(n, false));
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const rec = node as Record<string, unknown>;
  if (!isPropertyMap && typeof rec.id === 'string') delete rec.id;
  for (const [k, v] of Object.entries(rec)) stripDraft04Ids(v, !isPropertyMap && (k === 'properties' || k === 'patternProperties' || k === 'definitions'));
}

/** The bundled schema as ajv takes it. */
export function composeSchema(): Record<string, unknown> {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  // The file declares draft 2019-09 but uses only draft-07 keywords (and draft-04 `id`s, which ajv ignores when not strict).
  delete schema.$schema;
  stripDraft04Ids(schema, false);
  return schema;
}

/** The validator compiled now, from the bundled schema (what the build precompiles). */
export function compileComposeValidator(): ValidateFunction {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv(AJV_OPTIONS).compile(composeSchema());
}

let validator: ValidateFunction | undefined;

export function composeValidator(): ValidateFunction {
  if (validator) return validator;
  try {
    validator = createRequire(import.meta.url)(`./${PRECOMPILED_NAME}`) as ValidateFunction;
    if (typeof validator !== 'function') throw new Error('not a validator');
  } catch {
    validator = compileComposeValidator();
  }
  return validator;
}
