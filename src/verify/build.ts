/**
 * The images and build stages of verify: every base and service image must be present, pullable or
 * mapped (named up front, before any build), then every app image is built with BuildKit under a
 * fresh tag, so a failed build can never pass for an old image.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { StackgenError } from '../errors.js';
import { mapImage, type ImageMap } from '../images/image-map.js';
import { linkOutside } from '../spec/semantic.js';
import { dockerCli } from './docker-cli.js';
import { aborted, imageExists, tryPull } from './engine.js';
import { dockerfileImages, rewriteDockerfile } from './rewrite.js';
import type { BuildInfo, ComposeFile, ComposeService, VerifyOptions } from './types.js';

export interface BuildPlan {
  /** Built services: the Dockerfile rewritten through the image map, in verify's work folder. */
  builds: Map<string, { file: string; context: string; target?: string; args: string[]; secrets: string[] }>;
  /** Image services: the image they run, after the image map. */
  images: Map<string, string>;
}

export interface BuiltImage {
  service: string;
  tag: string;
  info: BuildInfo;
}

export type BuildOutcome = { ok: true; built: BuiltImage[] } | { ok: false; built: BuiltImage[]; service: string; failingStep: string; logTail: string[] };

/** The build section of a compose service in one shape (short and long syntax). */
export function buildOf(s: ComposeService): { context: string; dockerfile: string; target?: string; args: string[]; secrets: Array<{ source: string; id: string }> } | undefined {
  if (!s.build) return undefined;
  if (typeof s.build === 'string') return { context: s.build, dockerfile: 'Dockerfile', args: [], secrets: [] };
  const args = Array.isArray(s.build.args) ? s.build.args : Object.entries(s.build.args ?? {}).map(([k, v]) => `${k}=${v}`);
  const secrets = (s.build.secrets ?? []).map((x) => (typeof x === 'string' ? { source: x, id: x } : { source: x.source, id: x.target ?? x.source }));
  return { context: s.build.context ?? '.', dockerfile: s.build.dockerfile ?? 'Dockerfile', ...(s.build.target ? { target: s.build.target } : {}), args, secrets };
}

/**
 * The build plan alone, with no engine I/O: each built service's Dockerfile rewritten through the
 * image map into `work`, its build args and file-backed secrets; each image service's mapped image.
 * `needed` says which image every Dockerfile FROM and service image is wanted by.
 */
export function planBuilds(root: string, compose: ComposeFile, services: Array<[string, ComposeService]>, imageMap: ImageMap, work: string): BuildPlan & { needed: Map<string, string> } {
  const plan: BuildPlan & { needed: Map<string, string> } = { builds: new Map(), images: new Map(), needed: new Map() };
  for (const [name, s] of services) {
    const b = buildOf(s);
    if (b) {
      const rewritten = rewriteDockerfile(fs.readFileSync(path.join(root, b.context, b.dockerfile), 'utf8'), imageMap);
      const file = path.join(work, `${name}.Dockerfile`);
      fs.writeFileSync(file, rewritten);
      // File-backed build secrets (a Node project's .npmrc); the CA bundle comes from --ca-bundle / build.caBundle.
      const secrets = b.secrets.flatMap((x) => {
        const src = compose.secrets?.[x.source]?.file;
        return x.id !== 'ca' && src ? [`id=${x.id},src=${buildSecretFile(root, x.source, src)}`] : [];
      });
      plan.builds.set(name, { file, context: path.join(root, b.context), ...(b.target ? { target: b.target } : {}), args: b.args, secrets });
      for (const ref of dockerfileImages(rewritten)) plan.needed.set(ref, `${name} (Dockerfile FROM)`);
    } else if (s.image) {
      const mapped = mapImage(s.image, imageMap);
      plan.images.set(name, mapped);
      plan.needed.set(mapped, name);
    }
  }
  return plan;
}

/**
 * Plan the images of the services to start and make sure each one can be had: every Dockerfile's
 * FROM and every service image is local, pullable or mapped; the ones that are not are named together.
 */
export async function planImages(docker: Docker, root: string, compose: ComposeFile, services: Array<[string, ComposeService]>, imageMap: ImageMap, work: string, signal?: AbortSignal): Promise<BuildPlan> {
  const { needed, ...plan } = planBuilds(root, compose, services, imageMap, work);
  const missing: string[] = [];
  for (const [ref, who] of needed) {
    if (await imageExists(docker, ref)) continue;
    if (await tryPull(ref, signal)) continue;
    missing.push(`${ref} (needed by ${who})`);
  }
  if (missing.length > 0) {
    throw new StackgenError('E_CHECK_FAILED', `${missing.length} image(s) can be neither found locally, pulled nor mapped: ${missing.join('; ')}`, {
      hint: 'Map them to images you have (`--image-map FILE` or `images.overrides` in stackgen.yaml, e.g. scripts/offline-images.yaml), or leave a service out with `--skip-service NAME`.',
    });
  }
  return plan;
}

/**
 * Build every planned image, in order, tagged `<project>-<service>:<tagSuffix>`; stops at the first
 * failure with the step that failed and the build's last lines. `onBuilt` sees each image as soon
 * as it exists, so the caller's teardown can remove it whatever happens next.
 */
export async function buildImages(
  docker: Docker,
  plan: BuildPlan,
  opts: { project: string; root: string; caBundle?: string; tagSuffix?: string; options: VerifyOptions; onBuilt: (image: BuiltImage) => void },
): Promise<BuildOutcome> {
  const cli = await dockerCli();
  const built: BuiltImage[] = [];
  for (const [name, d] of plan.builds) {
    aborted(opts.options.signal);
    opts.options.onProgress?.({ type: 'phase', message: `build ${name}` });
    const tag = `${opts.project}-${name}:${opts.tagSuffix ?? 'verify'}`;
    const args = ['build', '--progress=plain', '-f', d.file, '-t', tag, ...(d.target ? ['--target', d.target] : []), ...d.args.flatMap((a) => ['--build-arg', a]), ...d.secrets.flatMap((x) => ['--secret', x])];
    if (opts.caBundle) args.push('--secret', `id=ca,src=${path.resolve(opts.root, opts.caBundle)}`);
    args.push(d.context);
    const t0 = Date.now();
    const log: string[] = [];
    const child = execa(cli, args, { env: { DOCKER_BUILDKIT: '1' }, all: true, reject: false, cancelSignal: opts.options.signal, forceKillAfterDelay: 2000 });
    child.all?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        log.push(line);
        opts.options.onProgress?.({ type: 'build-log', service: name, line });
      }
    });
    const r = await child;
    aborted(opts.options.signal);
    if (r.exitCode !== 0) {
      const failing = [...log].reverse().find((l) => /^#\d+ \[.*\] (RUN|COPY|FROM|ADD)/.test(l) || /ERROR/.test(l)) ?? '';
      return { ok: false, built, service: name, failingStep: failing.replace(/^#\d+\s*/, ''), logTail: log.slice(-30) };
    }
    const inspect = await docker.getImage(tag).inspect();
    const steps = new Set(log.map((l) => /^#(\d+) \[/.exec(l)?.[1]).filter(Boolean));
    const cached = new Set(log.map((l) => /^#(\d+) CACHED/.exec(l)?.[1]).filter(Boolean));
    const image: BuiltImage = { service: name, tag, info: { ms: Date.now() - t0, image: tag, sizeBytes: inspect.Size, layers: inspect.RootFS?.Layers?.length ?? 0, cachedSteps: cached.size, totalSteps: steps.size } };
    built.push(image);
    opts.onBuilt(image);
  }
  return { ok: true, built };
}

/**
 * A build secret's file, which must be inside the project: the compose file comes with the repository,
 * and a secret mount hands the file to the repository's own install scripts, so a path (or a link) to
 * elsewhere on this machine would give them its contents. A host file is the operator's to pass
 * (`--ca-bundle`), never the repository's.
 */
export function buildSecretFile(root: string, name: string, file: string): string {
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  const outside = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? { link: file, target: abs } : linkOutside(root, rel.split(path.sep).join('/'));
  if (outside) {
    throw new StackgenError('E_INVALID', `compose.yaml: the build secret ${name} reads ${file}, which leads outside the project (${outside.target})`, {
      hint: 'A build secret the repository declares must be a file inside it; pass a file from elsewhere on this machine yourself (e.g. --ca-bundle).',
      locations: [{ file: path.join(root, 'compose.yaml'), path: `secrets.${name}.file` }],
    });
  }
  return abs;
}
