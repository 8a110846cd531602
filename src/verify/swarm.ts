/**
 * `stackgen verify --target swarm`: the rendered compose.swarm.yaml on a real swarm. Builds the app
 * images (from compose.yaml's build sections: Swarm builds nothing), joins the engine to a
 * single-node swarm when it is in none (and leaves it afterwards only then), creates the versioned
 * secrets from `.env` (or throwaway values), `docker stack deploy --resolve-image=never`, waits until
 * every service has its replicas running and healthy, probes as compose verify does, then proves a
 * rolling update: the app images change, the stack is deployed again, and the health paths are probed
 * throughout until every task runs the new image. Everything it made is removed on every path.
 *
 * It verifies a copy of the stack file whose only changes are the images (the ones just built) and
 * the published ports (ephemeral, so a run never collides with what else runs here); update orders,
 * healthchecks, limits and networks are the file's own.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { StackgenError } from '../errors.js';
import { envGroups, envLines } from '../render/artifacts/env.js';
import { contentHash, SWARM_FILE, swarmContext } from '../render/contexts/swarm.js';
import { buildImages, buildOf, planImages } from './build.js';
import { dockerCli } from './docker-cli.js';
import { aborted, connectEngine, containerLogs, parseDuration, sleep } from './engine.js';
import { fetchOnce, probe } from './probe.js';
import { lintStack, loadStack } from './stack.js';
import type { ComposeService, ServiceReport, VerifyOptions, VerifyReport } from './types.js';

const STACK_LABEL = 'com.docker.stack.namespace';

export interface RolloutService {
  name: string;
  order: 'start-first' | 'stop-first';
  /** Probe rounds during the update, and how many found no task answering. */
  rounds: number;
  failedRounds: number;
  /** Longest stretch with no task answering, in ms. */
  longestGapMs: number;
  /** Whether every task ended on the new image, healthy. */
  converged: boolean;
  ok: boolean;
  message?: string;
}

export interface RolloutReport {
  ok: boolean;
  ms: number;
  services: RolloutService[];
}

export interface SwarmVerifyReport extends VerifyReport {
  target: 'swarm';
  /** This run initialised the swarm (and left it again). */
  createdSwarm: boolean;
  routingMesh: boolean;
  rollout: RolloutReport | null;
}

interface StackService {
  image?: string;
  ports?: Array<{ target: number; published?: number; protocol?: string; mode?: string }>;
  healthcheck?: unknown;
  deploy?: { replicas?: number; update_config?: { order?: string } };
}
interface StackFile {
  services?: Record<string, StackService>;
  configs?: Record<string, { file?: string; name?: string }>;
  secrets?: Record<string, { external?: boolean; name?: string }>;
}
/** `NAME=value` lines (comments and blanks skipped, optional quotes removed), as `docker stack deploy`'s shell would have them. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

/** The running tasks of a service, each with its container (on this node) when it has one. */
async function runningTasks(docker: Docker, serviceId: string): Promise<Array<{ id: string; image: string; container?: string; state: string; err?: string }>> {
  const tasks = (await docker.listTasks({ filters: { service: [serviceId], 'desired-state': ['running'] } })) as Array<{
    ID: string;
    Spec: { ContainerSpec?: { Image?: string } };
    Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string } };
  }>;
  return tasks.map((t) => ({ id: t.ID, image: t.Spec.ContainerSpec?.Image ?? '', state: t.Status.State, ...(t.Status.ContainerStatus?.ContainerID ? { container: t.Status.ContainerStatus.ContainerID } : {}), ...(t.Status.Err ? { err: t.Status.Err } : {}) }));
}

/** Host ports a service's tasks answer on: the routing mesh's published port, or each task's host-mode port. */
async function hostPorts(docker: Docker, serviceId: string, target: number): Promise<number[]> {
  const svc = (await docker.getService(serviceId).inspect()) as { Endpoint?: { Ports?: Array<{ TargetPort: number; PublishedPort?: number; PublishMode?: string }> } };
  const ingress = svc.Endpoint?.Ports?.find((p) => p.TargetPort === target && p.PublishMode !== 'host' && p.PublishedPort);
  if (ingress?.PublishedPort) return [ingress.PublishedPort];
  const out: number[] = [];
  for (const t of await runningTasks(docker, serviceId)) {
    if (!t.container || t.state !== 'running') continue;
    const c = await docker.getContainer(t.container).inspect().catch(() => undefined);
    const bound = c?.NetworkSettings?.Ports?.[`${target}/tcp`]?.find((b) => b.HostPort)?.HostPort;
    if (bound) out.push(Number(bound));
  }
  return out;
}

export async function verifySwarm(dir: string, options: VerifyOptions = {}): Promise<SwarmVerifyReport> {
  const started = Date.now();
  const progress = (message: string) => options.onProgress?.({ type: 'phase', message });
  if (options.keep) throw new StackgenError('E_INPUT', '--keep is for compose verify: a swarm verify always removes its stack', { hint: 'Deploy the stack yourself to keep it running: see the top of compose.swarm.yaml.' });
  const loaded = loadStack(dir, options);
  const { root, spec, imageMap } = loaded;
  const stackFile = path.join(root, SWARM_FILE);
  if (!spec.targets.includes('swarm') || !fs.existsSync(stackFile)) {
    throw new StackgenError('E_INPUT', `${stackFile}: no Swarm stack file to verify`, {
      hint: spec.targets.includes('swarm') ? 'Run `stackgen render` first.' : 'Add swarm to the spec (`targets: [compose, swarm]`) and run `stackgen render`.',
      locations: [{ file: path.resolve(options.spec ?? path.join(root, 'stackgen.yaml')), path: 'targets' }],
    });
  }
  const docker = await connectEngine();

  // Lint: compose.swarm.yaml is one of the compose files the shared stage lints, with every Dockerfile.
  progress('lint');
  await lintStack(loaded, options);

  const ctx = swarmContext(spec, root, imageMap);
  const runId = randomBytes(3).toString('hex');
  const stack = (options.projectName ?? `sgv-${spec.name}-${runId}`).slice(0, 40).replace(/-+$/, '');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-verify-swarm-'));
  const file = parseYaml(fs.readFileSync(stackFile, 'utf8')) as StackFile;
  const services = file.services ?? {};
  // Swarm builds nothing: app images come from compose.yaml's build sections, the rest are the stack file's images.
  const composeServices = loaded.compose.services ?? {};
  const builds = new Map(Object.keys(services).filter((name) => spec.services[name] && buildOf(composeServices[name] ?? {})).map((name) => [name, composeServices[name]!] as const));
  const reports = new Map<string, ServiceReport>();
  for (const [name, s] of Object.entries(services)) reports.set(name, { name, kind: builds.has(name) ? 'app' : 'backing', image: s.image ?? '', health: 'not-started', probes: [] });
  const report: SwarmVerifyReport = { ok: false, project: stack, services: [...reports.values()], checks: [], skipped: [], durationMs: 0, kept: false, probeHost: '127.0.0.1', target: 'swarm', createdSwarm: false, routingMesh: spec.swarm.routingMesh, rollout: null };
  const finish = () => ((report.durationMs = Date.now() - started), report);

  // Variables the deploy reads from the shell: .env, else throwaway values for this run.
  let env: Record<string, string>;
  const envFile = path.join(root, '.env');
  if (fs.existsSync(envFile)) env = parseEnvFile(fs.readFileSync(envFile, 'utf8'));
  else {
    const groups = envGroups({ spec, imageMap, rootDir: root });
    env = parseEnvFile(envLines(groups));
    const generated = groups.flatMap((g) => g.vars.filter((v) => v.secret).map((v) => v.name));
    if (generated.length) report.generatedEnv = generated;
  }

  const built: string[] = [];
  const createdSecrets: string[] = [];
  let deployed = false;
  const cli = await dockerCli();
  const caBundle = options.caBundle ?? spec.build.caBundle ?? undefined;
  try {
    // 1. Images: the same stages as compose verify (every image present, pullable or mapped; app images built under a fresh tag).
    progress('images');
    const planned = Object.entries(services).map(([name, s]): [string, ComposeService] => [name, builds.get(name) ?? { ...(s.image ? { image: s.image } : {}) }]);
    const plan = await planImages(docker, root, loaded.compose, planned, imageMap, work, options.signal);
    for (const [name, image] of plan.images) {
      services[name]!.image = image;
      reports.get(name)!.image = image;
    }
    const outcome = await buildImages(docker, plan, {
      project: stack,
      root,
      ...(caBundle ? { caBundle } : {}),
      options,
      onBuilt: (b) => {
        built.push(b.tag);
        services[b.service]!.image = b.tag;
        Object.assign(reports.get(b.service)!, { image: b.tag, build: b.info });
      },
    });
    if (!outcome.ok) {
      reports.get(outcome.service)!.logsTail = outcome.logTail;
      report.failure = `build of ${outcome.service} failed${outcome.failingStep ? ` at: ${outcome.failingStep}` : ''}`;
      return finish();
    }

    // 2. A swarm: this engine's, or a single-node one made for this run.
    progress('swarm');
    const state = ((await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }).Swarm;
    if (state?.LocalNodeState !== 'active') {
      await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
      report.createdSwarm = true;
    } else if (!state.ControlAvailable) {
      throw new StackgenError('E_INPUT', 'this engine is a swarm worker: stacks are deployed from a manager', { hint: 'Run verify against a manager node (DOCKER_HOST), or on an engine in no swarm.' });
    }

    // 3. Versioned secrets, named as the stack file's header says: <prefix>_<sha256 of the value, 12 hex>.
    for (const x of ctx.secrets) {
      const value = env[x.env];
      if (value === undefined) throw new StackgenError('E_INPUT', `.env has no ${x.env}, which the secret ${x.key} is made from`, { hint: `Add ${x.env}= to .env (or delete .env to let verify generate throwaway values).` });
      const hash = contentHash(value);
      env[x.versionVar] = hash;
      const name = `${x.prefix}_${hash}`;
      const exists = (await docker.listSecrets({ filters: { name: [name] } })).some((s) => s.Spec?.Name === name);
      if (!exists) {
        await docker.createSecret({ Name: name, Data: Buffer.from(value).toString('base64'), Labels: { 'dev.stackgen.verify': stack } });
        createdSecrets.push(name);
      }
    }

    // 4. The copy verify deploys: built images, ephemeral published ports, config files by absolute path.
    for (const s of Object.values(services)) if (s.ports) s.ports = s.ports.map(({ published: _published, ...p }) => p);
    for (const c of Object.values(file.configs ?? {})) if (c.file) c.file = path.resolve(root, c.file);
    const deploy = async (f: StackFile) => {
      const copy = path.join(work, SWARM_FILE);
      fs.writeFileSync(copy, stringifyYaml(f));
      const r = await execa(cli, ['stack', 'deploy', '--resolve-image=never', '--prune', '-c', copy, stack], { cwd: root, env: { ...env }, all: true, reject: false, timeout: 120_000, cancelSignal: options.signal });
      if (r.exitCode !== 0) throw new StackgenError('E_CHECK_FAILED', `docker stack deploy refused ${SWARM_FILE}: ${String(r.all).split('\n').filter(Boolean).slice(-3).join(' ')}`, { locations: [{ file: stackFile }] });
    };
    aborted(options.signal);
    progress('deploy');
    const startAt = Date.now();
    deployed = true;
    await deploy(file);

    // 5. Converge: every service its replicas, each task running and healthy.
    progress('wait healthy');
    const timeoutMs = parseDuration(options.timeout ?? spec.verify.timeout, 180_000);
    const ids = new Map<string, string>();
    const converged = async (image?: (name: string) => string | undefined): Promise<Map<string, string>> => {
      const pending = new Map<string, string>();
      for (const s of await docker.listServices({ filters: { label: [`${STACK_LABEL}=${stack}`] } })) {
        const name = (s.Spec?.Name ?? '').slice(stack.length + 1);
        ids.set(name, s.ID!);
        const want = s.Spec?.Mode?.Replicated?.Replicas ?? 1;
        if (spec.services[name]?.role === 'job') {
          // A job has converged when a task completed (exit 0); restarts on failure are the stack file's.
          const all = (await docker.listTasks({ filters: { service: [s.ID!] } })) as Array<{ Status: { State: string; Err?: string } }>;
          if (!all.some((t) => t.Status.State === 'complete')) pending.set(name, all.map((t) => `${t.Status.State}${t.Status.Err ? ` (${t.Status.Err})` : ''}`).join(', ') || 'no task yet');
          continue;
        }
        const tasks = await runningTasks(docker, s.ID!);
        const wantImage = image?.(name);
        const good = [];
        for (const t of tasks) {
          if (t.state !== 'running' || !t.container || (wantImage && !t.image.startsWith(wantImage))) continue;
          const health = (await docker.getContainer(t.container).inspect().catch(() => undefined))?.State?.Health?.Status;
          if (health === undefined || health === 'healthy') good.push(t);
        }
        const stale = wantImage ? tasks.filter((t) => !t.image.startsWith(wantImage)).length : 0;
        if (good.length < want || stale > 0) pending.set(name, tasks.map((t) => `${t.state}${t.err ? ` (${t.err})` : ''}`).join(', ') || 'no task running');
      }
      for (const name of Object.keys(services)) if (!ids.has(name)) pending.set(name, 'no such service');
      return pending;
    };
    let pending = await converged();
    const healthyAt = new Map<string, number>();
    while (Date.now() - startAt < timeoutMs) {
      aborted(options.signal);
      pending = await converged();
      for (const name of Object.keys(services)) {
        if (!pending.has(name) && !healthyAt.has(name)) {
          healthyAt.set(name, Date.now() - startAt);
          options.onProgress?.({ type: 'healthy', service: name, afterMs: Date.now() - startAt });
        }
      }
      if (pending.size === 0) break;
      await sleep(1000, options.signal);
    }
    for (const [name, r] of reports) {
      if (healthyAt.has(name)) Object.assign(r, { health: spec.services[name]?.role === 'job' ? 'completed' : services[name]?.healthcheck ? 'healthy' : 'running', healthyAfterMs: healthyAt.get(name) });
      else r.health = 'unhealthy';
    }
    if (pending.size > 0) {
      for (const [name, why] of pending) {
        const r = reports.get(name)!;
        r.healthOutput = why.slice(0, 2000);
        const id = ids.get(name);
        const tasks = id ? ((await docker.listTasks({ filters: { service: [id] } })) as Array<{ Status: { ContainerStatus?: { ContainerID?: string }; Timestamp?: string } }>) : [];
        const last = tasks.sort((a, b) => String(b.Status.Timestamp).localeCompare(String(a.Status.Timestamp))).find((t) => t.Status.ContainerStatus?.ContainerID);
        if (last?.Status.ContainerStatus?.ContainerID) r.logsTail = await containerLogs(docker, last.Status.ContainerStatus.ContainerID, 50).catch(() => []);
      }
      report.failure = `not converged within ${Math.round(timeoutMs / 1000)}s: ${[...pending].map(([n, why]) => `${n} (${why})`).join('; ')}`;
      return finish();
    }

    // 6. Probes: health paths and the spec's checks, on loopback through the published ports.
    progress('probe');
    const webs = Object.entries(spec.services).filter(([name, s]) => s.role !== 'worker' && s.role !== 'job' && services[name]?.ports?.length);
    const healthPath = (s: (typeof spec.services)[string]) => s.healthcheck.path ?? (s.role === 'static' ? '/healthz' : null);
    const targetPort = (s: (typeof spec.services)[string]) => (s.role === 'static' ? 8080 : s.port!);
    for (const [name, s] of webs) {
      const p = healthPath(s);
      if (!p) continue;
      const ports = await hostPorts(docker, ids.get(name)!, targetPort(s));
      const r = reports.get(name)!;
      if (ports.length === 0) r.probes.push({ name: `${name} ${p}`, url: '', ok: false, message: 'no published port answers' });
      for (const hp of ports) r.probes.push(await probe(`${name} ${p}`, `http://127.0.0.1:${hp}${p}`, {}, options.signal));
    }
    for (const check of spec.verify.checks) {
      const s = spec.services[check.service];
      const ports = s && ids.has(check.service) && s.port ? await hostPorts(docker, ids.get(check.service)!, targetPort(s)) : [];
      report.checks.push(
        ports[0]
          ? await probe(`${check.method} ${check.service} ${check.path}`, `http://127.0.0.1:${ports[0]}${check.path}`, { status: check.status, ...(check.bodyIncludes ? { bodyIncludes: check.bodyIncludes } : {}), method: check.method }, options.signal)
          : { name: `${check.service} ${check.path}`, url: '', ok: false, message: `${check.service} publishes no port` },
      );
    }
    const failed = [...report.services.flatMap((s) => s.probes), ...report.checks].filter((p) => !p.ok);
    if (failed.length > 0) {
      report.failure = `probes failed: ${failed.map((p) => `${p.name}${p.message ? ` (${p.message})` : ''}`).join('; ')}${spec.swarm.routingMesh ? ' — a node without IPVS cannot route published ports through the mesh: see swarm.routingMesh in README' : ''}`;
      return finish();
    }

    // 7. Rolling update: a changed image for every app service, deployed again, probed throughout.
    progress('rolling update');
    const next = new Map<string, string>();
    // Jobs have finished: a rolling update is for services that keep running.
    for (const [name] of [...builds].filter(([n]) => spec.services[n]?.role !== 'job')) {
      const tag = `${stack}-${name}:rollout`;
      const r = await execa(cli, ['build', '-t', tag, '-'], { input: `FROM ${services[name]!.image}\nLABEL dev.stackgen.verify.rollout="${runId}"\n`, env: { DOCKER_BUILDKIT: '1' }, all: true, reject: false, cancelSignal: options.signal });
      if (r.exitCode !== 0) throw new StackgenError('E_CHECK_FAILED', `could not derive the changed image for ${name}: ${String(r.all).split('\n').slice(-3).join(' ')}`);
      built.push(tag);
      next.set(name, tag);
      services[name]!.image = tag;
    }
    const t0 = Date.now();
    const stats = new Map<string, { rounds: number; failed: number; gapStart: number | null; longest: number }>(webs.filter(([, s]) => healthPath(s)).map(([n]) => [n, { rounds: 0, failed: 0, gapStart: null, longest: 0 }]));
    const deadline = t0 + timeoutMs;
    let stop = false;
    const prober = (async () => {
      while (!stop && !options.signal?.aborted) {
        for (const [name, st] of stats) {
          const s = spec.services[name]!;
          const ports = await hostPorts(docker, ids.get(name)!, targetPort(s)).catch(() => []);
          const answers = await Promise.all(ports.map((hp) => fetchOnce(`http://127.0.0.1:${hp}${healthPath(s)!}`, {}, 2000)));
          st.rounds++;
          const now = Date.now();
          if (answers.some((a) => a.ok)) {
            if (st.gapStart !== null) st.longest = Math.max(st.longest, now - st.gapStart);
            st.gapStart = null;
          } else {
            st.failed++;
            st.gapStart ??= now;
          }
        }
        await sleep(250, options.signal);
      }
    })();
    let rollPending = new Map<string, string>();
    try {
      await deploy(file);
      while (Date.now() < deadline) {
        aborted(options.signal);
        rollPending = await converged((name) => next.get(name));
        if (rollPending.size === 0) break;
        await sleep(1000, options.signal);
      }
      // A few more rounds once converged: the old tasks are gone, the new ones must keep answering.
      await sleep(2000, options.signal);
    } finally {
      stop = true;
      await prober;
    }
    const rollout: RolloutReport = { ok: true, ms: Date.now() - t0, services: [] };
    for (const name of next.keys()) {
      const order = (services[name]!.deploy?.update_config?.order ?? 'stop-first') as RolloutService['order'];
      const st = stats.get(name);
      if (st?.gapStart != null) st.longest = Math.max(st.longest, Date.now() - st.gapStart);
      const convergedOk = !rollPending.has(name);
      // One task updated stop-first (a host-mode port) has an outage by design: measured and reported,
      // not a failure. With start-first, or with a second task to answer meanwhile, there must be none.
      const replicas = services[name]!.deploy?.replicas ?? 1;
      const outageByDesign = order === 'stop-first' && replicas < 2;
      const ok = convergedOk && (!st || st.failed === 0 || outageByDesign);
      const message = !convergedOk ? `not every task runs the new image within ${Math.round(timeoutMs / 1000)}s: ${rollPending.get(name)}` : st && st.failed > 0 ? `${st.failed} of ${st.rounds} probe rounds found no task answering (longest gap ${(st.longest / 1000).toFixed(1)}s)${outageByDesign ? ': expected with one task updated stop-first' : ''}` : undefined;
      rollout.services.push({ name, order, rounds: st?.rounds ?? 0, failedRounds: st?.failed ?? 0, longestGapMs: st?.longest ?? 0, converged: convergedOk, ok, ...(message ? { message } : {}) });
      if (!ok) rollout.ok = false;
    }
    report.rollout = rollout;
    if (!rollout.ok) {
      report.failure = `rolling update: ${rollout.services.filter((s) => !s.ok).map((s) => `${s.name}: ${s.message ?? 'failed'}`).join('; ')}`;
      return finish();
    }
    report.ok = true;
    return finish();
  } finally {
    progress('teardown');
    if (deployed) await teardownStack(docker, cli, stack);
    for (const name of createdSecrets) await docker.getSecret(name).remove().catch(() => undefined);
    if (!options.keepImages) for (const tag of built.reverse()) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    if (report.createdSwarm) await docker.swarmLeave({ force: true }).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** stack rm, then wait for its tasks to go and remove what outlives them (volumes, a network still draining). */
async function teardownStack(docker: Docker, cli: string, stack: string): Promise<void> {
  await execa(cli, ['stack', 'rm', stack], { reject: false, timeout: 60_000 });
  const filters = { label: [`${STACK_LABEL}=${stack}`] };
  const until = Date.now() + 60_000;
  while (Date.now() < until && (await docker.listContainers({ all: true, filters })).length > 0) await sleep(500);
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (let i = 0; i < 20; i++) {
    const nets = await docker.listNetworks({ filters });
    for (const n of nets) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    if ((await docker.listNetworks({ filters })).length === 0) break;
    await sleep(500);
  }
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  for (const c of await docker.listConfigs({ filters })) await docker.getConfig(c.ID).remove().catch(() => undefined);
}

/** Anything a swarm verify of `stack` left behind (tests). */
export async function swarmLeftovers(stack: string): Promise<{ services: number; containers: number; networks: number; volumes: number; configs: number; secrets: number }> {
  const docker = new Docker();
  const filters = { label: [`${STACK_LABEL}=${stack}`] };
  const inSwarm = ((await docker.info()) as { Swarm?: { LocalNodeState?: string } }).Swarm?.LocalNodeState === 'active';
  const [c, n, v] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return {
    services: inSwarm ? (await docker.listServices({ filters })).length : 0,
    containers: c.length,
    networks: n.length,
    volumes: v.Volumes?.length ?? 0,
    configs: inSwarm ? (await docker.listConfigs({ filters })).length : 0,
    secrets: inSwarm ? (await docker.listSecrets({ filters: { label: [`dev.stackgen.verify=${stack}`] } })).length : 0,
  };
}

/** The rolling-update lines under the verify table. */
export function formatRollout(r: SwarmVerifyReport): string {
  const lines = [`swarm stack ${r.project}${r.createdSwarm ? ' (on a single-node swarm made for this run, left again)' : ''}; routing mesh ${r.routingMesh ? 'on' : 'off (dnsrr, host-mode ports)'}`];
  if (r.rollout) {
    lines.push(`rolling update ${r.rollout.ok ? 'ok' : 'FAILED'} in ${(r.rollout.ms / 1000).toFixed(1)}s:`);
    for (const s of r.rollout.services) lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.order}): ${s.rounds} probe rounds, ${s.failedRounds} without an answer${s.message ? ` — ${s.message}` : ''}`);
  }
  return lines.join('\n');
}
