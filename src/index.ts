/** The library API: everything another generator needs, as named exports. */
export { StackgenError, EXIT_CODES, isStackgenError, formatLocation } from './errors.js';
export type { ErrorCode, ErrorLocation, StackgenErrorOptions } from './errors.js';
export { detect, detectWithReport } from './detect/detect.js';
export type { DetectOptions, DetectReport } from './detect/detect.js';
export * from './detect/types.js';
export type { Provider, Candidate, Fact, EvidenceKind, Role } from './detect/provider.js';
export { SourceView } from './source/source-view.js';
export type { SourceViewOptions } from './source/source-view.js';
export { render, USER_TEMPLATES_DIR } from './render/render.js';
export type { RenderOptions } from './render/render.js';
export type { Artifact, OutputFile, RenderInput } from './render/artifact.js';
export { VirtualTree } from './tree/virtual-tree.js';
export type { Change, ChangeKind, FlushedTree, FlushOptions, TreeEntry, WriteOptions } from './tree/virtual-tree.js';
