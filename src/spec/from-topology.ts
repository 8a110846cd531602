/**
 * Topology → spec: what `stackgen init --yes` writes. One service per detected service, backing
 * services keyed by kind, published host ports made unique, and every choice init asks about
 * available as an option, so the prompts and the flags produce the same spec.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dnsLabel } from '../dns-label.js';
import { SECRET_NAME } from '../detect/secret-fallbacks.js';
import type { BackingKind, Topology, Service as DetectedService } from '../detect/types.js';
import { StackgenError } from '../errors.js';
import { hasMarker } from '../tree/marker.js';
import { closest } from './levenshtein.js';
import type { BackingServiceInput, CiInput, ProxyInput, ServiceInput, Spec, SpecInput } from './types.generated.js';

export interface SpecFromTopologyOptions {
  /** Project name (a DNS label). Default: the scanned folder's name, made a DNS label. */
  name?: string;
  /** Keep only these services (by detected name). Default: all. */
  services?: string[];
  /** Leave these services out. Default: none. */
  exclude?: string[];
  /** Container port per service, overriding detection. Default: detected, else 8080 for web services. */
  ports?: Record<string, number>;
  /** Start command per service, overriding detection. Default: detected. */
  start?: Record<string, string>;
  /** Backing services to add even if not detected; they become dependencies of every web and worker service. Default: none. */
  with?: BackingKind[];
  /** Detected backing services to leave out. Default: none. */
  without?: BackingKind[];
  /**
   * A Dockerfile the repository already has (not written by stackgen): `keep` builds with it
   * (`dockerfile.path`); `replace` renders stackgen's own in its place (`dockerfile.template: auto`),
   * for one that cannot build. Default `keep`.
   */
  ownDockerfile?: 'keep' | 'replace';
  /** Prometheus, Grafana and alert rules. Default true. */
  observability?: boolean;
  /** Reverse proxy. Default: none. */
  proxy?: ProxyInput;
  /** CI provider. Default github. */
  ci?: CiInput['provider'];
  /** Registry the CI pushes to, e.g. ghcr.io/acme. Default: none. */
  registry?: string | null;
  /** Deploy targets; compose is always one (it holds the builds). Default: [compose], left out of the spec. */
  targets?: Target[];
}

export type Target = Spec['targets'][number];
export const TARGETS: readonly Target[] = ['compose', 'swarm', 'kubernetes'];

/** compose first, then the others in a fixed order, each once. */
export function normalizeTargets(targets: readonly Target[]): Spec['targets'] {
  return TARGETS.filter((t) => t === 'compose' || targets.includes(t)) as Spec['targets'];
}

/** Port used for a web service whose port detection could not find (what render assumes too). */
export const DEFAULT_WEB_PORT = 8080;

function unknownName(kind: string, name: string, known: string[]): StackgenError {
  const guess = closest(name, known);
  return new StackgenError('E_INPUT', `no detected ${kind} named \`${name}\``, {
    hint: guess ? `Did you mean \`${guess}\`? Detected: ${known.join(', ') || 'none'}.` : `Detected: ${known.join(', ') || 'none'}.`,
  });
}

/** A host port that is not taken, counting up from the wanted one. */
export function freeHostPort(want: number, taken: ReadonlySet<number>): number {
  let p = want;
  while (taken.has(p) && p < 65535) p++;
  return p;
}

/**
 * The service's own Dockerfile, when detection used one as evidence and stackgen did not write it:
 * init keeps it (`dockerfile.path`) instead of rendering a new one over the user's work.
 */
function ownDockerfile(root: string, s: DetectedService): string | null {
  const file = s.path === '.' ? 'Dockerfile' : `${s.path}/Dockerfile`;
  if (!s.evidence.some((e) => e.file === file && e.signal.startsWith('Dockerfile FROM'))) return null;
  try {
    return hasMarker(fs.readFileSync(path.join(root, file), 'utf8')) ? null : file;
  } catch {
    return null;
  }
}

function toService(s: DetectedService, options: SpecFromTopologyOptions, backing: Set<string>, root: string): ServiceInput {
  const role = s.role ?? 'web';
  const out: ServiceInput = { path: s.path, language: s.language };
  if (s.framework) out.framework = s.framework;
  if (s.runtimeVersion) out.runtimeVersion = s.runtimeVersion;
  if (s.packageManager) out.packageManager = s.packageManager;
  out.role = role;
  if (s.staticDir) out.staticDir = s.staticDir;
  const override = options.ports?.[s.name];
  const port = override ?? s.port ?? (role === 'web' ? DEFAULT_WEB_PORT : null);
  if (port !== null && role !== 'static') out.port = port;
  const commands: NonNullable<ServiceInput['commands']> = {};
  if (s.commands.install) commands.install = s.commands.install;
  if (s.commands.build) commands.build = s.commands.build;
  const start = options.start?.[s.name] ?? s.commands.start;
  if (start) commands.start = start;
  if (Object.keys(commands).length > 0) out.commands = commands;
  // The code reads its port from this variable (PORT is always set): the container sets it to the port.
  if (s.portEnv && s.portEnv !== 'PORT' && out.port !== undefined && role === 'web') out.portEnv = s.portEnv;
  if (s.healthPath && role === 'web') out.healthcheck = { path: s.healthPath.startsWith('/') ? s.healthPath : `/${s.healthPath}` };
  if (s.metricsPath) out.metrics = { path: s.metricsPath.startsWith('/') ? s.metricsPath : `/${s.metricsPath}` };
  const deps = [...s.dependsOn, ...s.backingServices.filter((b) => backing.has(b))];
  if (role !== 'static') for (const b of options.with ?? []) deps.push(b);
  const uniq = [...new Set(deps)].filter((d) => d !== s.name);
  if (uniq.length > 0) out.dependsOn = uniq;
  const own = options.ownDockerfile === 'replace' ? null : ownDockerfile(root, s);
  // Built from where the repository's compose file builds it: its COPY lines name paths from there.
  if (own) out.dockerfile = s.dockerBuild?.dockerfile === own ? { path: own, context: s.dockerBuild.context } : { path: own };
  return out;
}

export function specFromTopology(topology: Topology, options: SpecFromTopologyOptions = {}): SpecInput {
  const known = topology.services.map((s) => s.name);
  for (const n of [...(options.services ?? []), ...(options.exclude ?? []), ...Object.keys(options.ports ?? {}), ...Object.keys(options.start ?? {})]) {
    if (!known.includes(n)) throw unknownName('service', n, known);
  }
  const include = options.services && options.services.length > 0 ? new Set(options.services) : null;
  const exclude = new Set(options.exclude ?? []);
  const chosen = topology.services.filter((s) => (include === null || include.has(s.name)) && !exclude.has(s.name));
  const chosenNames = new Set(chosen.map((s) => s.name));

  const without = new Set<string>(options.without ?? []);
  const backingKinds = new Set<string>();
  for (const b of topology.backingServices) {
    if (without.has(b.kind)) continue;
    // A backing service only the left-out services use is left out with them.
    if (b.usedBy.length > 0 && !b.usedBy.some((u) => chosenNames.has(u))) continue;
    backingKinds.add(b.kind);
  }
  for (const k of options.with ?? []) if (!without.has(k)) backingKinds.add(k);
  const withOpts: SpecFromTopologyOptions = { ...options, with: (options.with ?? []).filter((k) => !without.has(k)) };

  const services: Record<string, ServiceInput> = {};
  const taken = new Set<number>();
  if (options.observability ?? true) [3000, 9090].forEach((p) => taken.add(p));
  if (options.proxy?.kind && options.proxy.kind !== 'none') [80, 443].forEach((p) => taken.add(p));
  for (const s of chosen) {
    const svc = toService(s, withOpts, backingKinds, topology.root);
    // A key the code falls back to a literal for becomes a secret: a random value in .env, passed to
    // every service that runs that code (a worker shares its web service's folder).
    const fallbacks = topology.services.find((t) => t.path === s.path && t.secretFallbacks)?.secretFallbacks ?? [];
    if (fallbacks.length > 0 && svc.role !== 'static') svc.secrets = [...new Set(fallbacks.map((f) => f.name))].sort();
    // Keep dependencies only on what is in this spec.
    if (svc.dependsOn) {
      // A job runs on demand (the jobs profile): nothing waits for it at start.
      svc.dependsOn = svc.dependsOn.filter((d) => (chosenNames.has(d) && chosen.find((c) => c.name === d)?.role !== 'job') || backingKinds.has(d));
      if (svc.dependsOn.length === 0) delete svc.dependsOn;
    }
    if (svc.role === 'web' || svc.role === 'static') {
      const want = svc.port ?? DEFAULT_WEB_PORT;
      svc.publish = freeHostPort(want, taken);
      taken.add(svc.publish);
    }
    wireFromContract(s, svc);
    services[s.name] = svc;
  }

  const backingServices: Record<string, BackingServiceInput> = {};
  for (const kind of [...backingKinds].sort()) {
    const detected = topology.backingServices.find((b) => b.kind === kind);
    backingServices[kind] = { kind: kind as BackingKind, ...(detected?.version ? { version: detected.version } : {}), ...backingAccess(kind as BackingKind, chosen, services, backingKinds) };
  }

  const name = options.name ?? (dnsLabel(path.basename(topology.root)) || 'app');
  const targets = options.targets && options.targets.some((t) => t !== 'compose') ? { targets: normalizeTargets(options.targets) } : {};
  const spec: SpecInput = { version: 1, name, ...targets, services, backingServices };
  const obs = options.observability ?? true;
  spec.observability = { prometheus: obs, grafana: obs, alertRules: obs };
  spec.proxy = { kind: 'none', ...(options.proxy ?? {}) };
  spec.ci = { provider: options.ci ?? 'github', registry: options.registry ?? null };
  return spec;
}

/** Variables the platform, the runtime or the image sets: never something to ask the user for. */
const RUNTIME_VARS = /^(PORT|HOST|HOSTNAME|HOME|PATH|PWD|USER|SHELL|TERM|TZ|LANG|LC_[A-Z_]+|CI|DEBUG|NODE_[A-Z_]+|npm_\w+|BUNDLE_[A-Z_]+|RAILS_[A-Z_]+|RACK_[A-Z_]+|PIDFILE|WEB_CONCURRENCY|PYTHON[A-Z_]*|VIRTUAL_ENV|GO[A-Z_]*|JAVA_[A-Z_]+|DOTNET_[A-Z_]+|ASPNETCORE_[A-Z_]+|KUBERNETES_[A-Z_]+|K_SERVICE|VERCEL[A-Z_]*|NETLIFY[A-Z_]*|HEROKU[A-Z_]*|RENDER[A-Z_]*|FLY_[A-Z_]+|RAILWAY_[A-Z_]+|DYNO|GITHUB_[A-Z_]+|APP_ENV|ENV|ENVIRONMENT|LOG_LEVEL|LOGLEVEL|DJANGO_SETTINGS_MODULE|FLASK_[A-Z_]+|TMPDIR|TEMP|TMP)$/;

/**
 * The contract detect found becomes the service's `wiring` (each variable it reads that a backing
 * service in the spec can fill), more `secrets` (signing keys it reads with no default: a random
 * value beats a crash), and `expects` (what it reads with no default that nothing here fills).
 */
function wireFromContract(s: DetectedService, svc: ServiceInput): void {
  if (!s.config || svc.role === 'static') return;
  const deps = new Set(svc.dependsOn ?? []);
  const wiring: Record<string, string> = {};
  const secrets = new Set(svc.secrets ?? []);
  const expects: string[] = [];
  for (const r of s.config.reads) {
    if (r.binds) {
      if (deps.has(r.binds.kind)) wiring[r.name] = `${r.binds.kind}.${r.binds.field}`;
      continue;
    }
    if (r.default !== undefined || RUNTIME_VARS.test(r.name) || secrets.has(r.name)) continue;
    if (SECRET_NAME.test(r.name)) secrets.add(r.name);
    else expects.push(r.name);
  }
  if (Object.keys(wiring).length > 0) svc.wiring = Object.fromEntries(Object.entries(wiring).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (secrets.size > 0) svc.secrets = [...secrets].sort();
  if (expects.length > 0) svc.expects = [...new Set(expects)].sort();
}

/** Connection settings that carry a password the backing service can check. */
const SENDS_PASSWORD = new Set(['password', 'password-file', 'url']);
/** Kinds whose official image runs without authentication when asked to. */
const AUTH_OPTIONAL = new Set<BackingKind>(['postgres', 'mongodb', 'redis']);

/**
 * The host names the code uses for this backing service (network aliases), and whether it can run
 * with a password: when a service connects to it (a hard-coded host, a host variable) and reads no
 * password or URL for it, it has no way to send one, so the stack runs it without authentication on
 * the internal backend network — render says so, and how to turn a password back on.
 */
function backingAccess(kind: BackingKind, chosen: DetectedService[], services: Record<string, ServiceInput>, backingKinds: Set<string>): Pick<BackingServiceInput, 'aliases' | 'auth'> {
  const out: Pick<BackingServiceInput, 'aliases' | 'auth'> = {};
  const taken = new Set([...Object.keys(services), ...backingKinds]);
  const aliases = new Set<string>();
  let sendsNone = false;
  for (const s of chosen) {
    if (!s.config || !(services[s.name]?.dependsOn ?? []).includes(kind)) continue;
    for (const h of s.config.hosts) if (h.kind === kind && h.host !== kind && !taken.has(h.host)) aliases.add(h.host);
    const reads = s.config.reads.filter((r) => r.binds?.kind === kind);
    const named = reads.length > 0 || s.config.hosts.some((h) => h.kind === kind);
    if (named && !reads.some((r) => SENDS_PASSWORD.has(r.binds!.field)) && !s.config.hosts.some((h) => h.kind === kind && h.credentials)) sendsNone = true;
  }
  if (aliases.size > 0) out.aliases = [...aliases].sort();
  if (sendsNone && AUTH_OPTIONAL.has(kind)) out.auth = 'none';
  return out;
}
