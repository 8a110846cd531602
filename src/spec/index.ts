/** The spec stage: load (YAML + positions), validate (schema + semantics), generate, write. */
export { loadSpec, specFromInput, withSpecDefaults, validateSpec, validateSpecText, validateSpecBytes } from './load.js';
export type { LoadedSpec, SpecValidation, ValidateSpecOptions } from './load.js';
export { specFromTopology, DEFAULT_WEB_PORT } from './from-topology.js';
export type { SpecFromTopologyOptions } from './from-topology.js';
export { stringifySpec, mergeSpecText } from './stringify.js';
export { specFileFor, SPEC_FILE } from './spec-file.js';
export type { SpecFile, SpecFileOptions } from './spec-file.js';
export type { StringifySpecOptions, MergeOptions, MergeResult } from './stringify.js';
export { specSchema, SCHEMA_ID, SCHEMA_RELATIVE_PATH } from './schema.js';
export { formatSpecError, specErrorsToStackgenError } from './spec-error.js';
export type { SpecError } from './spec-error.js';
export { MAX_SPEC_BYTES, MAX_ALIAS_COUNT } from './yaml-source.js';
export type * from './types.generated.js';
