/**
 * The typed context of the compose templates (compose.yaml, compose.dev.yaml, compose.test.yaml,
 * the proxy configuration): app services from the service models, backing services from the
 * backing table, and the observability and proxy services in their profiles.
 */
import { IMAGES } from '../../images/catalog.js';
import { mapImage, type ImageMap } from '../../images/image-map.js';
import type { Spec } from '../../spec/types.generated.js';
import { backingModels, secretPath, type BackingModel, type Limits, type SecretFile } from './backing.js';
import { nodeConfigSecrets } from './dockerfile.js';
import { nodeWorkspaceRoot, serviceModels, type ServiceModel } from './service.js';
import { wiredValue } from './wiring.js';

export interface HealthcheckCtx {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  startPeriod: string;
}

export interface AppServiceCtx {
  name: string;
  role: ServiceModel['role'];
  /**
   * A job runs to completion: never restarted, and in the `jobs` profile so `docker compose up
   * --wait` neither starts it nor fails when it exits (`docker compose run --rm <job>` runs it).
   */
  restart: 'unless-stopped' | 'no';
  profiles: string[];
  context: string;
  dockerfile: string;
  target: string | null;
  hasDevTarget: boolean;
  buildArgs: Array<[string, string]>;
  /** Build secrets besides the CA bundle: compose secret `source` → the id the Dockerfile mounts (`target`). */
  buildSecrets: Array<{ source: string; target: string }>;
  image: string;
  devImage: string;
  ports: string[];
  environment: Array<[string, string]>;
  /** Backing-service secrets the app reads as files (its wiring's `password-file` variables). */
  secrets: string[];
  dependsOn: Array<{ name: string; condition: 'service_healthy' | 'service_started' }>;
  /** Backing services only (the test runner does not start other apps). */
  backingDependsOn: Array<{ name: string; condition: 'service_healthy' | 'service_started' }>;
  healthcheck: HealthcheckCtx | null;
  readOnly: boolean;
  tmpfs: string[];
  replicas: number;
  cpus: string;
  memory: string;
  pids: number;
  networks: string[];
  /** Source bind mount for compose.dev.yaml: host folder → container folder. */
  devMount: { source: string; target: string } | null;
  devVolumes: string[];
  devEnvironment: Array<[string, string]>;
  /** The dev target takes DEV_UID/DEV_GID build args and runs as that user (stackgen's templates, bar plain nginx). */
  devUser: boolean;
  test: string | null;
}

export interface ComposeContext {
  project: string;
  services: AppServiceCtx[];
  backing: BackingModel[];
  /** Backing-service healthchecks: short intervals, so a stack turns healthy in seconds. */
  backingHealth: { interval: string; timeout: string; retries: number; startPeriod: string };
  prometheus: { image: string; publish: number; limits: Limits } | null;
  grafana: { image: string; publish: number; limits: Limits; secret: SecretFile & { path: string } } | null;
  proxy: ProxyCtx | null;
  volumes: string[];
  /** Top-level secrets read from `.env` variables: the backing services' and Grafana's credentials. */
  secrets: SecretFile[];
  /** Top-level secrets read from project files for builds (a Node project's .npmrc / .yarnrc.yml). */
  buildSecretFiles: Array<{ name: string; file: string }>;
  testRunners: Array<{ name: string; service: AppServiceCtx }>;
  /** Path of the CA bundle (relative to the root) passed to builds as the `ca` secret, or null. */
  caBundle: string | null;
}

export interface ProxyCtx {
  kind: 'traefik' | 'caddy';
  image: string;
  acme: boolean;
  email: string | null;
  /** Local self-signed mode publishes on 127.0.0.1 only; ACME needs the public interface. */
  bind: string;
  limits: Limits;
  routes: Array<{ service: string; host: string; port: number }>;
}

/**
 * `$` in a user's value would be read by compose as interpolation, so it is escaped — except
 * `${NAME}` of a declared secret, which compose fills from `.env` (the spec validator requires
 * every such reference to be declared).
 */
function escapeCompose(v: string, secrets: readonly string[] = []): string {
  return v.replace(/\$(\{([A-Za-z_][A-Za-z0-9_]*)\})?/g, (all, _braced: string | undefined, name: string | undefined) => (name && secrets.includes(name) ? all : `$$${all.slice(1)}`));
}

const APP_PIDS = 1024;
/** The compose profile jobs sit in: started on demand, never by a plain `up`. */
export const JOBS_PROFILE = 'jobs';

export function composeContext(spec: Spec, rootDir: string, imageMap: ImageMap): ComposeContext {
  const models = serviceModels(spec, rootDir);
  const backing = backingModels(spec, imageMap);
  const backingByName = new Map(backing.map((b) => [b.name, b]));
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const used = new Set<number>();
  for (const m of models) if (m.spec.publish !== null) used.add(m.spec.publish);
  const freePort = (want: number) => {
    let p = want;
    while (used.has(p)) p++;
    used.add(p);
    return p;
  };

  const services = models.map((m) => appService(spec, m, backingByName, modelByName, rootDir));
  const volumes: string[] = backing.map((b) => b.volume).filter((v): v is string => v !== null);
  const prometheus = spec.observability.prometheus ? { image: mapImage(IMAGES.prometheus.ref, imageMap), publish: freePort(9090), limits: { cpus: '1.0', memory: '512M', pids: 256 } } : null;
  const grafanaSecret = { name: 'grafana-admin-password', env: 'GRAFANA_ADMIN_PASSWORD' };
  const grafana = spec.observability.grafana
    ? { image: mapImage(IMAGES.grafana.ref, imageMap), publish: freePort(3000), limits: { cpus: '0.5', memory: '256M', pids: 256 }, secret: { ...grafanaSecret, path: secretPath(grafanaSecret.name) } }
    : null;
  const secrets = [...backing.flatMap((b) => b.secrets), ...(grafana ? [grafanaSecret] : [])];
  if (prometheus) volumes.push('prometheus-data');
  if (grafana) volumes.push('grafana-data');

  let proxy: ProxyCtx | null = null;
  if (spec.proxy.kind !== 'none') {
    const web = models.filter((m) => m.port !== null && m.role !== 'worker');
    const acme = spec.proxy.tls === 'acme';
    proxy = {
      kind: spec.proxy.kind,
      image: mapImage(spec.proxy.kind === 'traefik' ? IMAGES.traefik.ref : IMAGES.caddy.ref, imageMap),
      acme,
      email: spec.proxy.email,
      bind: acme ? '' : '127.0.0.1:',
      limits: { cpus: '0.5', memory: '256M', pids: 256 },
      routes: web.map((m, i) => ({ service: m.name, host: spec.proxy.domains[i] ?? `${m.name}.localhost`, port: m.port! })),
    };
    if (spec.proxy.kind === 'caddy') volumes.push('caddy-data');
    else if (acme) volumes.push('traefik-acme');
  }

  const withTests = services.filter((s) => s.test !== null);
  const testRunners = withTests.map((s) => ({ name: withTests.length === 1 ? 'test-runner' : `test-runner-${s.name}`, service: s }));
  return {
    project: spec.name,
    services,
    backing,
    backingHealth: { interval: '5s', timeout: '3s', retries: 5, startPeriod: '10s' },
    prometheus,
    grafana,
    proxy,
    volumes: volumes.sort(),
    secrets,
    buildSecretFiles: models.flatMap((m) => nodeBuildSecrets(m, rootDir).map((b) => ({ name: b.source, file: b.file }))),
    testRunners,
    caBundle: spec.build.caBundle,
  };
}

function appService(spec: Spec, m: ServiceModel, backing: Map<string, BackingModel>, apps: Map<string, ServiceModel>, rootDir: string): AppServiceCtx {
  const s = m.spec;
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(m.runtimeEnv)) env.set(k, v);
  const secretFiles = new Set<string>();
  const dependsOn: AppServiceCtx['dependsOn'] = [];
  const backingDependsOn: AppServiceCtx['backingDependsOn'] = [];
  for (const d of [...s.dependsOn].sort()) {
    const b = backing.get(d);
    if (b) {
      const dep = { name: d, condition: b.healthcheck ? ('service_healthy' as const) : ('service_started' as const) };
      dependsOn.push(dep);
      backingDependsOn.push(dep);
      // The variables the app's code reads for this service (detected into `wiring`), else its default one.
      const wired = Object.entries(s.wiring).filter(([, ref]) => ref.slice(0, ref.indexOf('.')) === d);
      for (const [k, ref] of wired) {
        const w = wiredValue(b, spec.backingServices[d]!.auth, ref.slice(ref.indexOf('.') + 1));
        env.set(k, w.value);
        if (w.secret) secretFiles.add(w.secret);
      }
      if (wired.length > 0) continue;
      const auth = spec.backingServices[d]!.auth;
      for (const [k, v] of b.wiring) {
        // Two backing services of one kind: the second gets a name-prefixed variable.
        const key = env.has(k) ? `${b.name.toUpperCase().replace(/-/g, '_')}_${k.replace(/^(DATABASE_)?/, '')}` : k;
        // Without authentication the default URL carries no password either.
        env.set(key, auth === 'none' ? wiredValue(b, auth, 'url').value : v);
      }
      continue;
    }
    const a = apps.get(d);
    if (a) {
      dependsOn.push({ name: d, condition: a.healthcheck ? 'service_healthy' : 'service_started' });
      if (a.port !== null) env.set(`${d.toUpperCase().replace(/-/g, '_')}_URL`, `http://${d}:${a.port}`);
    }
  }
  for (const [k, v] of Object.entries(s.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) env.set(k, escapeCompose(String(v), s.secrets));
  for (const name of [...s.secrets].sort()) env.set(name, `\${${name}}`);

  const ports: string[] = [];
  if (s.publish !== null && m.port !== null) ports.push(s.replicas > 1 ? `127.0.0.1::${m.port}` : `127.0.0.1:${s.publish}:${m.port}`);
  const hc = s.healthcheck;
  const devEnvironment: Array<[string, string]> = [];
  if (m.template === 'node' || m.template === 'bun' || m.template === 'static') devEnvironment.push(['NODE_ENV', 'development']);
  if (m.template === 'python') devEnvironment.push(['PYTHONDEVMODE', '1']);
  if (m.template === 'ruby') devEnvironment.push(['RAILS_ENV', 'development'], ['RACK_ENV', 'development']);
  const job = m.role === 'job';
  return {
    name: m.name,
    role: m.role,
    restart: job ? 'no' : 'unless-stopped',
    profiles: job ? [JOBS_PROFILE] : [],
    context: m.context,
    dockerfile: m.dockerfile,
    target: m.target,
    hasDevTarget: m.hasDevTarget,
    buildSecrets: nodeBuildSecrets(m, rootDir).map(({ source, target }) => ({ source, target })),
    buildArgs: Object.entries(s.buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, escapeCompose(v)]),
    image: m.image,
    devImage: `${spec.name}-${m.name}:dev`,
    ports,
    environment: [...env.entries()],
    secrets: [...secretFiles].sort(),
    dependsOn,
    backingDependsOn,
    healthcheck: m.healthcheck ? { test: ['CMD', ...m.healthcheck], interval: hc.interval, timeout: hc.timeout, retries: hc.retries, startPeriod: hc.startPeriod } : null,
    // Compose 2.x writes an `environment:`-sourced secret into the created container through the
    // copy API, which the engine refuses on a read-only root ("container rootfs is marked read-only",
    // measured): an app that reads its password as a file keeps a writable root, still without capabilities.
    readOnly: m.readOnly && secretFiles.size === 0,
    tmpfs: m.tmpfs,
    replicas: s.replicas,
    cpus: s.resources.cpus,
    memory: s.resources.memory,
    // Threads count too: a JVM or a worker pool stays far below this, a fork bomb does not.
    pids: APP_PIDS,
    networks: ['backend', 'frontend'],
    devMount: devMount(m),
    devVolumes: m.devVolumes,
    devEnvironment,
    devUser: m.template !== null && !(m.template === 'static' && s.commands.build === null),
    test: s.commands.test,
  };
}

/** A Node build's registry configuration, passed as a BuildKit secret named per service (two services may have different files). */
function nodeBuildSecrets(m: ServiceModel, rootDir: string): Array<{ source: string; target: string; file: string }> {
  const node = m.template === 'node' || (m.template === 'static' && m.spec.commands.build !== null);
  if (!node) return [];
  const pkgDir = nodeWorkspaceRoot(rootDir, m.dir) ?? m.dir;
  return nodeConfigSecrets(rootDir, pkgDir).map((c) => ({ source: `${m.name}-${c.id}`, target: c.id, file: pkgDir === '.' ? `./${c.file}` : `./${pkgDir}/${c.file}` }));
}

/** Every dev stage works in /app (php: Apache's docroot; plain static sites: nginx's html folder). */
function devMount(m: ServiceModel): AppServiceCtx['devMount'] {
  if (m.template === null) return null;
  if (m.template === 'static' && m.spec.commands.build === null) {
    const dir = (m.spec.staticDir ?? '.').replace(/\/+$/, '') || '.';
    return { source: dir === '.' ? m.context : `${m.context}/${dir}`, target: '/usr/share/nginx/html' };
  }
  return { source: m.context, target: m.template === 'php' ? '/var/www/html' : '/app' };
}
