export { VirtualTree, isSecretFile } from './virtual-tree.js';
export type { Change, ChangeKind, FileOwner, FlushedTree, FlushOptions, TreeEntry, TreeWarning, WriteOptions } from './virtual-tree.js';
export { MARKER_TEXT, hasMarker, withMarker, supportsMarker } from './marker.js';
export { MANIFEST_PATH, readManifest, sha256 } from './manifest.js';
export type { Manifest } from './manifest.js';
export { ProjectFs, relativePathProblem } from './project-fs.js';
