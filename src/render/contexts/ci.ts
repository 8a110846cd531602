/**
 * The typed context of the CI templates (GitHub Actions, GitLab CI). One image per distinct build
 * (a Celery worker built from the web service's Dockerfile publishes nothing of its own), the
 * registry login the provider needs, the platform list, and every third-party piece pinned: tool
 * images through the image catalog (and the spec's image map), GitHub actions by commit SHA.
 */
import { IMAGES } from '../../images/catalog.js';
import { mapImage, normalizeRepository, type ImageMap } from '../../images/image-map.js';
import type { Spec } from '../../spec/types.generated.js';
import { STACKGEN_VERSION } from '../../version.js';
import { shellQuote } from '../engine.js';
import { appImages, type CiImageCtx } from './app-images.js';
import { composeContext } from './compose.js';
import { swarmContext } from './swarm.js';
import { wantsKubernetes } from './targets.js';

/**
 * The only actions the workflow uses, both GitHub's own, each pinned to the commit its release tag
 * points at (a tag can be moved, a commit cannot). Check one with
 * `git ls-remote https://github.com/actions/checkout refs/tags/v4.2.2`; replace one without
 * ejecting the template through `ci.actions` in stackgen.yaml.
 */
export const ACTION_PINS: Readonly<Record<string, { sha: string; version: string }>> = {
  'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
};

/**
 * Tools the GitLab Kubernetes jobs download (GitHub's runner image has both): kubectl from the
 * Kubernetes release site, kind from its release downloads, each checked against the SHA-256 file
 * published beside it. Bump both together; kind's default node image follows its own version.
 */
export const KUBE_TOOLS = { kubectl: 'v1.34.1', kind: 'v0.30.0' } as const;

/** The hosted runner's own architecture: builds for it need no emulation and can be loaded and scanned. */
const NATIVE_PLATFORM = 'linux/amd64';

export interface CiContext {
  project: string;
  /**
   * The Kubernetes overlays' jobs (kubernetes/ is rendered): one build per image, tagged as the dev
   * overlay names each service's image. `tags` is one per line (GitHub's bash reads them);
   * `buildFlags` and `imageArgs` are words quoted for POSIX sh (GitLab's busybox sh evals them).
   */
  kubernetes: {
    namespace: string;
    kubectlVersion: string;
    kindVersion: string;
    builds: Array<{ name: string; context: string; dockerfile: string; target: string; buildArgs: string; tags: string; buildFlags: string; secrets: string[]; imageArgs: string }>;
  } | null;
  /** What the pipeline runs `npx` on: the spec's ci.stackgenPackage, else stackgen@<this version>. */
  stackgenPackage: string;
  branch: string;
  /** The spec's registry; null → the provider's own (ghcr.io/<owner>, $CI_REGISTRY_IMAGE). */
  registry: string | null;
  /** The host `docker login` talks to for the spec's registry (docker.io for Docker Hub namespaces). */
  loginHost: string | null;
  /** GitHub: the registry is GitHub's own, so the job token can push (no secrets to set up). */
  githubToken: boolean;
  images: CiImageCtx[];
  /** targets include swarm: the stack file `docker stack config` checks, and the variables a deploy takes from the shell (set to placeholders for the check). */
  swarm: { file: string; vars: string[] } | null;
  platforms: string[];
  /** The platform built, loaded, measured and scanned on every run. */
  scanPlatform: string;
  /** binfmt emulators to install for the other platforms, e.g. ["arm64"]; empty → no QEMU step. */
  emulate: string[];
  scan: { enabled: boolean; severities: string };
  sbom: boolean;
  sizeBudgetMB: number | null;
  tools: { trivy: string; buildkit: string; binfmt: string; docker: string; dind: string; node: string };
  /** `owner/repo@sha # version`, by action. */
  actions: { checkout: string; uploadArtifact: string };
}

function swarmCheck(spec: Spec, rootDir: string, imageMap: ImageMap): CiContext['swarm'] {
  const ctx = swarmContext(spec, rootDir, imageMap);
  return { file: ctx.file, vars: ctx.deployVars };
}

const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** "ghcr.io/acme" → "ghcr.io"; "acme" (a Docker Hub namespace) → "docker.io". */
export function registryHost(registry: string): string {
  return normalizeRepository(`${registry.replace(/\/+$/, '')}/x`).split('/')[0]!;
}

function pin(spec: Spec, action: string): string {
  const p = spec.ci.actions[action] ?? ACTION_PINS[action]!;
  return `${action}@${p.sha} # ${p.version}`;
}

export function ciContext(spec: Spec, rootDir: string, imageMap: ImageMap): CiContext {
  const byBuild = appImages(spec, composeContext(spec, rootDir, imageMap));
  const images = [...byBuild.values()];
  const kubernetes: CiContext['kubernetes'] = wantsKubernetes(spec)
    ? {
        namespace: `${spec.kubernetes?.namespace ?? spec.name}-dev`,
        kubectlVersion: KUBE_TOOLS.kubectl,
        kindVersion: KUBE_TOOLS.kind,
        builds: images.map((img) => {
          const tags = img.services.map((name) => `${spec.name}-${name}:local`);
          return {
            name: img.name,
            context: img.context,
            dockerfile: img.dockerfile,
            target: img.target ?? '',
            buildArgs: img.buildArgs.join('\n'),
            tags: tags.join('\n'),
            buildFlags: [img.buildFlags, ...tags.map((t) => `--tag ${shellQuote(t)}`)].join(' '),
            secrets: img.secrets,
            imageArgs: tags.map(shellQuote).join(' '),
          };
        }),
      }
    : null;
  const registry = spec.ci.registry ? spec.ci.registry.replace(/\/+$/, '') : null;

  const platforms = [...new Set(spec.ci.platforms)];
  const scanPlatform = platforms.includes(NATIVE_PLATFORM) ? NATIVE_PLATFORM : platforms[0]!;
  // binfmt names emulators by architecture: linux/arm64 → arm64, linux/arm/v7 → arm; 386 runs natively.
  const emulate = [...new Set(platforms.filter((p) => p !== NATIVE_PLATFORM).map((p) => p.split('/')[1]!).filter((a) => a !== 'amd64' && a !== '386'))];
  const severities = SEVERITIES.slice(SEVERITIES.indexOf(spec.ci.scan.severity)).join(',');
  const loginHost = registry ? registryHost(registry) : null;

  return {
    project: spec.name,
    kubernetes,
    stackgenPackage: spec.ci.stackgenPackage ?? `stackgen@${STACKGEN_VERSION}`,
    branch: spec.ci.branch,
    registry,
    loginHost,
    githubToken: registry === null || loginHost === 'ghcr.io',
    images,
    swarm: spec.targets.includes('swarm') ? swarmCheck(spec, rootDir, imageMap) : null,
    platforms,
    scanPlatform,
    emulate,
    scan: { enabled: spec.ci.scan.enabled, severities },
    sbom: spec.ci.sbom,
    sizeBudgetMB: spec.ci.sizeBudgetMB,
    tools: {
      trivy: mapImage(IMAGES.trivy.ref, imageMap),
      buildkit: mapImage(IMAGES.buildkit.ref, imageMap),
      binfmt: mapImage(IMAGES.binfmt.ref, imageMap),
      docker: mapImage(IMAGES.dockerCli.ref, imageMap),
      dind: mapImage(IMAGES.dockerDind.ref, imageMap),
      node: mapImage(IMAGES.node().ref, imageMap),
    },
    actions: { checkout: pin(spec, 'actions/checkout'), uploadArtifact: pin(spec, 'actions/upload-artifact') },
  };
}
