/** The library API: everything another generator needs, as named exports. */
export { StackgenError, EXIT_CODES, isStackgenError, formatLocation } from './errors.js';
export type { ErrorCode, ErrorLocation, StackgenErrorOptions } from './errors.js';
export { detect, detectWithReport } from './detect/detect.js';
export type { DetectOptions, DetectReport } from './detect/detect.js';
export * from './detect/types.js';
export type { Provider, Candidate, Fact, EvidenceKind, Role } from './detect/provider.js';
export { SourceView } from './source/source-view.js';
export type { SourceViewOptions } from './source/source-view.js';
