/**
 * An artifact is one kind of output (Dockerfiles, compose, observability, CI, docs). Each has one
 * typed context builder and templates under `templates/<artifact>/` mirroring the output paths.
 * Artifacts are pure: spec in, files out; only the tree's flush writes to disk.
 */
import type { ImageMap } from '../images/image-map.js';
import type { Spec } from '../spec/types.generated.js';
import type { TemplateEngine } from './engine.js';

export interface RenderInput {
  spec: Spec;
  /** Rewrites every image reference (spec `images` merged with any --image-map). */
  imageMap: ImageMap;
  /** Absolute folder of the spec (the repository root): for reading the user's own Dockerfiles, lockfile names, etc. */
  rootDir: string;
}

export interface OutputFile {
  /** Posix path relative to the repository root. */
  path: string;
  content: string;
  /** File mode; 0o600 for files holding secrets (.env). */
  mode?: number;
  /**
   * Files the user owns after the first write (`.env` with generated passwords): written only when
   * missing, never regenerated or removed by later renders.
   */
  createOnly?: boolean;
  /**
   * `stackgen` (default): generated, marked, recorded in the manifest. `user`: a deliberate edit of a
   * file the user owns (one line appended to `.gitignore`), shown in the diff, never marked.
   */
  owner?: 'stackgen' | 'user';
}

export interface Artifact {
  /** Matches the templates/<name>/ folder. */
  readonly name: string;
  files(input: RenderInput, engine: TemplateEngine): OutputFile[];
  /** What the rendered files could not say (a lossy mapping), each naming the spec field and what was rendered instead. */
  warnings?(input: RenderInput): string[];
}
