/**
 * verify(dir): prove a rendered stack works. Lint it, check every image can be had, build every app
 * image, start the stack under a unique compose project, wait for every healthcheck, probe health
 * paths and the spec's checks over published ports (127.0.0.1, or a remote engine's host), check Prometheus' targets, report —
 * and always tear the project down (containers, networks, volumes, and the images it built).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { StackgenError } from '../errors.js';
import { loadImageMap, mapImage, mergeImageMaps, type ImageMap } from '../images/image-map.js';
import { lintPaths } from '../lint/index.js';
import { envGroups, envLines } from '../render/artifacts/env.js';
import { loadSpec } from '../spec/load.js';
import { linkOutside } from '../spec/semantic.js';
import { composeCommand, dockerCli, type ComposeCommand } from './docker-cli.js';
import { demuxDockerStream } from './docker-stream.js';
import { dockerfileImages, rewriteDockerfile } from './rewrite.js';
import { failureText, judge, passed, type VerifyRole } from './roles.js';
import { JOBS_PROFILE } from '../render/contexts/compose.js';

export interface VerifyOptions {
  /** Spec file; default `<dir>/stackgen.yaml`. */
  spec?: string;
  /** Overall bound for the stack to turn healthy, e.g. "180s" or milliseconds; default the spec's verify.timeout. */
  timeout?: string | number;
  /** Image-map file applied on top of the spec's `images` (air-gapped runs). */
  imageMap?: string;
  /** CA bundle passed to builds as the BuildKit secret `ca`; default the spec's build.caBundle. */
  caBundle?: string;
  /** Compose services to leave out deliberately (reported as skipped). */
  skipServices?: string[];
  /** Leave the stack running afterwards. */
  keep?: boolean;
  /** Keep the images verify built. */
  keepImages?: boolean;
  /** Aborting (Ctrl-C) stops the run; teardown still happens. */
  signal?: AbortSignal;
  onProgress?: (event: VerifyEvent) => void;
  /** Compose project name; default a unique `stackgen-verify-<name>-<id>`. */
  projectName?: string;
}

export type VerifyEvent =
  | { type: 'phase'; message: string }
  | { type: 'build-log'; service: string; line: string }
  /** `as`: how it passed, when not simply healthy — `completed` (a job), `running` (no healthcheck). */
  | { type: 'healthy'; service: string; afterMs: number; as?: 'healthy' | 'running' | 'completed' };

export interface ProbeResult {
  name: string;
  url: string;
  ok: boolean;
  status?: number;
  message?: string;
}

export interface BuildInfo {
  ms: number;
  image: string;
  sizeBytes: number;
  layers: number;
  cachedSteps: number;
  totalSteps: number;
}

export interface ServiceReport {
  name: string;
  kind: 'app' | 'backing' | 'observability' | 'proxy';
  image: string;
  build?: BuildInfo;
  /** `completed`: a job that exited 0. A worker is `healthy` once it stayed up its settle time. */
  health: 'healthy' | 'unhealthy' | 'running' | 'exited' | 'completed' | 'skipped' | 'not-started' | 'starting';
  /** An app service's role in the spec (web, static, worker, job). */
  role?: 'web' | 'static' | 'worker' | 'job';
  /** How a job or a worker ended when it did not pass: its exit code, or how often it was restarted. */
  exitCode?: number;
  restarts?: number;
  healthyAfterMs?: number;
  probes: ProbeResult[];
  healthOutput?: string;
  logsTail?: string[];
  skippedReason?: string;
}

export interface VerifyReport {
  ok: boolean;
  project: string;
  services: ServiceReport[];
  checks: ProbeResult[];
  skipped: Array<{ name: string; reason: string }>;
  failure?: string;
  durationMs: number;
  kept: boolean;
  stopCommand?: string;
  /** Variables given throwaway random values for this run because the checkout has no .env (CI). */
  generatedEnv?: string[];
  /** Where published ports were probed: 127.0.0.1, or a remote engine's host (DOCKER_HOST). */
  probeHost: string;
}

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> | string[]; secrets?: Array<string | { source: string; target?: string }> };
  profiles?: string[];
  ports?: Array<string | { target: number; published?: number | string; host_ip?: string }>;
}

/**
 * Where published ports can be reached. A local engine (unix socket, npipe, tcp://localhost): on
 * 127.0.0.1, never on the LAN. A remote engine (DOCKER_HOST=tcp://docker:2376 — GitLab's dind
 * service — or ssh://user@host): ports are published on its interfaces and probed at its host name.
 */
export function engineAddress(dockerHost: string | undefined = process.env.DOCKER_HOST): { bindIp: string; probeHost: string } {
  const host = /^(?:tcp|ssh|https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(dockerHost ?? '')?.[1];
  if (!host || host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return { bindIp: '127.0.0.1', probeHost: '127.0.0.1' };
  return { bindIp: '0.0.0.0', probeHost: host };
}

/** "127.0.0.1:8000:8000" → "<bind>::8000": same container port, a free host port, on the interface probes reach. */
function ephemeralPort(p: string | { target: number; published?: number | string; host_ip?: string }, bindIp: string): string | { target: number; host_ip?: string } {
  if (typeof p !== 'string') {
    const { published: _published, ...rest } = p;
    return { ...rest, host_ip: bindIp };
  }
  const parts = p.split(':');
  return `${bindIp}::${parts[parts.length - 1]!}`;
}

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';

function parseDuration(v: string | number | undefined, fallbackMs: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v ?? '');
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
}

function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StackgenError('E_INTERRUPTED', 'verify interrupted');
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function verify(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const root = path.resolve(dir);
  const progress = (message: string) => options.onProgress?.({ type: 'phase', message });
  const specFile = path.resolve(options.spec ?? path.join(root, 'stackgen.yaml'));
  if (!fs.existsSync(specFile)) {
    throw new StackgenError('E_INPUT', `${specFile}: no stackgen.yaml`, { hint: 'Run `stackgen init` first.', locations: [{ file: specFile }] });
  }
  const { spec } = loadSpec(specFile);
  const composeFile = path.join(root, 'compose.yaml');
  if (!fs.existsSync(composeFile)) {
    throw new StackgenError('E_INPUT', `${composeFile}: the stack was never rendered`, { hint: 'Run `stackgen render` (or `stackgen init`) first.', locations: [{ file: composeFile }] });
  }

  // 1. Engine first: without one nothing else can be checked (exit 75, try again later).
  const docker = new Docker();
  try {
    await Promise.race([docker.ping(), sleep(8000).then(() => Promise.reject(new Error('no answer in 8s')))]);
  } catch (cause) {
    throw new StackgenError('E_UNAVAILABLE', `Docker is not reachable (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'})`, {
      hint: 'Start it: `sudo systemctl start docker`, or `sudo dockerd &`, or in this repository `bash scripts/ensure-docker.sh`; then re-run.',
      cause,
    });
  }

  // 2. Lint the rendered stack: static errors stop here.
  progress('lint');
  const compose = parseYaml(fs.readFileSync(composeFile, 'utf8')) as { services?: Record<string, ComposeService>; secrets?: Record<string, { file?: string }> };
  const services = compose.services ?? {};
  const lintTargets = [composeFile, ...fs.readdirSync(root).filter((f) => /^compose\..+\.ya?ml$/.test(f)).map((f) => path.join(root, f))];
  const obsDir = path.join(root, 'observability');
  if (fs.existsSync(obsDir)) lintTargets.push(obsDir);
  for (const svc of Object.values(services)) {
    const b = buildOf(svc);
    if (b) lintTargets.push(path.join(root, b.context, b.dockerfile));
  }
  const lint = await lintPaths(lintTargets, { external: true, airGapped: Boolean(spec.images.mirror || Object.keys(spec.images.overrides).length || options.imageMap) });
  const errors = lint.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new StackgenError('E_CHECK_FAILED', `lint found ${errors.length} error(s) in the rendered stack`, {
      hint: 'Fix them (or re-render) before verifying: `stackgen lint` shows them with code frames.',
      locations: errors.map((f) => ({ file: path.relative(process.cwd(), f.file) || f.file, line: f.line, column: f.column, message: `${f.rule} ${f.message}` })),
    });
  }

  const imageMap: ImageMap = mergeImageMaps(
    { ...(spec.images.mirror ? { mirror: spec.images.mirror } : {}), overrides: spec.images.overrides },
    options.imageMap ? loadImageMap(options.imageMap) : undefined,
  );
  const runId = randomBytes(3).toString('hex');
  const project = options.projectName ?? `stackgen-verify-${spec.name}-${runId}`.slice(0, 60);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-verify-'));
  const address = engineAddress();
  // A fresh checkout (CI) has no .env (it is git-ignored), so compose would start databases with
  // empty passwords. Throwaway values for this run only, kept in verify's own folder.
  const envArgs: string[] = [];
  const generatedEnv: string[] = [];
  if (!fs.existsSync(path.join(root, '.env'))) {
    const groups = envGroups({ spec, imageMap, rootDir: root });
    if (groups.length > 0) {
      const file = path.join(work, '.env');
      fs.writeFileSync(file, envLines(groups), { mode: 0o600 });
      envArgs.push('--env-file', file);
      generatedEnv.push(...groups.flatMap((g) => g.vars.filter((v) => v.secret).map((v) => v.name)));
    }
  }
  const skip = new Set(options.skipServices ?? []);
  for (const s of skip) {
    if (!services[s]) throw new StackgenError('E_INPUT', `--skip-service ${s}: no such service in compose.yaml`, { hint: `Services: ${Object.keys(services).join(', ')}` });
  }
  // Jobs sit in the `jobs` profile (compose.yaml): verify runs them and waits for them to finish.
  const hasJobs = Object.values(spec.services).some((s) => s.role === 'job');
  const profiles = [...(spec.observability.prometheus || spec.observability.grafana ? ['observability'] : []), ...(spec.proxy.kind !== 'none' ? ['proxy'] : []), ...(hasJobs ? [JOBS_PROFILE] : [])];
  const active = Object.entries(services).filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)));
  const reports = new Map<string, ServiceReport>();
  for (const [name, s] of active) {
    const kind: ServiceReport['kind'] = buildOf(s) ? 'app' : name === 'prometheus' || name === 'grafana' ? 'observability' : s.profiles?.includes('proxy') ? 'proxy' : 'backing';
    const role = spec.services[name]?.role;
    reports.set(name, { name, kind, ...(kind === 'app' && role ? { role } : {}), image: s.image ?? '', health: skip.has(name) ? 'skipped' : 'not-started', probes: [], ...(skip.has(name) ? { skippedReason: name === 'grafana' ? 'skipped on request: Grafana image unavailable offline; its provisioning was checked statically by lint' : 'skipped on request (--skip-service)' } : {}) });
  }
  const report: VerifyReport = { ok: false, project, services: [...reports.values()], checks: [], skipped: [...reports.values()].filter((r) => r.health === 'skipped').map((r) => ({ name: r.name, reason: r.skippedReason! })), durationMs: 0, kept: false, probeHost: address.probeHost, ...(generatedEnv.length ? { generatedEnv } : {}) };
  const builtImages: string[] = [];
  let composeCmd: ComposeCommand | undefined;
  const overrideFile = path.join(work, 'compose.verify.yaml');
  const caBundle = options.caBundle ?? spec.build.caBundle ?? undefined;

  try {
    // 3. Images: every base and service image must be present, pullable or mapped — named up front.
    progress('images');
    const override: { services: Record<string, { image: string }> } = { services: {} };
    const dockerfiles = new Map<string, { file: string; context: string; target?: string; args: string[]; secrets: string[] }>();
    const needed = new Map<string, string>();
    for (const [name, s] of active) {
      if (skip.has(name)) continue;
      const b = buildOf(s);
      if (b) {
        const text = fs.readFileSync(path.join(root, b.context, b.dockerfile), 'utf8');
        const rewritten = rewriteDockerfile(text, imageMap);
        const file = path.join(work, `${name}.Dockerfile`);
        fs.writeFileSync(file, rewritten);
        // File-backed build secrets (a Node project's .npmrc); the CA bundle comes from --ca-bundle / build.caBundle.
        const secrets = b.secrets.flatMap((x) => {
          const src = compose.secrets?.[x.source]?.file;
          return x.id !== 'ca' && src ? [`id=${x.id},src=${buildSecretFile(root, x.source, src)}`] : [];
        });
        dockerfiles.set(name, { file, context: path.join(root, b.context), ...(b.target ? { target: b.target } : {}), args: b.args, secrets });
        for (const ref of dockerfileImages(rewritten)) needed.set(ref, `${name} (Dockerfile FROM)`);
      } else if (s.image) {
        const mapped = mapImage(s.image, imageMap);
        override.services[name] = { image: mapped };
        reports.get(name)!.image = mapped;
        needed.set(mapped, name);
      }
    }
    const missing: string[] = [];
    for (const [ref, who] of needed) {
      if (await imageExists(docker, ref)) continue;
      if (await tryPull(ref, options.signal)) continue;
      missing.push(`${ref} (needed by ${who})`);
    }
    if (missing.length > 0) {
      throw new StackgenError('E_CHECK_FAILED', `${missing.length} image(s) can be neither found locally, pulled nor mapped: ${missing.join('; ')}`, {
        hint: 'Map them to images you have (`--image-map FILE` or `images.overrides` in stackgen.yaml, e.g. scripts/offline-images.yaml), or leave a service out with `--skip-service NAME`.',
      });
    }

    // 4. Build every app image with BuildKit, under a fresh tag so a failed build can never pass for an old image.
    const docker_ = await dockerCli();
    for (const [name, d] of dockerfiles) {
      aborted(options.signal);
      progress(`build ${name}`);
      const tag = `${project}-${name}:verify`;
      const args = ['build', '--progress=plain', '-f', d.file, '-t', tag, ...(d.target ? ['--target', d.target] : []), ...d.args.flatMap((a) => ['--build-arg', a]), ...d.secrets.flatMap((x) => ['--secret', x])];
      if (caBundle) args.push('--secret', `id=ca,src=${path.resolve(root, caBundle)}`);
      args.push(d.context);
      const t0 = Date.now();
      const log: string[] = [];
      const child = execa(docker_, args, { env: { DOCKER_BUILDKIT: '1' }, all: true, reject: false, cancelSignal: options.signal, forceKillAfterDelay: 2000 });
      child.all?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          log.push(line);
          options.onProgress?.({ type: 'build-log', service: name, line });
        }
      });
      const r = await child;
      aborted(options.signal);
      if (r.exitCode !== 0) {
        const failing = [...log].reverse().find((l) => /^#\d+ \[.*\] (RUN|COPY|FROM|ADD)/.test(l) || /ERROR/.test(l)) ?? '';
        const svc = reports.get(name)!;
        svc.health = 'not-started';
        svc.logsTail = log.slice(-30);
        report.failure = `build of ${name} failed${failing ? ` at: ${failing.replace(/^#\d+\s*/, '')}` : ''}`;
        return finish(report, started);
      }
      builtImages.push(tag);
      const info = await docker.getImage(tag).inspect();
      const steps = new Set(log.map((l) => /^#(\d+) \[/.exec(l)?.[1]).filter(Boolean));
      const cached = new Set(log.map((l) => /^#(\d+) CACHED/.exec(l)?.[1]).filter(Boolean));
      const svc = reports.get(name)!;
      svc.image = tag;
      svc.build = { ms: Date.now() - t0, image: tag, sizeBytes: info.Size, layers: info.RootFS?.Layers?.length ?? 0, cachedSteps: cached.size, totalSteps: steps.size };
      override.services[name] = { image: tag };
    }
    // A full copy, not a -f override: compose appends override ports, and fixed host ports collide
    // with whatever else runs here (another verify, the user's dev stack). Ports go ephemeral on
    // 127.0.0.1; probes read the mapped port from the container.
    const copy = parseYaml(fs.readFileSync(composeFile, 'utf8')) as { services?: Record<string, ComposeService & Record<string, unknown>> };
    for (const [name, svc] of Object.entries(copy.services ?? {})) {
      const o = override.services[name];
      if (o) svc.image = o.image;
      if (svc.ports) svc.ports = svc.ports.map((p) => ephemeralPort(p, address.bindIp));
    }
    fs.writeFileSync(overrideFile, stringifyYaml(copy));

    // 5. Start the stack under its own project name; compose waits for service_healthy dependencies.
    aborted(options.signal);
    progress('start');
    composeCmd = await composeCommand();
    const composeArgs = ['-p', project, '--project-directory', root, ...envArgs, '-f', overrideFile, ...profiles.flatMap((p) => ['--profile', p])];
    const timeoutMs = parseDuration(options.timeout ?? spec.verify.timeout, 180_000);
    const deadline = Date.now() + timeoutMs;
    const startAt = Date.now();
    const toStart = active.map(([n]) => n).filter((n) => !skip.has(n));
    const up = execa(composeCmd.file, [...composeCmd.args, ...composeArgs, 'up', '-d', '--no-build', ...toStart], { cwd: root, all: true, reject: false, cancelSignal: options.signal, timeout: timeoutMs, forceKillAfterDelay: 2000 });
    const upResult = await up;
    aborted(options.signal);

    // 6. Wait until every service has passed for its role (roles.ts): healthy; a worker up for its
    // settle time without a restart; a job exited 0. Time to pass is recorded.
    progress('wait healthy');
    const settleMs = parseDuration(spec.verify.settle, 5000);
    const roleOf = (name: string): VerifyRole => (reports.get(name)!.kind === 'app' ? (spec.services[name]?.role ?? 'web') : 'backing');
    const upSince = new Map<string, number>();
    const done = new Set<string>();
    let allDone = false;
    while (!allDone) {
      aborted(options.signal);
      const containers = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
      allDone = true;
      for (const name of toStart) {
        if (done.has(name)) continue;
        const svc = reports.get(name)!;
        const c = containers.find((x) => x.Labels[SERVICE_LABEL] === name);
        if (!c) {
          allDone = false;
          continue;
        }
        const info = await docker.getContainer(c.Id).inspect();
        const st = info.State;
        const j = judge(roleOf(name), { running: st.Running, exitCode: st.ExitCode, restartCount: info.RestartCount ?? 0, ...(st.Health?.Status ? { health: st.Health.Status } : {}) }, Date.now(), settleMs, upSince.get(name));
        if (j.state === 'pending') {
          svc.health = 'starting';
          if (j.upSince !== undefined) upSince.set(name, j.upSince);
          else upSince.delete(name);
          allDone = false;
          continue;
        }
        done.add(name);
        if (passed(j)) {
          svc.health = j.state as 'healthy' | 'running' | 'completed';
          svc.healthyAfterMs = Date.now() - startAt;
          options.onProgress?.({ type: 'healthy', service: name, afterMs: svc.healthyAfterMs, as: svc.health as 'healthy' | 'running' | 'completed' });
        } else if (j.state === 'exited') {
          svc.health = 'exited';
          svc.exitCode = j.exitCode;
        } else if (j.state === 'restarted') {
          svc.health = 'exited';
          svc.restarts = j.restarts;
        } else svc.health = 'unhealthy';
      }
      if (!allDone && Date.now() > deadline) break;
      if (!allDone) await sleep(500, options.signal);
    }
    const bad = toStart.filter((n) => !['healthy', 'running', 'completed'].includes(reports.get(n)!.health));
    if (bad.length > 0) {
      const containers = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
      for (const name of bad) {
        const svc = reports.get(name)!;
        if (svc.health === 'starting' || svc.health === 'not-started') svc.health = svc.health === 'starting' ? 'unhealthy' : 'not-started';
        const c = containers.find((x) => x.Labels[SERVICE_LABEL] === name);
        if (!c) continue;
        const inspect = await docker.getContainer(c.Id).inspect();
        const last = inspect.State.Health?.Log?.at(-1);
        if (last) svc.healthOutput = `exit ${last.ExitCode}: ${last.Output.trim()}`.slice(0, 2000);
        svc.logsTail = await logsTail(docker, c.Id, 50);
      }
      // A job or worker says how it failed (its exit code, its restarts); other services keep the plain form.
      const why = bad.map((n) => {
        const r = reports.get(n)!;
        const role = roleOf(n);
        if (role !== 'job' && role !== 'worker') return n;
        const j = r.restarts ? { state: 'restarted' as const, restarts: r.restarts } : r.exitCode !== undefined ? { state: 'exited' as const, exitCode: r.exitCode } : r.health === 'unhealthy' && done.has(n) ? { state: 'unhealthy' as const } : { state: 'pending' as const };
        return `${n} (${failureText(role, j, Math.round(timeoutMs / 1000))})`;
      });
      report.failure = `not healthy within ${Math.round(timeoutMs / 1000)}s: ${why.join(', ')}${upResult.exitCode !== 0 ? ` (compose up: ${String(upResult.all ?? '').split('\n').filter(Boolean).at(-1) ?? ''})` : ''}`;
      return finish(report, started);
    }

    // 7. Probe health paths and the spec's checks over published ports.
    progress('probe');
    const containers = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
    const hostPort = (service: string, port: number): number | undefined => {
      const c = containers.find((x) => x.Labels[SERVICE_LABEL] === service);
      return c?.Ports.find((p) => p.PrivatePort === port && p.PublicPort && (p.IP === address.bindIp || p.IP === '0.0.0.0'))?.PublicPort;
    };
    for (const [name, s] of Object.entries(spec.services)) {
      const svc = reports.get(name);
      if (!svc || svc.health === 'skipped' || s.role === 'worker' || s.role === 'job') continue;
      const port = s.role === 'static' ? 8080 : s.port;
      const hp = port ? hostPort(name, port) : undefined;
      const healthPath = s.healthcheck.path ?? (s.role === 'static' ? '/healthz' : null);
      if (!healthPath) continue;
      if (!hp) {
        svc.probes.push({ name: `${name} ${healthPath}`, url: '', ok: true, message: 'not published on the host; its container healthcheck covered it' });
        continue;
      }
      svc.probes.push(await probe(`${name} ${healthPath}`, `http://${address.probeHost}:${hp}${healthPath}`, { status: undefined }));
    }
    for (const check of spec.verify.checks) {
      const s = spec.services[check.service];
      const port = s ? (s.role === 'static' ? 8080 : s.port) : null;
      const hp = port ? hostPort(check.service, port) : undefined;
      report.checks.push(
        hp ? await probe(`${check.method} ${check.service} ${check.path}`, `http://${address.probeHost}:${hp}${check.path}`, { status: check.status, bodyIncludes: check.bodyIncludes ?? undefined, method: check.method })
          : { name: `${check.service} ${check.path}`, url: '', ok: false, message: `${check.service} publishes no port` },
      );
    }
    // 8. Observability: every Prometheus target up; Grafana healthy when it runs.
    const prom = reports.get('prometheus');
    if (prom && prom.health === 'healthy') prom.probes.push(await prometheusTargets(address.probeHost, hostPort('prometheus', 9090), Math.max(deadline, Date.now() + 30_000), options.signal));
    const graf = reports.get('grafana');
    if (graf && graf.health === 'healthy') {
      const hp = hostPort('grafana', 3000);
      if (hp) graf.probes.push(await probe('grafana /api/health', `http://${address.probeHost}:${hp}/api/health`, {}));
    }
    const failedProbes = [...report.services.flatMap((s) => s.probes), ...report.checks].filter((p) => !p.ok);
    if (failedProbes.length > 0) report.failure = `probes failed: ${failedProbes.map((p) => `${p.name}${p.message ? ` (${p.message})` : ''}`).join('; ')}`;
    else report.ok = true;
    return finish(report, started);
  } finally {
    if (options.keep && !options.signal?.aborted && composeCmd) {
      report.kept = true;
      // With the profiles it started: `down` leaves a profile's services running otherwise.
      report.stopCommand = `${[composeCmd.file, ...composeCmd.args, '-p', project, '--project-directory', root, ...envArgs, '-f', overrideFile, ...profiles.flatMap((p) => ['--profile', p])].join(' ')} down -v --remove-orphans`;
    } else {
      progress('teardown');
      await teardown(docker, project, root, composeFile, overrideFile, composeCmd, envArgs);
      if (!options.keepImages) for (const tag of builtImages) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

function finish(report: VerifyReport, started: number): VerifyReport {
  report.durationMs = Date.now() - started;
  report.skipped = report.services.filter((s) => s.health === 'skipped').map((s) => ({ name: s.name, reason: s.skippedReason ?? 'skipped' }));
  return report;
}

/**
 * A build secret's file, which must be inside the project: the compose file comes with the repository,
 * and a secret mount hands the file to the repository's own install scripts, so a path (or a link) to
 * elsewhere on this machine would give them its contents. A host file is the operator's to pass
 * (`--ca-bundle`), never the repository's.
 */
function buildSecretFile(root: string, name: string, file: string): string {
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

function buildOf(s: ComposeService): { context: string; dockerfile: string; target?: string; args: string[]; secrets: Array<{ source: string; id: string }> } | undefined {
  if (!s.build) return undefined;
  if (typeof s.build === 'string') return { context: s.build, dockerfile: 'Dockerfile', args: [], secrets: [] };
  const args = Array.isArray(s.build.args) ? s.build.args : Object.entries(s.build.args ?? {}).map(([k, v]) => `${k}=${v}`);
  const secrets = (s.build.secrets ?? []).map((x) => (typeof x === 'string' ? { source: x, id: x } : { source: x.source, id: x.target ?? x.source }));
  return { context: s.build.context ?? '.', dockerfile: s.build.dockerfile ?? 'Dockerfile', ...(s.build.target ? { target: s.build.target } : {}), args, secrets };
}

async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

/** One pull attempt, bounded: an unreachable registry must fail fast, not hang verify. */
async function tryPull(ref: string, signal?: AbortSignal): Promise<boolean> {
  const r = await execa(await dockerCli(), ['pull', '--quiet', ref], { reject: false, timeout: 30_000, cancelSignal: signal });
  return r.exitCode === 0;
}

async function logsTail(docker: Docker, id: string, lines: number): Promise<string[]> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, tail: lines })) as unknown as Buffer;
  return demuxDockerStream(buf).split('\n').filter((l) => l !== '').slice(-lines);
}

async function probe(name: string, url: string, want: { status?: number; bodyIncludes?: string; method?: string }): Promise<ProbeResult> {
  // A just-healthy service may still be warming up its published port: a few quick retries.
  let last: ProbeResult = { name, url, ok: false, message: 'no answer' };
  for (let i = 0; i < 5; i++) {
    try {
      const res = await fetch(url, { method: want.method ?? 'GET', signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      const statusOk = want.status === undefined ? res.ok : res.status === want.status;
      const bodyOk = !want.bodyIncludes || body.includes(want.bodyIncludes);
      last = { name, url, ok: statusOk && bodyOk, status: res.status, ...(statusOk && bodyOk ? {} : { message: !statusOk ? `status ${res.status}, expected ${want.status ?? '2xx'}` : `body does not include ${JSON.stringify(want.bodyIncludes)}` }) };
      if (last.ok) return last;
    } catch (err) {
      last = { name, url, ok: false, message: (err as Error).message };
    }
    await sleep(1000);
  }
  return last;
}

async function prometheusTargets(host: string, hostPort: number | undefined, deadline: number, signal?: AbortSignal): Promise<ProbeResult> {
  if (!hostPort) return { name: 'prometheus targets up', url: '', ok: false, message: 'prometheus publishes no port' };
  const url = `http://${host}:${hostPort}/api/v1/targets`;
  let message = 'no answer';
  while (Date.now() < deadline && !signal?.aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { data?: { activeTargets?: Array<{ health: string; labels: Record<string, string>; lastError?: string }> } };
      const targets = body.data?.activeTargets ?? [];
      const down = targets.filter((t) => t.health !== 'up');
      if (targets.length > 0 && down.length === 0) return { name: `prometheus targets up (${targets.map((t) => t.labels.job).join(', ')})`, url, ok: true, status: res.status };
      message = targets.length === 0 ? 'no targets yet' : `down: ${down.map((t) => `${t.labels.job} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`).join(', ')}`;
    } catch (err) {
      message = (err as Error).message;
    }
    await sleep(1000, signal);
  }
  return { name: 'prometheus targets up', url, ok: false, message };
}

/** compose down, then remove anything of the project that is left (containers, networks, volumes). */
async function teardown(docker: Docker, project: string, root: string, composeFile: string, overrideFile: string, cmd: ComposeCommand | undefined, envArgs: string[]): Promise<void> {
  if (cmd) {
    const files = ['-f', fs.existsSync(overrideFile) ? overrideFile : composeFile];
    await execa(cmd.file, [...cmd.args, '-p', project, '--project-directory', root, ...envArgs, ...files, '--profile', 'observability', '--profile', 'proxy', 'down', '-v', '--remove-orphans', '-t', '5'], { cwd: root, reject: false, timeout: 120_000 });
  }
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  const vols = await docker.listVolumes({ filters });
  for (const v of vols.Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

/** Anything the project left behind (for tests and the report). */
export async function leftovers(project: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const docker = new Docker();
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [c, n, v] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return { containers: c.length, networks: n.length, volumes: v.Volumes?.length ?? 0 };
}

