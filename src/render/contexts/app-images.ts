/**
 * The images a stack's own code builds: compose services grouped by build (a Celery worker built from
 * the web service's Dockerfile runs the web image and publishes nothing of its own), each with the
 * repository CI pushes it to. CI publishes them; the swarm file runs them by those names.
 */
import path from 'node:path';
import type { Spec } from '../../spec/types.generated.js';
import { shellQuote } from '../engine.js';
import type { ComposeContext } from './compose.js';

export interface CiImageCtx {
  /** The first compose service built this way (others, e.g. a worker, run the same image); names the matrix entry and, with several images, the image. */
  name: string;
  /** Every compose service that runs this image. */
  services: string[];
  context: string;
  /** The Dockerfile's path from the repository root (buildx reads `--file` from the working directory, not the context). */
  dockerfile: string;
  target: string | null;
  buildArgs: string[];
  /** `id=…,src=…` of each file-backed build secret (a Node project's .npmrc); passed only when the checkout has the file. */
  secrets: string[];
  /** `--file … --target … --build-arg …`, each word quoted for POSIX sh (GitLab's jobs run busybox sh). */
  buildFlags: string;
  /** Repository path under the registry, e.g. "shop" or "shop-api". */
  repository: string;
  /** GitLab: the full image name; without a registry in the spec, the project's own ($CI_REGISTRY_IMAGE, then /<service> when there are several). */
  gitlabImage: string;
}

/** One image per distinct build (context, Dockerfile, target, build args), in compose's service order, keyed by that build. */
export function appImages(spec: Spec, compose: ComposeContext): Map<string, CiImageCtx> {
  const byBuild = new Map<string, CiImageCtx>();
  const files = new Map(compose.buildSecretFiles.map((f) => [f.name, f.file]));
  for (const s of compose.services) {
    // The spec's values, not compose's ($ is escaped there for compose's interpolation).
    const buildArgs = Object.entries(spec.services[s.name]?.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
    const dockerfile = path.posix.normalize(path.posix.join(s.context, s.dockerfile));
    const key = JSON.stringify([s.context, dockerfile, s.target, buildArgs]);
    const same = byBuild.get(key);
    if (same) {
      same.services.push(s.name);
      continue;
    }
    const flags = ['--file', dockerfile, ...(s.target ? ['--target', s.target] : []), ...buildArgs.flatMap((a) => ['--build-arg', a])];
    const secrets = s.buildSecrets.map((b) => `id=${b.target},src=${files.get(b.source)!}`);
    byBuild.set(key, { name: s.name, services: [s.name], context: s.context, dockerfile, target: s.target, buildArgs, secrets, buildFlags: flags.map(shellQuote).join(' '), repository: '', gitlabImage: '' });
  }
  const images = [...byBuild.values()];
  const base = spec.ci.image ?? spec.name;
  const registry = spec.ci.registry ? spec.ci.registry.replace(/\/+$/, '') : null;
  for (const img of images) {
    img.repository = images.length === 1 || img.name === base ? base : `${base}-${img.name}`;
    img.gitlabImage = registry ? `${registry}/${img.repository}` : images.length === 1 ? '$CI_REGISTRY_IMAGE' : `$CI_REGISTRY_IMAGE/${img.name}`;
  }
  return byBuild;
}
