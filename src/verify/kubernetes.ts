/**
 * `stackgen verify --target kubernetes`: what can be proven of the Kubernetes output without a
 * cluster. The dev overlay is built with `kubectl kustomize`, every object validated against the API
 * schema (unknown fields refused) and linted; then each workload's pod runs in Docker as its pod spec
 * says — the numeric user and group, a read-only root with its emptyDirs as tmpfs, every capability
 * dropped, no privilege escalation, env from the rendered ConfigMaps and Secrets (with Kubernetes'
 * `$(VAR)` expansion), secret volumes, a volume for each claim — and its probes run as written
 * (httpGet on the named port, tcpSocket, exec), with their periods, timeouts and thresholds. Each
 * workload is judged by what it is: a Deployment or StatefulSet that serves must pass its probes; a
 * worker (a Deployment with no port that no Service selects) must also stay up without a restart for
 * the settle time, as compose verify judges workers (roles.ts); a Job's pod must exit 0 within the
 * timeout, a failed pod being replaced by a fresh one up to backoffLimit times with the Job
 * controller's backoff. It is not a cluster: the report lists what this proves and what only a
 * cluster can.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import { StackgenError } from '../errors.js';
import { mapImage, type ImageMap } from '../images/image-map.js';
import { lintFiles } from '../lint/index.js';
import { validateKubernetesObject } from '../lint/kubernetes/schema.js';
import { buildImages, buildOf, planImages } from './build.js';
import { aborted, connectEngine, containerLogs, parseDuration, sleep } from './engine.js';
import { failureText, judge, type Judgement } from './roles.js';
import { loadStack } from './stack.js';

export interface KubernetesVerifyOptions {
  /** Spec file; default `<dir>/stackgen.yaml`. */
  spec?: string;
  /** Overlay to build; default dev. */
  overlay?: string;
  /** Bound for each pod's startup probe budget and the whole run's waits, e.g. "180s"; default the spec's verify.timeout. */
  timeout?: string;
  /** How long a worker must stay up without a restart, e.g. "10s"; default the spec's verify.settle. */
  settle?: string;
  /** Image-map file applied on top of the spec's `images` (air-gapped runs). */
  imageMap?: string;
  /** CA bundle passed to builds as the BuildKit secret `ca`; default the spec's build.caBundle. */
  caBundle?: string;
  /** Keep the images verify built. */
  keepImages?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface ProbeRun {
  probe: 'startup' | 'readiness' | 'liveness';
  handler: string;
  ok: boolean;
  attempts: number;
  message: string;
}

/** One pod a Job ran: its exit code (null when the timeout stopped it) and how long it ran. */
export interface JobAttempt {
  exitCode: number | null;
  durationMs: number;
}

/**
 * How verify judges a workload: `serving` (a Service selects it or it declares a port) must pass its
 * probes; `worker` must also stay up for the settle time without a restart; `job` must exit 0.
 */
export type PodRole = 'serving' | 'worker' | 'job';

export interface PodReport {
  workload: string;
  kind: string;
  role: PodRole;
  image: string;
  /** As the container ran it: user, read-only root, tmpfs paths, dropped capabilities. */
  securityApplied: { user: string; readOnlyRoot: boolean; tmpfs: string[]; capDrop: string[]; noNewPrivileges: boolean };
  status: 'ready' | 'failed' | 'completed' | 'not-started';
  probes: ProbeRun[];
  /** Times the engine restarted the container (restartPolicy Always); a worker fails on the first. */
  restarts: number;
  /** A worker: how long it was watched up without a restart. */
  settledMs?: number;
  /** A Job: its backoffLimit and every pod it ran, in order. */
  job?: { backoffLimit: number; attempts: JobAttempt[] };
  /** Why it failed, in the words the report shows. */
  failure?: string;
  logsTail?: string[];
}

export interface KubernetesVerifyReport {
  target: 'kubernetes';
  /** Always true: this ran pods in Docker, not in a cluster. */
  notACluster: true;
  ok: boolean;
  overlay: string;
  /** Objects the overlay built, each validated against the API schema. */
  objects: number;
  pods: PodReport[];
  /** Secret keys given throwaway values because the overlay's secrets/*.env files did not exist. */
  generatedSecrets: string[];
  guarantees: { proven: string[]; notProven: string[] };
  failure?: string;
  durationMs: number;
}

type Obj = Record<string, any>;

/** What running pods in Docker proves, and what it does not, compared with a real cluster. */
export const GUARANTEES: KubernetesVerifyReport['guarantees'] = {
  proven: [
    'every object of the overlay validates against the Kubernetes API schema (kubernetes-models), unknown fields refused',
    'the overlay builds with kubectl kustomize (secretGenerator names and references included)',
    'each image starts as the pod spec\'s numeric runAsUser/runAsGroup with a read-only root, its emptyDirs as tmpfs, all capabilities dropped and no privilege escalation',
    'the app reads its configuration from the rendered ConfigMaps and Secrets (Kubernetes $(VAR) expansion applied) and reaches backing services by their Service names',
    'every startup and readiness probe (and liveness, when rendered) passes as written: same handler, named port, path, period, timeout and threshold',
    'each worker (a Deployment with no port that no Service selects) stays up for the settle time without a restart, the engine restarting it as restartPolicy Always would',
    'each Job\'s pod exits 0 within the timeout; a failed pod is replaced by a fresh one up to backoffLimit times, after the Job controller\'s backoff (10s, doubling)',
  ],
  notProven: [
    'no API server admitted the objects: admission webhooks, Pod Security admission, quotas and LimitRanges are not applied',
    'no scheduler: resource requests, node capacity, affinity and PodDisruptionBudgets are not exercised; limits are enforced by Docker, not the kubelet',
    'no kube-proxy or cluster DNS: Services are Docker network aliases, so Service selectors and ports are checked by lint (SG6011, SG6012), not by traffic',
    'no Ingress controller, NetworkPolicy enforcement, HPA or StorageClass: those objects are validated, not run',
    'start order differs: verify starts backing workloads before apps; a cluster starts everything at once and restarts pods until their dependencies answer',
    'volume claims are Docker volumes made group-writable for fsGroup as kubelet does; a real storage driver may behave differently',
    'no Job controller: podFailurePolicy, parallelism, completions and ttlSecondsAfterFinished are not applied; activeDeadlineSeconds only shortens verify\'s own timeout',
  ],
};

/** Kubernetes' expansion of `$(VAR)` in env values, command and args: defined variables are replaced, `$$` is a literal `$`, anything else stays. */
export function expandKube(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (all === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : all;
  });
}

/** A Kubernetes quantity in bytes (memory) or nano-CPUs (cpu). */
export function quantity(q: string | number, kind: 'memory' | 'cpu'): number {
  const s = String(q);
  if (kind === 'cpu') return Math.round((s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s)) * 1e9);
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(s);
  if (!m) throw new StackgenError('E_INVALID', `not a memory quantity: ${s}`);
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * (m[2] ? mult[m[2]]! : 1));
}

/** The pod template of a workload object, or null. */
function podTemplate(o: Obj): Obj | null {
  if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'Job') return o.spec?.template ?? null;
  return null;
}

/** Secret keys the overlay's secretGenerator reads that have no env file: throwaway values for this run. */
function fillSecrets(overlayDir: string): string[] {
  const k = (parseAllDocuments(fs.readFileSync(path.join(overlayDir, 'kustomization.yaml'), 'utf8'))[0]!.toJS() ?? {}) as Obj;
  const generated: string[] = [];
  for (const g of (k.secretGenerator ?? []) as Obj[]) {
    for (const file of (g.envs ?? []) as string[]) {
      const target = path.join(overlayDir, file);
      if (fs.existsSync(target)) continue;
      const example = `${target}.example`;
      const keys = fs.existsSync(example) ? [...fs.readFileSync(example, 'utf8').matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!) : [];
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, keys.map((key) => `${key}=${randomBytes(18).toString('hex')}\n`).join(''), { mode: 0o600 });
      generated.push(...keys.map((key) => `${g.name}/${key}`));
    }
  }
  return generated;
}

async function freePortProbe(host: string, port: number, timeoutMs: number): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => { s.destroy(); resolve({ ok: false, message: `no connection within ${timeoutMs}ms` }); }, timeoutMs);
    s.on('connect', () => { clearTimeout(t); s.destroy(); resolve({ ok: true, message: 'connected' }); });
    s.on('error', (e) => { clearTimeout(t); resolve({ ok: false, message: e.message }); });
  });
}

interface RunningPod {
  report: PodReport;
  container: Docker.Container;
  spec: Obj;
  /** containerPort → host port on 127.0.0.1. */
  hostPorts: Map<number, number>;
  portNames: Map<string, number>;
}

/** One attempt of a probe handler as the kubelet runs it (httpGet/tcpSocket from outside the pod, exec inside it). */
async function probeOnce(pod: RunningPod, handler: Obj, timeoutSeconds: number): Promise<{ ok: boolean; message: string }> {
  const timeoutMs = timeoutSeconds * 1000;
  const resolvePort = (p: string | number) => (typeof p === 'number' ? p : pod.portNames.get(p));
  if (handler.httpGet) {
    const port = resolvePort(handler.httpGet.port);
    const hp = port === undefined ? undefined : pod.hostPorts.get(port);
    if (hp === undefined) return { ok: false, message: `port ${String(handler.httpGet.port)} is not declared by the container` };
    try {
      const r = await fetch(`http://127.0.0.1:${hp}${handler.httpGet.path ?? '/'}`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      // The kubelet counts 200-399 as success.
      return { ok: r.status >= 200 && r.status < 400, message: `HTTP ${r.status}` };
    } catch (e) {
      return { ok: false, message: (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutSeconds}s` : (e as Error).message };
    }
  }
  if (handler.tcpSocket) {
    const port = resolvePort(handler.tcpSocket.port);
    const hp = port === undefined ? undefined : pod.hostPorts.get(port);
    if (hp === undefined) return { ok: false, message: `port ${String(handler.tcpSocket.port)} is not declared by the container` };
    return freePortProbe('127.0.0.1', hp, timeoutMs);
  }
  if (handler.exec) {
    try {
      const exec = await pod.container.exec({ Cmd: handler.exec.command as string[], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise<void>((resolve) => stream.on('end', () => resolve()));
      const timedOut = await Promise.race([done.then(() => false), sleep(timeoutMs).then(() => true)]);
      if (timedOut) return { ok: false, message: `exec did not finish within ${timeoutSeconds}s` };
      const info = await exec.inspect();
      return { ok: info.ExitCode === 0, message: `exit ${String(info.ExitCode)}` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }
  return { ok: false, message: 'no probe handler' };
}

function describeHandler(h: Obj): string {
  if (h.httpGet) return `httpGet ${h.httpGet.path ?? '/'} on port ${String(h.httpGet.port)}`;
  if (h.tcpSocket) return `tcpSocket on port ${String(h.tcpSocket.port)}`;
  if (h.exec) return `exec ${JSON.stringify(h.exec.command)}`;
  return 'none';
}

/** Runs a probe as the kubelet does: every periodSeconds, each attempt bounded by timeoutSeconds, failing after failureThreshold failures in a row. */
async function runProbe(pod: RunningPod, which: ProbeRun['probe'], p: Obj, signal?: AbortSignal): Promise<ProbeRun> {
  const period = (p.periodSeconds ?? 10) * 1000;
  const threshold = p.failureThreshold ?? 3;
  let failures = 0;
  let attempts = 0;
  let last = '';
  await sleep((p.initialDelaySeconds ?? 0) * 1000, signal);
  for (;;) {
    aborted(signal);
    attempts++;
    const state = (await pod.container.inspect()).State;
    if (!state.Running) return { probe: which, handler: describeHandler(p), ok: false, attempts, message: `container exited (code ${state.ExitCode}) before the probe passed` };
    const r = await probeOnce(pod, p, p.timeoutSeconds ?? 1);
    last = r.message;
    if (r.ok) return { probe: which, handler: describeHandler(p), ok: true, attempts, message: r.message };
    failures++;
    if (failures >= threshold) return { probe: which, handler: describeHandler(p), ok: false, attempts, message: `${threshold} failures in a row, last: ${last}` };
    await sleep(period, signal);
  }
}

export async function verifyKubernetes(dir: string, options: KubernetesVerifyOptions = {}): Promise<KubernetesVerifyReport> {
  const started = Date.now();
  const root = path.resolve(dir);
  const progress = (m: string) => options.onProgress?.(m);
  const overlay = options.overlay ?? 'dev';
  const { spec, imageMap, compose } = loadStack(root, { ...(options.spec ? { spec: options.spec } : {}), ...(options.imageMap ? { imageMap: options.imageMap } : {}) });
  const overlaySrc = path.join(root, 'kubernetes', 'overlays', overlay);
  if (!fs.existsSync(path.join(overlaySrc, 'kustomization.yaml'))) {
    throw new StackgenError('E_INPUT', `${overlaySrc}: no Kubernetes overlay was rendered`, { hint: 'Add kubernetes to `targets` in stackgen.yaml (or a `kubernetes: {}` block) and run `stackgen render`.', locations: [{ file: path.resolve(options.spec ?? path.join(root, 'stackgen.yaml')), path: 'targets' }] });
  }
  const kubectl = await execa('kubectl', ['version', '--client'], { reject: false });
  if (kubectl.exitCode !== 0) throw new StackgenError('E_UNAVAILABLE', 'kubectl is not on PATH (verify --target kubernetes builds the overlay with `kubectl kustomize`)', { hint: 'Install a kubectl client (no cluster needed), e.g. `bash scripts/ensure-kubectl.sh` in this repository.' });
  const docker = await connectEngine();

  const runId = randomBytes(3).toString('hex');
  const project = `stackgen-k8s-${spec.name}-${runId}`.slice(0, 60);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-k8s-verify-'));
  const report: KubernetesVerifyReport = { target: 'kubernetes', notACluster: true, ok: false, overlay, objects: 0, pods: [], generatedSecrets: [], guarantees: GUARANTEES, durationMs: 0 };
  const containers: Docker.Container[] = [];
  const volumes: string[] = [];
  const images: string[] = [];
  let network: Docker.Network | undefined;
  const finish = () => {
    report.durationMs = Date.now() - started;
    return report;
  };
  try {
    // 1. Build the overlay (a copy, so throwaway secrets never land in the repository).
    progress(`kubectl kustomize kubernetes/overlays/${overlay}`);
    fs.cpSync(path.join(root, 'kubernetes'), path.join(work, 'kubernetes'), { recursive: true });
    report.generatedSecrets = fillSecrets(path.join(work, 'kubernetes', 'overlays', overlay));
    const built = await execa('kubectl', ['kustomize', path.join(work, 'kubernetes', 'overlays', overlay)], { reject: false });
    if (built.exitCode !== 0) {
      report.failure = `kubectl kustomize failed: ${built.stderr.trim()}`;
      return finish();
    }
    const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as Obj).filter((o) => o !== null);
    report.objects = objects.length;

    // 2. Every object against the API schema, then the semantic rules (generated Secrets carry data by design).
    progress(`validate ${objects.length} objects`);
    const problems: string[] = [];
    for (const o of objects) for (const i of await validateKubernetesObject(o)) problems.push(`${o.kind}/${o.metadata?.name}: ${i.message}`);
    for (const f of await lintFiles([{ path: `kubernetes/overlays/${overlay} (built)`, content: built.stdout }])) {
      if (f.severity === 'error' && f.rule !== 'SG6015') problems.push(`${f.rule} line ${f.line}: ${f.message}`);
    }
    if (problems.length > 0) {
      report.failure = `the built overlay has ${problems.length} problem(s): ${problems.slice(0, 10).join('; ')}`;
      return finish();
    }

    // 3. Images: the same stages as compose verify (app images from compose.yaml's builds, as the pipeline would push them; backing images mapped).
    const podImage = new Map<string, string>();
    const caBundle = options.caBundle ?? spec.build.caBundle ?? undefined;
    const apps = Object.entries(compose.services ?? {}).filter(([name, s]) => spec.services[name] && buildOf(s));
    const plan = await planImages(docker, root, compose, apps, imageMap, work, options.signal);
    const outcome = await buildImages(docker, plan, {
      project,
      root,
      ...(caBundle ? { caBundle } : {}),
      options: { ...(options.signal ? { signal: options.signal } : {}), onProgress: (e) => e.type === 'phase' && progress(e.message) },
      onBuilt: (b) => {
        images.push(b.tag);
        podImage.set(`${spec.name}-${b.service}:local`, b.tag);
      },
    });
    if (!outcome.ok) {
      report.failure = `build of ${outcome.service} failed${outcome.failingStep ? ` at: ${outcome.failingStep}` : ''}: ${outcome.logTail.slice(-15).join('\n')}`;
      return finish();
    }

    // 4. Run each pod in Docker as its spec says: backing workloads (StatefulSets) first, then the
    //    Deployments and Jobs together, as a cluster starts them.
    network = await docker.createNetwork({ Name: project, Labels: { 'stackgen.verify': project } });
    const byKind = (k: string) => objects.filter((o) => o.kind === k);
    const ctx: StartContext = {
      project,
      network: project,
      work,
      config: new Map(byKind('ConfigMap').map((o) => [o.metadata.name as string, (o.data ?? {}) as Record<string, string>])),
      secrets: new Map(byKind('Secret').map((o) => [o.metadata.name as string, Object.fromEntries(Object.entries((o.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]))])),
      podImage,
      imageMap,
      containers,
      volumes,
    };
    const timeoutMs = parseDuration(options.timeout ?? spec.verify.timeout, 180_000);
    const settleMs = parseDuration(options.settle ?? spec.verify.settle, 5_000);
    const deadline = Date.now() + timeoutMs;
    const services = byKind('Service');
    for (const [phase, list] of [['backing', byKind('StatefulSet')], ['apps', [...byKind('Deployment'), ...byKind('Job')]]] as const) {
      const running: RunningPod[] = [];
      const jobs: Array<Promise<PodReport>> = [];
      for (const w of list) {
        aborted(options.signal);
        const role = podRole(w, services);
        progress(`start ${w.kind}/${w.metadata.name}${role === 'worker' ? ' (worker)' : ''}`);
        if (role === 'job') {
          const job = runJob(docker, w, ctx, deadline, options.signal, progress);
          // Awaited below, after the other pods are judged; marked handled so a start error waits for that await.
          job.catch(() => undefined);
          jobs.push(job);
          continue;
        }
        running.push(await startPod(docker, w, ctx, role));
        report.pods.push(running.at(-1)!.report);
      }
      for (const pod of running) await judgePod(docker, pod, { deadline, timeoutMs, settleMs, progress, ...(options.signal ? { signal: options.signal } : {}) });
      for (const job of jobs) report.pods.push(await job);
      const failed = report.pods.filter((p) => p.status === 'failed');
      if (failed.length > 0) {
        report.failure = `not ready (${phase}): ${failed.map((p) => `${p.workload} (${p.failure ?? 'exited'})`).join(', ')}`;
        return finish();
      }
    }
    report.ok = true;
    return finish();
  } finally {
    progress('teardown');
    for (const c of containers) await c.remove({ force: true, v: true }).catch(() => undefined);
    if (network) await network.remove().catch(() => undefined);
    for (const v of volumes) await docker.getVolume(v).remove({ force: true }).catch(() => undefined);
    if (!options.keepImages) for (const i of images) await docker.getImage(i).remove({ force: true }).catch(() => undefined);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface StartContext {
  project: string;
  network: string;
  work: string;
  config: Map<string, Record<string, string>>;
  secrets: Map<string, Record<string, string>>;
  podImage: Map<string, string>;
  imageMap: ImageMap;
  containers: Docker.Container[];
  volumes: string[];
}

/** How verify judges a workload (see PodRole): a Job by its exit code; a Deployment with no port that no Service selects as a worker. */
export function podRole(w: Obj, services: readonly Obj[]): PodRole {
  if (w.kind === 'Job') return 'job';
  const template = podTemplate(w);
  const labels = (template?.metadata?.labels ?? {}) as Record<string, string>;
  // An empty selector selects nothing a Service would route to.
  const selected = services.some((s) => {
    const sel = Object.entries((s.spec?.selector ?? {}) as Record<string, string>);
    return sel.length > 0 && sel.every(([k, v]) => labels[k] === v);
  });
  const ports = ((template?.spec?.containers ?? []) as Obj[]).some((c) => ((c.ports ?? []) as Obj[]).length > 0);
  return w.kind === 'Deployment' && !selected && !ports ? 'worker' : 'serving';
}

interface JudgeOptions {
  deadline: number;
  timeoutMs: number;
  settleMs: number;
  progress: (m: string) => void;
  signal?: AbortSignal;
}

/** A serving pod: its probes in order (startup, readiness, liveness). A worker: those probes, then the settle time without a restart. */
async function judgePod(docker: Docker, pod: RunningPod, o: JudgeOptions): Promise<void> {
  const c = pod.spec;
  for (const [which, key] of [['startup', 'startupProbe'], ['readiness', 'readinessProbe'], ['liveness', 'livenessProbe']] as const) {
    if (!c[key]) continue;
    if (Date.now() > o.deadline) {
      pod.report.probes.push({ probe: which, handler: describeHandler(c[key]), ok: false, attempts: 0, message: `not run: verify's ${Math.round(o.timeoutMs / 1000)}s budget is spent` });
      break;
    }
    o.progress(`${which} probe ${pod.report.workload}`);
    const r = await runProbe(pod, which, c[key], o.signal);
    pod.report.probes.push(r);
    if (!r.ok) break;
  }
  const failedProbe = pod.report.probes.find((p) => !p.ok);
  if (failedProbe) pod.report.failure = failedProbe.message;
  else if (pod.report.role === 'worker') {
    o.progress(`settle ${pod.report.workload} ${Math.round(o.settleMs / 1000)}s`);
    // A worker is judged after the pods before it: its settle time is its own, not taken from their share of the budget.
    const j = await settleWorker(pod, o.settleMs, Math.max(o.deadline, Date.now() + o.settleMs + 2_000), o.signal);
    if (j.state !== 'healthy') pod.report.failure = failureText('worker', j, Math.round(o.timeoutMs / 1000)) ?? j.state;
  }
  const info = await pod.container.inspect();
  pod.report.restarts = info.RestartCount ?? 0;
  if (!pod.report.failure && !info.State.Running) pod.report.failure = `exited with code ${info.State.ExitCode}`;
  pod.report.status = pod.report.failure ? 'failed' : 'ready';
  if (pod.report.status === 'failed') pod.report.logsTail = await containerLogs(docker, pod.container.id, 50).catch(() => []);
}

/** Polls the worker as compose verify does (roles.ts): up, and never restarted, for settleMs. */
async function settleWorker(pod: RunningPod, settleMs: number, until: number, signal?: AbortSignal): Promise<Judgement> {
  let upSince: number | undefined;
  for (;;) {
    aborted(signal);
    const info = await pod.container.inspect();
    const now = Date.now();
    const j = judge('worker', { running: info.State.Running, exitCode: info.State.ExitCode, restartCount: info.RestartCount ?? 0 }, now, settleMs, upSince);
    if (j.state === 'pending') upSince = j.upSince;
    if (upSince !== undefined) pod.report.settledMs = now - upSince;
    if (j.state !== 'pending' || now > until) return j;
    await sleep(500, signal);
  }
}

/** The Job controller's delay before the next pod after a failure: 10s, doubling, at most six minutes. */
export function jobBackoffMs(failures: number): number {
  return Math.min(10_000 * 2 ** (failures - 1), 360_000);
}

/**
 * A Job as its controller runs it: a pod; when it fails, a fresh pod after the backoff, until one
 * exits 0 or backoffLimit + 1 pods have failed. activeDeadlineSeconds, when shorter, bounds it.
 * (A pod with restartPolicy OnFailure would be restarted in place; a fresh container is judged the same way.)
 */
async function runJob(docker: Docker, w: Obj, ctx: StartContext, deadline: number, signal: AbortSignal | undefined, progress: (m: string) => void): Promise<PodReport> {
  const name = w.metadata.name as string;
  const backoffLimit = (w.spec?.backoffLimit as number | undefined) ?? 6; // Kubernetes' default
  const active = w.spec?.activeDeadlineSeconds as number | undefined;
  const started = Date.now();
  const until = active !== undefined ? Math.min(deadline, started + active * 1000) : deadline;
  const budgetS = Math.round((until - started) / 1000);
  const attempts: JobAttempt[] = [];
  let report: PodReport | undefined;
  for (let n = 1; ; n++) {
    aborted(signal);
    const pod = await startPod(docker, w, ctx, 'job', n);
    report ??= { ...pod.report, job: { backoffLimit, attempts } };
    const t0 = Date.now();
    const exitCode = await waitExit(pod.container, until, signal);
    attempts.push({ exitCode, durationMs: Date.now() - t0 });
    if (exitCode === 0) {
      report.status = 'completed';
      return report;
    }
    report.logsTail = await containerLogs(docker, pod.container.id, 50).catch(() => []);
    report.status = 'failed';
    if (exitCode === null) {
      await pod.container.kill().catch(() => undefined);
      report.failure = `${failureText('job', { state: 'pending' }, budgetS)} (pod ${n})`;
      return report;
    }
    const exited = failureText('job', { state: 'exited', exitCode }, budgetS);
    if (n > backoffLimit) {
      report.failure = `${exited}: ${n} pod${n === 1 ? '' : 's'} failed, backoffLimit ${backoffLimit} reached`;
      return report;
    }
    const delay = jobBackoffMs(n);
    if (Date.now() + delay >= until) {
      report.failure = `${exited}: pod ${n} of at most ${backoffLimit + 1} failed, and the next, after a ${delay / 1000}s backoff, would start past the ${budgetS}s timeout`;
      return report;
    }
    progress(`Job/${name}: pod ${n} exited with code ${exitCode}; the next pod in ${delay / 1000}s (backoffLimit ${backoffLimit})`);
    await sleep(delay, signal);
  }
}

/** The container's exit code, or null if it still runs at `until`. */
async function waitExit(container: Docker.Container, until: number, signal?: AbortSignal): Promise<number | null> {
  for (;;) {
    aborted(signal);
    const st = (await container.inspect()).State;
    if (!st.Running && st.Status !== 'created') return st.ExitCode;
    if (Date.now() > until) return null;
    await sleep(500, signal);
  }
}

async function startPod(docker: Docker, w: Obj, ctx: StartContext, role: PodRole, attempt?: number): Promise<RunningPod> {
  const name = w.metadata.name as string;
  const pod = podTemplate(w)!.spec as Obj;
  const c = pod.containers[0] as Obj;
  const psc = (pod.securityContext ?? {}) as Obj;
  const sc = (c.securityContext ?? {}) as Obj;
  const uid = sc.runAsUser ?? psc.runAsUser;
  const gid = sc.runAsGroup ?? psc.runAsGroup ?? uid;
  const fsGroup = psc.fsGroup as number | undefined;
  const image = ctx.podImage.get(c.image) ?? mapImage(c.image, ctx.imageMap);

  // Environment: envFrom first, then env in order, each value expanded against what came before.
  const vars = new Map<string, string>();
  for (const e of (c.envFrom ?? []) as Obj[]) {
    const src = e.configMapRef ? ctx.config.get(e.configMapRef.name) : ctx.secrets.get(e.secretRef?.name);
    if (!src) throw new StackgenError('E_CHECK_FAILED', `${name}: envFrom names ${e.configMapRef?.name ?? e.secretRef?.name}, which the overlay does not build`);
    for (const [k, v] of Object.entries(src)) vars.set(k, v);
  }
  for (const e of (c.env ?? []) as Obj[]) {
    if (e.value !== undefined) vars.set(e.name, expandKube(String(e.value), vars));
    else if (e.valueFrom?.configMapKeyRef) vars.set(e.name, lookup(ctx.config, e.valueFrom.configMapKeyRef, name));
    else if (e.valueFrom?.secretKeyRef) vars.set(e.name, lookup(ctx.secrets, e.valueFrom.secretKeyRef, name));
  }

  // Volumes: emptyDir → tmpfs, secret → files (group fsGroup, the item mode), claim → a Docker volume made group-writable as kubelet does for fsGroup.
  const tmpfs: Record<string, string> = {};
  const binds: string[] = [];
  const claims = new Map(((w.spec.volumeClaimTemplates ?? []) as Obj[]).map((t) => [t.metadata.name as string, t]));
  const volumesByName = new Map(((pod.volumes ?? []) as Obj[]).map((v) => [v.name as string, v]));
  for (const m of (c.volumeMounts ?? []) as Obj[]) {
    const v = volumesByName.get(m.name);
    if (v?.emptyDir) tmpfs[m.mountPath] = 'rw,nosuid,nodev,mode=1777';
    else if (v?.secret) {
      const dir = path.join(ctx.work, 'secrets', name, m.name);
      fs.mkdirSync(dir, { recursive: true });
      const data = ctx.secrets.get(v.secret.secretName) ?? {};
      for (const item of (v.secret.items ?? Object.keys(data).map((k) => ({ key: k, path: k }))) as Obj[]) {
        const f = path.join(dir, item.path);
        fs.writeFileSync(f, data[item.key] ?? '');
        fs.chmodSync(f, v.secret.defaultMode ?? 0o644);
        if (fsGroup !== undefined) fs.chownSync(f, 0, fsGroup);
      }
      fs.chmodSync(dir, 0o755);
      binds.push(`${dir}:${m.mountPath}:ro`);
    } else if (claims.has(m.name)) {
      const vol = `${ctx.project}-${name}-${m.name}`;
      await docker.createVolume({ Name: vol, Labels: { 'stackgen.verify': ctx.project } });
      ctx.volumes.push(vol);
      if (fsGroup !== undefined) await fsGroupVolume(docker, image, vol, fsGroup);
      binds.push(`${vol}:${m.mountPath}`);
    }
  }
  const ports = ((c.ports ?? []) as Obj[]).map((p) => ({ name: p.name as string | undefined, port: p.containerPort as number }));
  // restartPolicy Always (Deployments, StatefulSets): the engine restarts the container as the kubelet
  // would, and its restart count is reported. A Job's pods are replaced by runJob instead.
  const restart = role !== 'job' && (pod.restartPolicy ?? 'Always') === 'Always';
  const container = await docker.createContainer({
    name: `${ctx.project}-${name}${attempt !== undefined ? `-${attempt}` : ''}`,
    Image: image,
    ...(c.command ? { Entrypoint: (c.command as string[]).map((a) => expandKube(a, vars)) } : {}),
    ...(c.args ? { Cmd: (c.args as string[]).map((a) => expandKube(a, vars)) } : {}),
    Env: [...vars].map(([k, v]) => `${k}=${v}`),
    User: `${String(uid)}:${String(gid)}`,
    ExposedPorts: Object.fromEntries(ports.map((p) => [`${p.port}/tcp`, {}])),
    Labels: { 'stackgen.verify': ctx.project },
    HostConfig: {
      ReadonlyRootfs: sc.readOnlyRootFilesystem === true,
      Tmpfs: tmpfs,
      Binds: binds,
      CapDrop: (sc.capabilities?.drop ?? []) as string[],
      CapAdd: (sc.capabilities?.add ?? []) as string[],
      SecurityOpt: sc.allowPrivilegeEscalation === false ? ['no-new-privileges:true'] : [],
      ...(fsGroup !== undefined ? { GroupAdd: [String(fsGroup)] } : {}),
      ...(c.resources?.limits?.memory ? { Memory: quantity(c.resources.limits.memory, 'memory') } : {}),
      ...(c.resources?.limits?.cpu ? { NanoCpus: quantity(c.resources.limits.cpu, 'cpu') } : {}),
      PortBindings: Object.fromEntries(ports.map((p) => [`${p.port}/tcp`, [{ HostIp: '127.0.0.1', HostPort: '' }]])),
      RestartPolicy: { Name: restart ? 'always' : 'no' },
      NetworkMode: ctx.network,
    },
    // Service names are network aliases; a Job's pods have no Service.
    NetworkingConfig: { EndpointsConfig: { [ctx.network]: role === 'job' ? {} : { Aliases: [name] } } },
  });
  ctx.containers.push(container);
  await container.start();
  const info = await container.inspect();
  const hostPorts = new Map<number, number>();
  for (const p of ports) {
    const b = info.NetworkSettings.Ports?.[`${p.port}/tcp`]?.[0];
    if (b) hostPorts.set(p.port, Number(b.HostPort));
  }
  return {
    container,
    spec: c,
    hostPorts,
    portNames: new Map(ports.filter((p) => p.name).map((p) => [p.name!, p.port])),
    report: {
      workload: name,
      kind: w.kind,
      role,
      image,
      securityApplied: { user: `${String(uid)}:${String(gid)}`, readOnlyRoot: info.HostConfig.ReadonlyRootfs === true, tmpfs: Object.keys(tmpfs), capDrop: info.HostConfig.CapDrop ?? [], noNewPrivileges: (info.HostConfig.SecurityOpt ?? []).includes('no-new-privileges:true') },
      status: 'not-started',
      probes: [],
      restarts: 0,
    },
  };
}

function lookup(from: Map<string, Record<string, string>>, ref: Obj, workload: string): string {
  const v = from.get(ref.name)?.[ref.key];
  if (v === undefined) throw new StackgenError('E_CHECK_FAILED', `${workload}: ${ref.name} has no key ${ref.key} in the built overlay`, { hint: 'Add the key to the secrets/*.env file (or ConfigMap) the overlay reads.' });
  return v;
}

/** What kubelet does for fsGroup: the volume's files belong to that group, group-writable, new files inherit it (setgid). */
async function fsGroupVolume(docker: Docker, image: string, volume: string, gid: number): Promise<void> {
  const c = await docker.createContainer({
    Image: image,
    User: '0:0',
    Entrypoint: ['sh', '-c', `chgrp -R ${gid} /v && chmod -R g+rwX /v && chmod g+s /v`],
    Cmd: [],
    HostConfig: { Binds: [`${volume}:/v`], NetworkMode: 'none' },
  });
  try {
    await c.start();
    const r = (await c.wait()) as { StatusCode: number };
    if (r.StatusCode !== 0) throw new StackgenError('E_CHECK_FAILED', `could not apply fsGroup ${gid} to volume ${volume} (exit ${r.StatusCode})`);
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

/** The report for a terminal: it says first that this was not a cluster. */
export function formatKubernetesReport(r: KubernetesVerifyReport): string {
  const lines = [
    'NOT A CLUSTER: stackgen ran each pod of the Kubernetes overlay in Docker as its pod spec says; no API server, scheduler or kubelet was involved.',
    `overlay ${r.overlay}: ${r.objects} objects built with kubectl kustomize and validated against the Kubernetes API schema`,
  ];
  if (r.generatedSecrets.length) lines.push(`throwaway secret values for this run (no secrets/*.env): ${r.generatedSecrets.join(', ')}`);
  for (const p of r.pods) {
    const ok = p.status === 'ready' || p.status === 'completed';
    lines.push(`${ok ? '✓' : '✗'} ${p.kind}/${p.workload}${p.role === 'worker' ? ' (worker)' : ''} ${p.status} — user ${p.securityApplied.user}, read-only root ${p.securityApplied.readOnlyRoot ? 'yes' : 'no'}, tmpfs ${p.securityApplied.tmpfs.join(' ') || 'none'}, cap_drop ${p.securityApplied.capDrop.join(',') || 'none'}`);
    for (const x of p.probes) lines.push(`    ${x.ok ? '✓' : '✗'} ${x.probe}: ${x.handler} — ${x.message} (${x.attempts} attempt${x.attempts === 1 ? '' : 's'})`);
    if (p.role === 'worker' && p.settledMs !== undefined) lines.push(`    ${p.failure ? '✗' : '✓'} up ${(p.settledMs / 1000).toFixed(1)}s, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}`);
    if (p.job) lines.push(`    pods: ${p.job.attempts.map((a, i) => `#${i + 1} ${a.exitCode === null ? 'still running at the timeout' : `exit ${a.exitCode}`} after ${(a.durationMs / 1000).toFixed(1)}s`).join(', ')} (backoffLimit ${p.job.backoffLimit})`);
    if (p.failure) lines.push(`    ✗ ${p.failure}`);
    for (const l of p.logsTail ?? []) lines.push(`    | ${l}`);
  }
  lines.push('Proven here:', ...r.guarantees.proven.map((g) => `  + ${g}`), 'Only a real cluster proves:', ...r.guarantees.notProven.map((g) => `  - ${g}`));
  lines.push(r.ok ? `OK in ${(r.durationMs / 1000).toFixed(1)}s (not a cluster)` : `FAILED: ${r.failure ?? 'unknown'}`);
  return lines.join('\n');
}
