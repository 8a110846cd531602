/**
 * `stackgen/testing`: start a rendered stack inside your own vitest or jest test, through
 * testcontainers, and tear it down afterwards.
 *
 *   const stack = await startStack('.', { imageMap: 'offline-images.yaml', caBundle: '/etc/ssl/certs/ca-certificates.crt' });
 *   try { expect((await fetch(stack.url('api', '/health'))).status).toBe(200); } finally { await stack.down(); }
 *
 * App images are built first with BuildKit under fresh tags (testcontainers' own builds report a
 * failed build of an existing tag as success); then compose starts the stack under a unique project
 * with every published port on an ephemeral 127.0.0.1 port, and testcontainers waits for each
 * service as its spec says: the compose healthcheck, plus an HTTP GET of the health path through the
 * published port when the spec has one. `down()` removes containers, networks, volumes and the
 * images it built.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { StackgenError } from '../errors.js';
import { loadImageMap, mapImage, mergeImageMaps, type ImageMap } from '../images/image-map.js';
import { envGroups, envLines } from '../render/artifacts/env.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/types.generated.js';
import { composeCommand, dockerCli } from '../verify/docker-cli.js';
import { buildImages, buildOf, planBuilds } from '../verify/build.js';
import { leftovers } from '../verify/compose-run.js';
import { parseDuration } from '../verify/engine.js';
import type { ComposeService } from '../verify/types.js';

export { leftovers };
export type { ImageMap };

export interface StartStackOptions {
  /** Spec file. Default `<dir>/stackgen.yaml`. */
  spec?: string;
  /** Image map (a YAML file like `stackgen render --image-map`, or the map itself) over the spec's `images`: registry mirror or per-image stand-ins, for air-gapped machines. Default none. */
  imageMap?: string | ImageMap;
  /** CA bundle handed to builds as the BuildKit secret `ca` (a TLS-inspecting proxy's CA). Default the spec's `build.caBundle`. */
  caBundle?: string;
  /** Compose services to start (compose adds what they depend on). Default every service outside a profile. */
  services?: string[];
  /** Compose profiles to enable, e.g. `observability`, `proxy`. Default none. */
  profiles?: string[];
  /** Bound for each service to turn ready, in ms. Default the spec's `verify.timeout`. */
  startupTimeoutMs?: number;
  /** Compose project name. Default a unique `stackgen-test-<name>-<id>`. */
  projectName?: string;
  /** Variables for compose's interpolation, over the stack's `.env`. Without a `.env`, throwaway secrets are generated (as `stackgen verify` does). Default none. */
  env?: Record<string, string>;
  /** Keep the images built for the run after `down()`. Default false. */
  keepImages?: boolean;
}

export interface RunningStack {
  /** The compose project, unique to this run. */
  readonly project: string;
  readonly spec: Spec;
  /** testcontainers' started environment, for anything not covered here (exec, logs, …). */
  readonly environment: StartedDockerComposeEnvironment;
  /** A service's container (the first replica). */
  container(service: string): StartedTestContainer;
  /** Host a service's published ports are reached at (127.0.0.1 for a local engine). */
  host(service: string): string;
  /** The host port published for `containerPort`, default the service's own port from the spec. */
  port(service: string, containerPort?: number): number;
  /** `http://host:port/path` of a service. */
  url(service: string, urlPath?: string): string;
  /** Stops and removes everything the run created: containers, networks, volumes, built images, temp files. Safe to call twice. */
  down(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startStack(dir: string, options: StartStackOptions = {}): Promise<RunningStack> {
  const root = path.resolve(dir);
  const specFile = path.resolve(options.spec ?? path.join(root, 'stackgen.yaml'));
  if (!fs.existsSync(specFile)) throw new StackgenError('E_INPUT', `${specFile}: no stackgen.yaml`, { hint: 'Run `stackgen init` first.', locations: [{ file: specFile }] });
  const { spec } = loadSpec(specFile);
  const composeFile = path.join(root, 'compose.yaml');
  if (!fs.existsSync(composeFile)) throw new StackgenError('E_INPUT', `${composeFile}: the stack was never rendered`, { hint: 'Run `stackgen render` first (or call generate() in your test setup).', locations: [{ file: composeFile }] });
  const compose = parseYaml(fs.readFileSync(composeFile, 'utf8')) as { services?: Record<string, ComposeService & Record<string, unknown>>; secrets?: Record<string, { file?: string }> };
  const services = compose.services ?? {};
  for (const s of options.services ?? []) if (!services[s]) throw new StackgenError('E_INPUT', `startStack: no service ${s} in compose.yaml`, { hint: `Services: ${Object.keys(services).join(', ')}` });

  const extraMap = typeof options.imageMap === 'string' ? loadImageMap(options.imageMap) : options.imageMap;
  const imageMap = mergeImageMaps({ ...(spec.images.mirror ? { mirror: spec.images.mirror } : {}), overrides: spec.images.overrides }, extraMap);
  const project = options.projectName ?? `stackgen-test-${spec.name}-${randomBytes(3).toString('hex')}`.slice(0, 60);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-test-'));
  const built: string[] = [];
  const docker = await dockerCli();
  const caBundle = options.caBundle ?? spec.build.caBundle ?? undefined;
  let environment: StartedDockerComposeEnvironment | undefined;
  const cleanup = async () => {
    if (environment) await environment.down({ removeVolumes: true, timeout: 0 }).catch(() => undefined);
    // compose down leaves nothing behind when it ran; after a failed up, remove what is left by label.
    await removeProject(docker, project);
    if (!options.keepImages) for (const tag of built) await execa(docker, ['image', 'rm', '-f', tag], { reject: false });
    fs.rmSync(work, { recursive: true, force: true });
  };

  try {
    // Build every app image under a fresh tag; the copy of compose.yaml names the tags and drops `build:`.
    const copy = structuredClone(compose);
    const profiles = options.profiles ?? [];
    const wanted = Object.entries(copy.services ?? {}).filter(([name, s]) => (options.services ? options.services.includes(name) : !s.profiles || s.profiles.some((p) => profiles.includes(p))));
    // The same plan and builds as verify (src/verify/build.ts), tagged `<project>-<service>:test`.
    const plan = planBuilds(root, compose, wanted.filter(([, svc]) => buildOf(svc)), imageMap, work);
    const outcome = await buildImages(new Dockerode(), plan, { project, root, ...(caBundle ? { caBundle } : {}), tagSuffix: 'test', options: {}, onBuilt: (i) => built.push(i.tag) });
    if (!outcome.ok) throw new StackgenError('E_CHECK_FAILED', `startStack: the image of ${outcome.service} did not build`, { hint: outcome.logTail.slice(-25).join('\n') });
    const tags = new Map(outcome.built.map((i) => [i.service, i.tag]));
    for (const [name, svc] of Object.entries(copy.services ?? {})) {
      const tag = tags.get(name);
      if (tag) {
        svc.image = tag;
        delete svc.build;
      } else if (typeof svc.image === 'string') svc.image = mapImage(svc.image, imageMap);
      // Ephemeral host ports on 127.0.0.1: fixed ones collide with whatever else runs on the machine.
      if (svc.ports) svc.ports = svc.ports.map((p) => (typeof p === 'string' ? `127.0.0.1::${p.split(':').at(-1)!}` : { ...withoutPublished(p), host_ip: '127.0.0.1' }));
    }
    const file = 'compose.stackgen-test.yaml';
    fs.writeFileSync(path.join(work, file), stringifyYaml(copy));

    const cmd = await composeCommand();
    const timeout = options.startupTimeoutMs ?? parseDuration(spec.verify.timeout, 180_000);
    let env = new DockerComposeEnvironment(work, file)
      .withProjectName(project)
      .withStartupTimeout(timeout)
      .withClientOptions({
        composeOptions: ['--project-directory', root],
        executable: cmd.version === 1 ? { standalone: true, executablePath: cmd.file } : { executablePath: cmd.file },
      });
    if (profiles.length > 0) env = env.withProfiles(...profiles);
    if (options.env) env = env.withEnvironment(options.env);
    if (!fs.existsSync(path.join(root, '.env'))) {
      const groups = envGroups({ spec, imageMap, rootDir: root });
      if (groups.length > 0) {
        const envFile = path.join(work, '.env');
        fs.writeFileSync(envFile, envLines(groups), { mode: 0o600 });
        env = env.withEnvironmentFile(envFile);
      }
    }
    for (const [name, svc] of wanted) env = env.withWaitStrategy(containerKey(name, cmd.version), waitFor(name, svc, spec));
    environment = await env.up(options.services);
  } catch (err) {
    await cleanup();
    throw err;
  }

  const started = environment;
  let downed: Promise<void> | undefined;
  const container = (service: string): StartedTestContainer => {
    try {
      return started.getContainer(containerKey(service, 2));
    } catch {
      return started.getContainer(containerKey(service, 1));
    }
  };
  const port = (service: string, containerPort?: number): number => {
    const p = containerPort ?? spec.services[service]?.port ?? undefined;
    if (!p) throw new StackgenError('E_INPUT', `${service}: name the container port (the spec gives it none)`);
    return container(service).getMappedPort(p);
  };
  const stack: RunningStack = {
    project,
    spec,
    environment: started,
    container,
    host: (service) => container(service).getHost(),
    port,
    url: (service, urlPath = '/') => `http://${container(service).getHost()}:${port(service)}${urlPath.startsWith('/') ? urlPath : `/${urlPath}`}`,
    down: () => (downed ??= cleanup()),
    [Symbol.asyncDispose]: () => stack.down(),
  };
  return stack;
}

/** The key testcontainers gives a compose container: `app-1` (Compose v2) or `app_1` (v1). */
function containerKey(service: string, version: 1 | 2): string {
  return version === 1 ? `${service}_1` : `${service}-1`;
}

/**
 * Ready, as the spec defines it: the compose healthcheck turns healthy, and for a service with a
 * health path published on the host, a GET of it through that port answers 2xx. Without either,
 * its published ports accept connections.
 */
function waitFor(name: string, svc: ComposeService & Record<string, unknown>, spec: Spec): WaitStrategy {
  const own = spec.services[name];
  const hasCheck = typeof svc.healthcheck === 'object' && svc.healthcheck !== null && !(svc.healthcheck as { disable?: boolean }).disable;
  const port = own ? (own.role === 'static' ? 8080 : own.port) : null;
  const published = port !== null && (svc.ports ?? []).some((p) => String(typeof p === 'string' ? p.split(':').at(-1) : p.target) === String(port));
  const healthPath = own?.healthcheck.path ?? (own?.role === 'static' ? '/healthz' : null);
  const strategies: WaitStrategy[] = [];
  if (hasCheck) strategies.push(Wait.forHealthCheck());
  if (healthPath && port !== null && published) strategies.push(Wait.forHttp(healthPath, port).forStatusCodeMatching((s) => s >= 200 && s < 300));
  if (strategies.length === 0) return Wait.forListeningPorts();
  return strategies.length === 1 ? strategies[0]! : Wait.forAll(strategies);
}

function withoutPublished(p: { target: number; published?: number | string; host_ip?: string }): { target: number; host_ip?: string } {
  const { published: _published, ...rest } = p;
  return rest;
}

/** Removes any container, network or volume still labelled with the project (after a failed `up`). */
async function removeProject(docker: string, project: string): Promise<void> {
  const label = `label=com.docker.compose.project=${project}`;
  const ids = async (args: string[]) => String((await execa(docker, args, { reject: false })).stdout).split('\n').filter(Boolean);
  const containers = await ids(['ps', '-aq', '--filter', label]);
  if (containers.length) await execa(docker, ['rm', '-f', '-v', ...containers], { reject: false });
  const networks = await ids(['network', 'ls', '-q', '--filter', label]);
  if (networks.length) await execa(docker, ['network', 'rm', ...networks], { reject: false });
  const volumes = await ids(['volume', 'ls', '-q', '--filter', label]);
  if (volumes.length) await execa(docker, ['volume', 'rm', '-f', ...volumes], { reject: false });
}
