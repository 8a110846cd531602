/**
 * detect(dir) → Topology. Providers each describe the projects of their ecosystem; this module
 * turns those candidates into one topology: one service per folder, supplementary evidence
 * (Dockerfiles, compose, env files, Procfiles) folded in, libraries and workspace roots dropped,
 * names made unique, links resolved into `dependsOn`, and confidence computed from the evidence.
 */
import path from 'node:path';
import { dnsLabel } from '../dns-label.js';
import { SourceView, type SourceViewOptions } from '../source/source-view.js';
import { backingFromUrl } from './backing.js';
import { confidenceOf } from './confidence.js';
import { bindContract, kindsNamedBy, scanConfigContract, type ContractScan } from './config-contract.js';
import { scanEnvFiles } from './env-files.js';
import { scanSecretFallbacks } from './secret-fallbacks.js';
import { parseProcfile } from './procfile.js';
import { portEnvIn } from './port-env.js';
import { inDir, type Candidate, type Fact, type Provider, type Role } from './provider.js';
import { KNOWN_MANIFESTS, providersFor } from './registry.js';
import { dropUnsafeFacts, safeVersion } from './safe-facts.js';
import type { BackingService, Evidence, Service, Topology, TopologyWarning } from './types.js';

export interface DetectOptions extends SourceViewOptions {
  /**
   * Providers to use instead of the built-in registry (for tests and embedding generators); run in
   * this order. Default: the registry's providers that the repository's files can wake.
   */
  providers?: readonly Provider[];
}

/** Detection result with the provider of each service, for `--explain`. */
export interface DetectReport {
  topology: Topology;
  /** Files read while detecting, root-relative. */
  lookedAt: string[];
  /** Which provider produced each service, by service name. */
  providerOf: Record<string, string>;
}

export async function detect(dir: string, options: DetectOptions = {}): Promise<Topology> {
  return (await detectWithReport(dir, options)).topology;
}

export async function detectWithReport(dir: string, options: DetectOptions = {}): Promise<DetectReport> {
  const source = await SourceView.open(dir, options);
  const providers = options.providers ?? (await providersFor(source.files));
  const found: Array<{ provider: string; candidate: Candidate }> = [];
  for (const provider of providers) {
    try {
      for (const c of provider.detect(source)) found.push({ provider: provider.name, candidate: c });
    } catch (err) {
      // A provider bug must not hide what the others found; it surfaces as a warning.
      source.warn('.', `the ${provider.name} detector failed: ${(err as Error).message}`);
    }
  }
  return assemble(source, found);
}

const ROLE_RANK: Record<Role, number> = { web: 0, static: 1, worker: 2, job: 3, library: 4, workspace: 5 };

interface Chosen {
  provider: string;
  c: Candidate;
}

function assemble(source: SourceView, found: Array<{ provider: string; candidate: Candidate }>): DetectReport {
  const byPath = new Map<string, Array<{ provider: string; candidate: Candidate }>>();
  for (const f of found) {
    const list = byPath.get(f.candidate.path) ?? [];
    list.push(f);
    byPath.set(f.candidate.path, list);
  }

  const chosen: Chosen[] = [];
  const orphanBacking: Array<{ dir: string; b: Candidate['backing'][number] }> = [];
  for (const [dir, list] of [...byPath.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const primaries = list.filter((f) => !f.candidate.supplementary);
    const supplements = list.filter((f) => f.candidate.supplementary);
    const pool = primaries.length > 0 ? primaries : supplements;
    const best = [...pool].sort(
      (a, b) => ROLE_RANK[a.candidate.role] - ROLE_RANK[b.candidate.role] || confidenceOf(b.candidate.facts) - confidenceOf(a.candidate.facts),
    )[0];
    if (!best) continue;
    const c = structuredClone(best.candidate);
    for (const s of supplements) if (s.candidate !== best.candidate) fillFrom(c, s.candidate);
    const env = scanEnvFiles(source, dir);
    if (c.port === null && env.port !== null && env.portFact && c.role === 'web') {
      c.port = env.port;
      c.facts.push(env.portFact);
    }
    if (!c.backingSelected) mergeBacking(c, env.backing);
    c.links.push(...env.links);
    if (c.role === 'library' || c.role === 'workspace') {
      for (const b of c.backing) orphanBacking.push({ dir, b });
      continue;
    }
    chosen.push({ provider: best.provider, c });
    chosen.push(...(source.has(inDir(c.path, 'Procfile')) ? procfileWorkers(source, best.provider, c) : companionWorkers(source, best.provider, c)));
  }

  const names = assignNames(source, chosen);
  const services: Service[] = chosen.map(({ c }, i) => toService(c, names[i] ?? c.path));
  const byName = new Map(services.map((s, i) => [s.name, { s, c: chosen[i]!.c }]));

  // Backing services a library or workspace root declared belong to the services under it.
  for (const { dir, b } of orphanBacking) {
    for (const { s, c } of byName.values()) {
      if (s.port !== null && isUnder(s.path, dir) && !c.backing.some((x) => x.kind === b.kind)) c.backing.push(b);
    }
  }
  // The configuration contract: what the code reads and which hosts it names. A variable or host of
  // a specific kind (REDIS_HOST, `mongodb://mongo/app`) is evidence of that backing service too, so
  // an app that speaks a protocol with its standard library is wired like one with a client library.
  const contractWarnings: TopologyWarning[] = [];
  const contracts = new Map<string, ContractScan>();
  for (const { s, c } of byName.values()) {
    if (s.role === 'static') continue;
    let scan = contracts.get(s.path);
    if (!scan) {
      const nested = services.map((o) => o.path).filter((p) => p !== s.path && (s.path === '.' || p.startsWith(`${s.path}/`)));
      scan = scanConfigContract(source, s.path, nested, s.name);
      contracts.set(s.path, scan);
      contractWarnings.push(...scan.warnings);
    }
    if (!c.backingSelected) for (const k of kindsNamedBy(scan.contract)) mergeBacking(c, [{ kind: k.kind, evidence: { file: k.file, line: k.line, signal: k.signal } }]);
  }
  for (const { s, c } of byName.values()) {
    s.backingServices = [...new Set(c.backing.map((b) => b.kind))].sort();
    const scan = contracts.get(s.path);
    if (scan && (scan.contract.reads.length > 0 || scan.contract.hosts.length > 0)) s.config = bindContract(scan.contract, s.backingServices);
    s.dependsOn = resolveLinks(s, c, services);
    for (const b of c.backing) s.evidence.push({ ...b.evidence, signal: `${b.kind}: ${b.evidence.signal}` });
  }

  const backingServices = collectBacking([...byName.values()]);
  const warnings: TopologyWarning[] = source.warnings.map((w) => (w.line === undefined ? { file: w.file, message: w.message } : { file: w.file, line: w.line, message: w.message }));
  const providerOf: Record<string, string> = {};
  chosen.forEach((ch, i) => (providerOf[services[i]!.name] = ch.provider));
  for (const { s, c } of byName.values()) dropUnsafeFacts(s, c.facts, warnings);
  leaveOutUnservable(services, backingServices, warnings);
  warnings.push(...contractWarnings);
  if (services.length === 0) warnings.push({ file: '.', message: nothingDetected(source, found.length > 0) });
  // Workers share their web service's folder and code: the first service of a folder reports it.
  const scanned = new Set<string>();
  for (const s of services) {
    if (scanned.has(s.path)) continue;
    scanned.add(s.path);
    const nested = services.map((o) => o.path).filter((p) => p !== s.path && (s.path === '.' || p.startsWith(`${s.path}/`)));
    const found = scanSecretFallbacks(source, s.path, nested);
    if (found.length === 0) continue;
    s.secretFallbacks = found;
    for (const f of found) {
      warnings.push({ file: f.file, line: f.line, message: `${s.name}: ${f.name} falls back to a literal in the code when unset, so anyone who reads the code can forge what it signs; stackgen declares ${f.name} a secret (a random value in .env, passed to the service)` });
    }
  }

  for (const name of Object.keys(providerOf)) if (!services.some((s) => s.name === name)) delete providerOf[name];
  return { topology: { root: source.root, services, backingServices, warnings }, lookedAt: source.lookedAt, providerOf };
}

/**
 * A static site whose build output folder is unknown (the repository's value was dropped as unsafe)
 * cannot be served: building it and serving the sources would ship the wrong files, and the spec
 * refuses a static build without `staticDir`. It is left out, saying what to set, so init never
 * writes a spec it refuses.
 */
function leaveOutUnservable(services: Service[], backing: BackingService[], warnings: TopologyWarning[]): void {
  for (let i = services.length - 1; i >= 0; i--) {
    const s = services[i]!;
    if (s.role !== 'static' || s.commands.build === null || s.staticDir !== undefined) continue;
    services.splice(i, 1);
    warnings.push({ file: s.path, message: `${s.name}: left out: its build output folder is unknown, so stackgen cannot tell which files to serve; add it to stackgen.yaml with role: static and staticDir (the folder its build writes, inside ${s.path === '.' ? 'the repository' : `${s.path}/`})` });
    for (const o of services) o.dependsOn = o.dependsOn.filter((d) => d !== s.name);
    for (const b of backing) b.usedBy = b.usedBy.filter((u) => u !== s.name);
  }
  for (let i = backing.length - 1; i >= 0; i--) if (backing[i]!.usedBy.length === 0) backing.splice(i, 1);
}

/** Supplementary evidence (Dockerfile, compose) fills what the ecosystem provider left empty. */
function fillFrom(c: Candidate, s: Candidate): void {
  // A static site is served by the server stackgen renders: another process's port is not its own.
  if (c.port === null && s.port !== null && c.role !== 'static') c.port = s.port;
  if (c.runtimeVersion === null && s.runtimeVersion !== null && s.language === c.language) c.runtimeVersion = s.runtimeVersion;
  if (c.commands.start === null && s.commands.start !== null) c.commands.start = s.commands.start;
  if (c.healthPath === null && s.healthPath !== null) c.healthPath = s.healthPath;
  if (!c.dockerBuild && s.dockerBuild) c.dockerBuild = s.dockerBuild;
  c.facts.push(...s.facts);
  mergeBacking(c, s.backing);
  c.links.push(...s.links);
}

function mergeBacking(c: Candidate, more: Candidate['backing']): void {
  for (const b of more) {
    const have = c.backing.find((x) => x.kind === b.kind);
    if (!have) c.backing.push(b);
    else if (!have.version && b.version) have.version = b.version;
  }
}

/** Procfile process types other than `web` (and release) run as workers of the same image. */
function procfileWorkers(source: SourceView, provider: string, c: Candidate): Chosen[] {
  const file = inDir(c.path, 'Procfile');
  const procs = parseProcfile(source, file);
  const out: Chosen[] = [];
  for (const p of procs) {
    const fact: Fact = { file, line: p.line, signal: `Procfile ${p.type}: ${p.command}`, kind: 'start' };
    if (p.type === 'web') {
      if (c.commands.start === null) c.commands.start = p.command;
      c.facts.push(fact);
      continue;
    }
    if (p.type === 'release') continue;
    out.push(worker(source, provider, c, p.type, p.command, fact));
  }
  return out;
}

/** Processes a provider found beside the main one (no Procfile says otherwise), as workers of the same image. */
function companionWorkers(source: SourceView, provider: string, c: Candidate): Chosen[] {
  return (c.companions ?? []).map((w) => worker(source, provider, c, w.type, w.start, w.fact));
}

function worker(source: SourceView, provider: string, c: Candidate, type: string, start: string, fact: Fact): Chosen {
  const { companions: _companions, ...rest } = structuredClone(c);
  return { provider, c: { ...rest, name: `${c.name ?? baseName(source, c.path)}-${type}`, role: 'worker', port: null, healthPath: null, commands: { ...c.commands, start }, facts: [...c.facts, fact], links: [] } };
}

function baseName(source: SourceView, dir: string): string {
  return dir === '.' ? path.basename(source.root) : path.posix.basename(dir);
}

/** DNS-label-safe names: package name without scope, else folder name; unique with a numeric suffix. */
function assignNames(source: SourceView, chosen: Chosen[]): string[] {
  const used = new Set<string>();
  return chosen.map(({ c }) => {
    const raw = c.name ?? baseName(source, c.path);
    let base = dnsLabel(raw.replace(/^@[^/]+\//, '')) || dnsLabel(baseName(source, c.path)) || 'app';
    if (used.has(base) && c.path !== '.') base = dnsLabel(`${path.posix.basename(path.posix.dirname(c.path))}-${base}`) || base;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  });
}


function toService(c: Candidate, name: string): Service {
  const evidence: Evidence[] = c.facts.map(({ file, line, signal }) => (line === undefined ? { file, signal } : { file, line, signal }));
  const svc: Service = {
    name,
    path: c.path,
    language: c.language,
    framework: c.framework,
    packageManager: c.packageManager,
    runtimeVersion: c.runtimeVersion,
    commands: { ...c.commands },
    port: c.role === 'worker' || c.role === 'job' ? null : c.port,
    healthPath: c.role === 'worker' || c.role === 'job' ? null : c.healthPath,
    backingServices: [],
    dependsOn: [],
    confidence: confidenceOf(c.facts),
    evidence: dedupeEvidence(evidence),
  };
  if (c.role !== 'web') svc.role = c.role as 'static' | 'worker' | 'job';
  if (c.role === 'web' && c.port !== null) {
    // The provider's own finding, else the line that gave the port when it reads a variable.
    const portEnv = c.portEnv ?? c.facts.filter((f) => f.kind === 'port').map((f) => portEnvIn(f.signal, c.port!)).find(Boolean);
    if (portEnv) svc.portEnv = portEnv;
  }
  if (c.staticDir) svc.staticDir = c.staticDir;
  if (c.dockerBuild) svc.dockerBuild = { dockerfile: c.dockerBuild.dockerfile, context: c.dockerBuild.context };
  if (c.metricsPath) svc.metricsPath = c.metricsPath;
  return svc;
}

function dedupeEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.file}:${e.line ?? ''}:${e.signal}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', 'host.docker.internal']);

/** Turns URLs from env files and dev proxies into edges to sibling services. */
function resolveLinks(self: Service, c: Candidate, services: Service[]): string[] {
  const out = new Set<string>();
  for (const link of c.links) {
    if (backingFromUrl(link.url)) continue;
    let u: URL;
    try {
      u = new URL(link.url);
    } catch {
      continue;
    }
    const port = u.port ? Number(u.port) : null;
    const host = u.hostname.toLowerCase();
    const target = LOCAL_HOSTS.has(host)
      ? services.find((s) => s !== self && port !== null && s.port === port)
      : services.find((s) => s !== self && (s.name === host || path.posix.basename(s.path) === host));
    if (target) {
      out.add(target.name);
      self.evidence.push({ ...link.evidence, signal: `calls ${target.name}: ${link.evidence.signal}` });
    }
  }
  return [...out].sort();
}

function collectBacking(entries: Array<{ s: Service; c: Candidate }>): BackingService[] {
  const byKind = new Map<string, BackingService>();
  for (const { s, c } of entries) {
    for (const b of c.backing) {
      let bs = byKind.get(b.kind);
      if (!bs) {
        bs = { kind: b.kind, usedBy: [], evidence: [] };
        byKind.set(b.kind, bs);
      }
      const version = safeVersion(b.version);
      if (version && !bs.version) bs.version = version;
      if (!bs.usedBy.includes(s.name)) bs.usedBy.push(s.name);
      if (!bs.evidence.some((e) => e.file === b.evidence.file && e.signal === b.evidence.signal)) bs.evidence.push(b.evidence);
    }
  }
  return [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

function isUnder(p: string, dir: string): boolean {
  return dir === '.' || p === dir || p.startsWith(`${dir}/`);
}

/** "Nothing detected" teaches: what stackgen knows and what it looked at. */
function nothingDetected(source: SourceView, onlyLibraries: boolean): string {
  const known = KNOWN_MANIFESTS.map(({ language, files }) => `${language} (${files.join(', ')})`).join('; ');
  const looked = source.lookedAt.slice(0, 30);
  const more = source.lookedAt.length > looked.length ? ` and ${source.lookedAt.length - looked.length} more` : '';
  const head = onlyLibraries
    ? 'no runnable service detected: only libraries or workspace roots were found (add a start script or an entry point)'
    : `no service detected in ${source.files.length} files`;
  return `${head}. stackgen knows: ${known}. Files looked at: ${looked.length ? looked.join(', ') + more : 'none'}.`;
}
