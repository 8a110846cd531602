/**
 * The typed context of the Kubernetes templates (templates/kubernetes/): a Kustomize base with one
 * file per workload and dev/prod overlays. Built from the same service and backing models as
 * compose, so ports, health paths, UIDs, tmpfs paths, limits and wiring agree; what compose says
 * that Kubernetes cannot (depends_on conditions, host ports) becomes a render warning naming the
 * field and what was rendered instead.
 */
import path from 'node:path';
import type { ImageMap } from '../../images/image-map.js';
import type { RenderWarning } from '../artifact.js';
import type { Kubernetes, Spec } from '../../spec/types.generated.js';
import { backingModels, type BackingModel } from './backing.js';
import { wiredValue } from './wiring.js';
import { ciContext } from './ci.js';
import { serviceModels } from './service.js';
import { wantsKubernetes } from './targets.js';

export { wantsKubernetes };

/** One `env:` entry of a container: a literal, or a key of a ConfigMap or Secret. */
export interface EnvEntry {
  name: string;
  /** A literal (Kubernetes expands `$(X)` of variables listed before it), or null with `from`. */
  value: string | null;
  from: { kind: 'configMapKeyRef' | 'secretKeyRef'; name: string; key: string } | null;
}

const literal = (name: string, value: string): EnvEntry => ({ name, value, from: null });
const fromKey = (name: string, kind: 'configMapKeyRef' | 'secretKeyRef', object: string, key: string): EnvEntry => ({ name, value: null, from: { kind, name: object, key } });

export interface ProbeCtx {
  /** httpGet on the named port (no client needed in the image), tcpSocket, or exec as written. */
  handler: { type: 'httpGet' | 'tcpSocket' | 'exec'; path: string | null; port: string | null; command: string[] | null };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface ProbesCtx {
  readiness: ProbeCtx;
  startup: ProbeCtx;
  /** Only with `kubernetes.liveness: true`. */
  liveness: ProbeCtx | null;
}

export interface ResourcesCtx {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export interface ContainerCtx {
  image: string;
  /** Container `command` (replaces the image's entrypoint) or null. */
  command: string[] | null;
  /** Container `args` (replaces the image's CMD) or null. */
  args: string[] | null;
  ports: Array<{ name: string; containerPort: number }>;
  /** ConfigMap and Secret read whole (`envFrom`). */
  envFrom: Array<{ kind: 'configMapRef' | 'secretRef'; name: string }>;
  env: EnvEntry[];
  probes: ProbesCtx | null;
  resources: ResourcesCtx;
  readOnlyRootFilesystem: boolean;
  /** emptyDir volumes (where compose gives a tmpfs) and other mounts. */
  mounts: Array<{ name: string; mountPath: string; subPath: string | null; readOnly: boolean }>;
}

export interface PodCtx {
  uid: number;
  gid: number;
  container: ContainerCtx;
  /** emptyDir volumes in memory (compose's tmpfs), Secret files, ConfigMap files. */
  volumes: Array<{ name: string; emptyDir: boolean; secret: { name: string; items: Array<{ key: string; path: string }> } | null }>;
}

export interface AppWorkloadCtx {
  name: string;
  /** web and static serve HTTP and get a Service; workers do not; a job runs to completion as a Job (no Service, probes, HPA or PDB). */
  role: 'web' | 'static' | 'worker' | 'job';
  replicas: number;
  configMap: Array<[string, string]>;
  pod: PodCtx;
  service: { port: number } | null;
  ingress: { host: string } | null;
  hpa: { min: number; max: number } | null;
  pdb: { minAvailable: number } | null;
  /** Names of workloads allowed to connect (NetworkPolicy). */
  allowFrom: string[];
}

export interface BackingWorkloadCtx {
  name: string;
  kind: BackingModel['kind'];
  port: number;
  configMap: Array<[string, string]>;
  pod: PodCtx;
  /** PersistentVolumeClaim template of the StatefulSet; null keeps data in an emptyDir. */
  claim: { mountPath: string; subPath: string | null; size: string; className: string | null } | null;
  allowFrom: string[];
  /** Other names the apps' code connects to (`backingServices.*.aliases`): a Service each. */
  aliases: string[];
}

export interface JobCtx {
  name: string;
  service: string;
  backoffLimit: number;
  pod: PodCtx;
}

export interface SecretFileCtx {
  /** The Secret's name (the workload's, plus -secrets). */
  name: string;
  /** `secrets/<workload>.env` below each overlay. */
  file: string;
  keys: Array<{ key: string; comment: string }>;
}

export interface KubernetesContext {
  project: string;
  /** The prod overlay's namespace; dev adds -dev. */
  namespace: string;
  apps: AppWorkloadCtx[];
  backing: BackingWorkloadCtx[];
  /** Backing services left to the user (`backing: external`). */
  external: string[];
  jobs: JobCtx[];
  secrets: SecretFileCtx[];
  generateSecrets: boolean;
  networkPolicy: boolean;
  /** One allow rule per workload that listens: public ones from anywhere, the rest from their dependents. */
  policies: Array<{ name: string; port: string; public: boolean; from: string[] }>;
  ingressClass: string | null;
  tlsSecret: string | null;
  /** Base image name → what each overlay sets (kustomize `images:`). */
  images: Array<{ name: string; prodName: string; prodTag: string; devTag: string }>;
  /** Lossy mappings, each naming the spec field and what was rendered instead. */
  warnings: RenderWarning[];
  /** Every base file, for kustomization.yaml's `resources:`. */
  resources: string[];
}

/** The kubernetes block with every default filled (a spec that asks for Kubernetes only through `targets` has none). */
export function kubernetesOptions(spec: Spec): Kubernetes {
  return (
    spec.kubernetes ?? {
      namespace: null,
      backing: 'statefulset',
      storage: { size: '1Gi', className: null },
      ingress: { className: null, hosts: {}, tlsSecret: null },
      secrets: 'generate',
      networkPolicy: false,
      liveness: false,
      maxReplicas: null,
      jobs: {},
    }
  );
}

/** Seconds from a spec duration (500ms → 1: Kubernetes counts whole seconds, at least one). */
export function seconds(duration: string): number {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  const n = Number(m[1]);
  const s = m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'm' ? n * 60 : n * 3600;
  return Math.max(1, Math.ceil(s));
}

/**
 * A compose CPU count ("0.5", "1.0", "2") as a Kubernetes quantity: whole cores plain, else
 * millicores ("500m"), rounded up, at least 1m.
 */
export function cpuQuantity(cpus: string): string {
  const milli = Math.max(1, Math.ceil(Number(cpus) * 1000 - 1e-9));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * A compose memory size as a Kubernetes quantity. Docker reads k/m/g (either case) as powers of 1024
 * ("512M" is 512 MiB), and Kubernetes' "M" is 10^6: so M becomes Mi, never M. A bare number is bytes.
 */
export function memoryQuantity(memory: string): string {
  const m = /^([0-9]+)([kKmMgG]?)$/.exec(memory);
  if (!m) throw new Error(`not a memory size: ${memory}`);
  const unit = m[2]!.toLowerCase();
  return unit === '' ? m[1]! : `${m[1]}${unit === 'k' ? 'Ki' : unit === 'm' ? 'Mi' : 'Gi'}`;
}

/** Half the CPU limit is requested (the scheduler reserves it; HPA scales on it); memory is requested in full (a pod is not OOM-killed for using what it asked for). */
export function resources(cpus: string, memory: string): ResourcesCtx {
  const limit = cpuQuantity(cpus);
  const half = cpuQuantity(String(Number(cpus) / 2));
  return { requests: { cpu: half, memory: memoryQuantity(memory) }, limits: { cpu: limit, memory: memoryQuantity(memory) } };
}

/** Compose's `$$` is a literal `$`; in a container's command, args and env values Kubernetes also reads `$$` as `$`, and `$(X)` as a variable. */
function composeToKube(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$($1)');
}

/** A value Kubernetes must not expand: every `$` doubled (`$$` is a literal `$` in command, args and env). */
export function kubeLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Compose's healthcheck test as an exec probe command: CMD-SHELL keeps its shell, `$$` becomes `$` (exec probes are not expanded). */
function execProbe(test: string[]): string[] {
  const [head, ...rest] = test;
  const unescape = (s: string) => s.replace(/\$\$/g, '$');
  if (head === 'CMD-SHELL') return ['sh', '-c', unescape(rest.join(' '))];
  return (head === 'CMD' ? rest : test).map(unescape);
}

function probes(handler: ProbeCtx['handler'], hc: { interval: string; timeout: string; retries: number; startPeriod: string }, liveness: boolean): ProbesCtx {
  const period = seconds(hc.interval);
  const timeout = seconds(hc.timeout);
  // Startup polls fast and allows the whole start period plus the retries compose allows after it.
  const startPeriod = Math.min(period, 5);
  const readiness = { handler, periodSeconds: period, timeoutSeconds: timeout, failureThreshold: hc.retries };
  return {
    readiness,
    startup: { handler, periodSeconds: startPeriod, timeoutSeconds: timeout, failureThreshold: Math.ceil(seconds(hc.startPeriod) / startPeriod) + hc.retries },
    liveness: liveness ? readiness : null,
  };
}

const PORT_NAME = 'http';

function execHandler(command: string[]): ProbeCtx['handler'] {
  return { type: 'exec', path: null, port: null, command };
}

/**
 * Who each backing image runs as when it does not start as root (Pod Security "restricted" forbids
 * root): the service user the official image creates.
 */
const BACKING_UID: Record<BackingModel['kind'], number> = {
  postgres: 999,
  mysql: 999,
  mariadb: 999,
  mongodb: 999,
  redis: 999,
  rabbitmq: 999,
  kafka: 1000,
  nats: 1000,
  elasticsearch: 1000,
  meilisearch: 1000,
  minio: 1000,
  memcached: 11211,
};

/** Where each backing image writes besides its data folder (emptyDir in place of its image's folders). */
const BACKING_WRITES: Record<BackingModel['kind'], string[]> = {
  postgres: ['/tmp', '/var/run/postgresql'],
  mysql: ['/tmp', '/var/run/mysqld'],
  mariadb: ['/tmp', '/run/mysqld'],
  mongodb: ['/tmp'],
  redis: ['/tmp'],
  rabbitmq: ['/tmp', '/etc/rabbitmq'],
  kafka: ['/tmp', '/opt/kafka/config'],
  nats: ['/tmp'],
  elasticsearch: ['/tmp', '/usr/share/elasticsearch/config', '/usr/share/elasticsearch/logs'],
  meilisearch: ['/tmp'],
  minio: ['/tmp'],
  memcached: ['/tmp'],
};

function volumeName(p: string): string {
  return `tmp${p.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.replace(/-+$/, '');
}

export function kubernetesContext(spec: Spec, rootDir: string, imageMap: ImageMap): KubernetesContext {
  const k = kubernetesOptions(spec);
  const warnings: RenderWarning[] = [];
  const warn = (field: string, message: string, hint: string) => warnings.push({ target: 'kubernetes', field, message, hint });
  const models = serviceModels(spec, rootDir);
  const allBacking = backingModels(spec, imageMap);
  const inCluster = k.backing === 'statefulset';
  const backingByName = new Map(allBacking.map((b) => [b.name, b]));
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const generateSecrets = k.secrets === 'generate';
  const secrets: SecretFileCtx[] = [];

  // Who connects to whom (dependsOn), for NetworkPolicies.
  const allowFrom = new Map<string, string[]>();
  for (const m of models) for (const d of m.spec.dependsOn) allowFrom.set(d, [...(allowFrom.get(d) ?? []), m.name]);
  for (const j of Object.values(k.jobs)) {
    const target = modelByName.get(j.service);
    if (target) for (const d of target.spec.dependsOn) allowFrom.set(d, [...(allowFrom.get(d) ?? []), target.name]);
  }

  // Images: one per build, as the pipeline publishes them.
  const ci = ciContext(spec, rootDir, imageMap);
  const registry = spec.ci.registry ? spec.ci.registry.replace(/\/+$/, '') : `registry.example.com/${spec.name}`;
  if (!spec.ci.registry) warn('ci.registry', `not set, so the prod overlay pulls from registry.example.com/${spec.name}`, 'Set ci.registry (where the pipeline pushes), or edit overlays/prod/kustomization.yaml.');
  const images = models.map((m) => {
    const built = ci.images.find((i) => i.context === m.context && i.dockerfile === path.posix.normalize(path.posix.join(m.context, m.dockerfile)) && i.target === m.target);
    return { name: `${spec.name}-${m.name}`, prodName: `${registry}/${built?.repository ?? `${spec.ci.image ?? spec.name}-${m.name}`}`, prodTag: spec.ci.branch.replace(/[^A-Za-z0-9_.-]/g, '-'), devTag: 'local' };
  });

  const backingEnv = (b: BackingModel): EnvEntry[] =>
    b.env.map((v) => (v.secret ? fromKey(v.name, 'secretKeyRef', `${b.name}-secrets`, v.name) : fromKey(v.name, 'configMapKeyRef', `${b.name}-env`, v.name)));

  const apps: AppWorkloadCtx[] = models.map((m) => {
    const s = m.spec;
    const configMap = new Map<string, string>(Object.entries(m.runtimeEnv));
    const env: EnvEntry[] = [];
    const secretKeys: SecretFileCtx['keys'] = s.secrets.map((n) => ({ key: n, comment: `${m.name}: ${n}` }));
    // Passwords the app reads from a file (its wiring's `password-file`): the backing service's Secret key, mounted where compose mounts it.
    const secretFileMounts: Array<{ secret: string; backing: string; key: string }> = [];
    for (const d of [...s.dependsOn].sort()) {
      const b = backingByName.get(d);
      if (b) {
        // The variables the app's code reads for this service (its `wiring`), else the default one — as compose fills them.
        const auth = spec.backingServices[d]!.auth;
        const wired = Object.entries(s.wiring).filter(([, ref]) => ref.slice(0, ref.indexOf('.')) === d);
        const pairs: Array<[string, string]> =
          wired.length > 0
            ? wired.map(([key, ref]) => {
                const w = wiredValue(b, auth, ref.slice(ref.indexOf('.') + 1));
                const key_ = b.secrets.find((x) => x.name === w.secret)?.env;
                if (w.secret && key_ && inCluster) secretFileMounts.push({ secret: w.secret, backing: b.name, key: key_ });
                return [key, w.value];
              })
            : b.wiring.map(([key, v]) => [key, auth === 'none' ? wiredValue(b, auth, 'url').value : v]);
        if (inCluster) {
          const own = new Map(backingEnv(b).map((e) => [e.name, e]));
          const exact = (v: string) => /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v)?.[1];
          // A value that is one backing variable reads its key directly; a composite one (a URL) lists what it expands first.
          const refs = new Set(pairs.filter(([, v]) => !exact(v)).flatMap(([, v]) => [...v.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((x) => x[1]!)));
          for (const e of own.values()) if (refs.has(e.name) && !env.some((x) => x.name === e.name)) env.push(e);
          for (const [key, v] of pairs) {
            const whole = exact(v);
            const from = whole ? own.get(whole) : undefined;
            if (from) env.push({ ...from, name: key });
            else if (/\$\{/.test(v)) env.push(literal(key, composeToKube(v)));
            else configMap.set(key, v);
          }
        } else {
          for (const [key] of pairs) secretKeys.push({ key, comment: `${b.name} (external): ${key}, e.g. the managed service's connection string` });
        }
        continue;
      }
      const a = modelByName.get(d);
      if (a && a.port !== null) configMap.set(`${d.toUpperCase().replace(/-/g, '_')}_URL`, `http://${d}:${a.port}`);
      if (a) warn(`services.${m.name}.dependsOn`, `${d}: Kubernetes has no start order; ${m.name} starts at once (its readiness probe keeps it out of the Service until it answers)`, `Make ${m.name} retry until ${d} answers.`);
    }
    for (const [key, v] of Object.entries(s.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) configMap.set(key, String(v));
    if (secretKeys.length > 0) secrets.push({ name: `${m.name}-secrets`, file: `secrets/${m.name}.env`, keys: secretKeys });
    const envFrom: ContainerCtx['envFrom'] = [{ kind: 'configMapRef', name: `${m.name}-env` }];
    if (secretKeys.length > 0) envFrom.push({ kind: 'secretRef', name: `${m.name}-secrets` });

    const serves = m.port !== null && m.role !== 'worker' && m.role !== 'job';
    const hc = s.healthcheck;
    const healthPath = m.template === 'static' ? '/healthz' : hc.path;
    let probeSet: ProbesCtx | null = null;
    if (s.role === 'job') {
      // A Job is judged by its exit code: no probes.
    } else if (m.port !== null) {
      const handler: ProbeCtx['handler'] = { type: healthPath !== null ? 'httpGet' : 'tcpSocket', path: healthPath, port: PORT_NAME, command: null };
      probeSet = probes(handler, hc, k.liveness);
    } else if (m.healthcheck) {
      probeSet = probes(execHandler(m.healthcheck), hc, k.liveness);
    }
    if (m.template === null) warn(`services.${m.name}.dockerfile.path`, `your own Dockerfile's user is not known, so the pod runs as services.${m.name}.user.uid (${m.uid})`, `Set services.${m.name}.user.uid to the image's numeric UID.`);
    if (!m.readOnly) warn(`services.${m.name}`, `the ${m.template ?? 'own Dockerfile'} runtime is not known to run on a read-only root filesystem, so readOnlyRootFilesystem is false for it (as compose leaves read_only off)`, 'Set it to true in an overlay patch once the app writes only to its emptyDir mounts.');
    const mounts: ContainerCtx['mounts'] = m.readOnly ? m.tmpfs.map((p) => ({ name: volumeName(p), mountPath: p, subPath: null, readOnly: false })) : [];
    const volumes: PodCtx['volumes'] = mounts.map((x) => ({ name: x.name, emptyDir: true, secret: null }));
    for (const f of secretFileMounts) {
      const name = `secret-${f.secret}`.slice(0, 63).replace(/-+$/, '');
      mounts.push({ name, mountPath: `/run/secrets/${f.secret}`, subPath: f.secret, readOnly: true });
      volumes.push({ name, emptyDir: false, secret: { name: `${f.backing}-secrets`, items: [{ key: f.key, path: f.secret }] } });
    }
    const pod: PodCtx = {
      uid: m.uid,
      gid: m.uid,
      volumes,
      container: {
        image: `${spec.name}-${m.name}:local`,
        command: null,
        args: null,
        ports: m.port !== null ? [{ name: PORT_NAME, containerPort: m.port }] : [],
        envFrom,
        env,
        probes: probeSet,
        resources: resources(s.resources.cpus, s.resources.memory),
        readOnlyRootFilesystem: m.readOnly,
        mounts,
      },
    };
    const isPublic = serves && s.publish !== null;
    if (s.publish !== null && serves) warn(`services.${m.name}.publish`, `${s.publish}: no host port in Kubernetes; the service is public through an Ingress (host ${k.ingress.hosts[m.name] ?? `${m.name}.${spec.name}.localhost`})`, `Set kubernetes.ingress.hosts.${m.name}, or reach it with \`kubectl port-forward svc/${m.name} ${s.publish}:${PORT_NAME}\`.`);
    const maxReplicas = k.maxReplicas ?? s.replicas * 3;
    return {
      name: m.name,
      role: s.role,
      replicas: s.replicas,
      configMap: [...configMap.entries()],
      pod,
      service: serves ? { port: m.port! } : null,
      ingress: isPublic ? { host: k.ingress.hosts[m.name] ?? `${m.name}.${spec.name}.localhost` } : null,
      hpa: s.replicas > 1 && s.role !== 'job' ? { min: s.replicas, max: Math.max(maxReplicas, s.replicas) } : null,
      pdb: s.replicas > 1 && s.role !== 'job' ? { minAvailable: s.replicas - 1 } : null,
      allowFrom: [...new Set(allowFrom.get(m.name) ?? [])].sort(),
    };
  });

  const backing: BackingWorkloadCtx[] = [];
  const external: string[] = [];
  for (const b of allBacking) {
    if (!inCluster) {
      external.push(b.name);
      continue;
    }
    const uid = BACKING_UID[b.kind];
    const configMap: Array<[string, string]> = b.env.filter((v) => !v.secret).map((v) => [v.name, v.value]);
    const secretVars = new Set(b.env.filter((v) => v.secret).map((v) => v.name));
    const plainVars = new Set(b.env.filter((v) => !v.secret).map((v) => v.name));
    const secretFiles = b.secrets.map((x) => ({ key: x.env, path: x.name }));
    const refsIn = (v: string) => [...v.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((x) => x[1]!);
    const exactRef = (v: string) => /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v)?.[1] ?? null;
    // Secret variables that a command or a composite value expands must be listed before it.
    const expanded = new Set([...(b.command ?? []).flatMap(refsIn), ...b.environment.filter(([, v]) => exactRef(v) === null).flatMap(([, v]) => refsIn(v))]);
    const env: EnvEntry[] = [...secretVars].filter((n) => expanded.has(n)).map((n) => fromKey(n, 'secretKeyRef', `${b.name}-secrets`, n));
    for (const [key, v] of b.environment) {
      const ref = exactRef(v);
      if (ref !== null && secretVars.has(ref)) env.push(fromKey(key, 'secretKeyRef', `${b.name}-secrets`, ref));
      else if (ref !== null && plainVars.has(ref)) {
        // The ConfigMap is read whole (envFrom): a variable of the same name is there already.
        if (ref !== key) env.push(fromKey(key, 'configMapKeyRef', `${b.name}-env`, ref));
      } else if (refsIn(v).length > 0) env.push(literal(key, composeToKube(v)));
      else configMap.push([key, v]);
    }
    const writes = BACKING_WRITES[b.kind].filter((p) => p !== b.dataDir);
    const mounts: ContainerCtx['mounts'] = writes.map((p) => ({ name: volumeName(p), mountPath: p, subPath: null, readOnly: false }));
    const volumes: PodCtx['volumes'] = writes.map((p) => ({ name: volumeName(p), emptyDir: true, secret: null }));
    if (secretFiles.length > 0) {
      mounts.push({ name: 'secrets', mountPath: '/run/secrets', subPath: null, readOnly: true });
      volumes.push({ name: 'secrets', emptyDir: false, secret: { name: `${b.name}-secrets`, items: secretFiles } });
    }
    let claim: BackingWorkloadCtx['claim'] = null;
    if (b.dataDir !== null) {
      // Postgres refuses a data folder it does not own, and kubelet creates a subPath folder as root,
      // which a non-root postgres cannot take over: the claim is mounted whole (fsGroup makes it
      // group-writable) and PGDATA is a sub-folder postgres creates itself, away from lost+found.
      if (b.kind === 'postgres') configMap.push(['PGDATA', `${b.dataDir}/pgdata`]);
      if (b.volume !== null) {
        claim = { mountPath: b.dataDir, subPath: null, size: k.storage.size, className: k.storage.className };
        mounts.push({ name: 'data', mountPath: b.dataDir, subPath: null, readOnly: false });
      } else {
        mounts.push({ name: 'data', mountPath: b.dataDir, subPath: null, readOnly: false });
        volumes.push({ name: 'data', emptyDir: true, secret: null });
      }
    }
    if (b.initScripts.length > 0) warn(`backingServices.${b.name}.initScripts`, 'not mounted in Kubernetes', 'Put them in a ConfigMap mounted at /docker-entrypoint-initdb.d, or run them as a kubernetes.jobs entry.');
    if (b.healthcheck === null) warn(`backingServices.${b.name}`, `the ${b.kind} image has no probe tool, so its pod is ready as soon as it starts`, 'Add a tcpSocket readiness probe in an overlay patch if your cluster image allows it.');
    const keys = b.env.filter((v) => v.secret).map((v) => ({ key: v.name, comment: v.comment }));
    if (keys.length > 0) secrets.push({ name: `${b.name}-secrets`, file: `secrets/${b.name}.env`, keys });
    backing.push({
      name: b.name,
      kind: b.kind,
      port: b.port,
      configMap: dedupe(configMap),
      claim,
      allowFrom: [...new Set(allowFrom.get(b.name) ?? [])].sort(),
      aliases: [...b.aliases].sort(),
      pod: {
        uid,
        gid: uid,
        volumes,
        container: {
          image: b.image,
          command: null,
          args: b.command ? b.command.map(composeToKube) : null,
          ports: [{ name: b.kind.slice(0, 15), containerPort: b.port }],
          envFrom: [{ kind: 'configMapRef', name: `${b.name}-env` }],
          env,
          probes: b.healthcheck ? probes(execHandler(execProbe(b.healthcheck)), { interval: '5s', timeout: '3s', retries: 5, startPeriod: '30s' }, k.liveness) : null,
          resources: resources(b.limits.cpus, b.limits.memory),
          readOnlyRootFilesystem: true,
          mounts,
        },
      },
    });
  }
  if (external.length > 0) warn('kubernetes.backing', `external: ${external.join(', ')} not rendered`, "Put each app's connection variables in its Secret (secrets/<service>.env).");

  const appByName = new Map(apps.map((a) => [a.name, a]));
  const jobs: JobCtx[] = Object.entries(k.jobs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, j]) => {
      const app = appByName.get(j.service)!;
      const c = app.pod.container;
      return {
        name,
        service: j.service,
        backoffLimit: j.backoffLimit,
        pod: { ...app.pod, container: { ...c, command: ['sh', '-c'], args: [kubeLiteral(j.command)], ports: [], probes: null } },
      };
    });

  const resourcesList = [...apps.map((a) => `${a.name}.yaml`), ...backing.map((b) => `${b.name}.yaml`), ...jobs.map((j) => `${j.name}.job.yaml`)];
  if (k.networkPolicy) resourcesList.push('network-policy.yaml');
  return {
    project: spec.name,
    namespace: k.namespace ?? spec.name,
    apps,
    backing,
    external,
    jobs,
    secrets: secrets.sort((a, b) => (a.name < b.name ? -1 : 1)),
    generateSecrets,
    networkPolicy: k.networkPolicy,
    policies: [
      ...apps.filter((a) => a.service !== null && (a.ingress !== null || a.allowFrom.length > 0)).map((a) => ({ name: a.name, port: PORT_NAME, public: a.ingress !== null, from: a.allowFrom })),
      ...backing.filter((b) => b.allowFrom.length > 0).map((b) => ({ name: b.name, port: b.pod.container.ports[0]!.name, public: false, from: b.allowFrom })),
    ],
    ingressClass: k.ingress.className,
    tlsSecret: k.ingress.tlsSecret,
    images,
    warnings,
    resources: resourcesList,
  };
}

function dedupe(entries: Array<[string, string]>): Array<[string, string]> {
  const m = new Map(entries);
  return [...m.entries()];
}
