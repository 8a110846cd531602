/**
 * render(spec) → VirtualTree: every artifact, one template engine, nothing written to disk. The
 * only inputs besides the spec are a few files read from the repository (lockfile names, the
 * existing `.env`, `.gitignore`; through one SourceView, contexts/repo.ts), so the same spec and repository give the same bytes.
 */
import path from 'node:path';
import { StackgenError } from '../errors.js';
import { resolveDigests, type DigestOptions } from '../images/digests.js';
import { mergeImageMaps, type ImageMap } from '../images/image-map.js';
import type { Spec } from '../spec/types.generated.js';
import { VirtualTree } from '../tree/virtual-tree.js';
import type { RenderInput } from './artifact.js';
import { ARTIFACTS } from './artifacts/index.js';
import { withRepository } from './contexts/repo.js';
import { createTemplateEngine } from './engine.js';
import { templateDirsFor } from './repository-templates.js';
import { wiringWarnings } from './contexts/wiring.js';

export interface RenderOptions {
  /** The repository root (the spec's folder); every output path is relative to it. */
  rootDir: string;
  /** Extra image mapping (e.g. from `--image-map FILE`), applied over the spec's `images`. Default: none. */
  imageMap?: ImageMap;
  /** Template folders shadowing built-in templates (first wins), e.g. from `--templates DIR`. Default: none. */
  templateDirs?: string[];
  /**
   * Use the repository's own `<rootDir>/.stackgen/templates` (after `templateDirs`). A template is code
   * and Nunjucks has no sandbox, so a repository's templates run only when the person running stackgen
   * says so. Default false: the folder is ignored and, when it holds files, the tree carries a warning.
   */
  trustTemplates?: boolean;
  /** How `images.pinDigests` asks registries. Default: 15 s per request, credentials from ~/.docker/config.json. */
  digestOptions?: DigestOptions;
}

export { USER_TEMPLATES_DIR } from './repository-templates.js';

export async function render(spec: Spec, options: RenderOptions): Promise<VirtualTree> {
  const rootDir = path.resolve(options.rootDir);
  // Every file the artifacts read comes from one listing of the repository, taken now.
  return withRepository(rootDir, () => renderIn(spec, options, rootDir));
}

async function renderIn(spec: Spec, options: RenderOptions, rootDir: string): Promise<VirtualTree> {
  const specMap: ImageMap = { overrides: spec.images.overrides };
  if (spec.images.mirror) specMap.mirror = spec.images.mirror;
  const input: RenderInput = { spec, imageMap: mergeImageMaps(specMap, options.imageMap), rootDir };
  const templates = templateDirsFor(rootDir, options);
  const engine = createTemplateEngine({ overrideDirs: templates.dirs });
  if (spec.images.pinDigests) {
    // A first pass learns every image reference the artifacts write; the second writes them pinned.
    const seen = new Set<string>();
    for (const artifact of ARTIFACTS) artifact.files({ ...input, imageMap: { ...input.imageMap, seen } }, engine);
    input.imageMap = { ...input.imageMap, digests: await resolveDigests([...seen], options.digestOptions) };
  }
  const tree = new VirtualTree(rootDir);
  if (templates.warning) tree.warnings.push(templates.warning);
  tree.warnings.push(...wiringWarnings(spec));
  const producedBy = new Map<string, string>();
  for (const artifact of ARTIFACTS) {
    const files = artifact.files(input, engine);
    if (files.length > 0) {
      for (const w of artifact.warnings?.(input) ?? []) tree.warnings.push({ message: `${w.target}: ${w.field}: ${w.message}`, hint: w.hint });
    }
    for (const file of files) {
      const other = producedBy.get(file.path);
      if (other) throw new StackgenError('E_INTERNAL', `${file.path} is rendered by both ${other} and ${artifact.name}`);
      producedBy.set(file.path, artifact.name);
      tree.write(file.path, file.content, {
        ...(file.mode === undefined ? {} : { mode: file.mode }),
        createOnly: file.createOnly ?? false,
        owner: file.owner ?? 'stackgen',
      });
    }
  }
  return tree;
}
