/**
 * Existing compose files as evidence. A compose service with `build:` is a service of this
 * repository at its build context: its container port, command, healthcheck and environment
 * (backing-service URLs, URLs of sibling services) describe it. Image-only services running a
 * known backing image (postgres:16, redis:7-alpine, …) are backing services of the services that
 * depend on them, or of every service under the compose file's folder. Other image-only services
 * (nginx, grafana, someone's published app) are not this repository's services.
 * Override files (`docker-compose.override.yml`, `compose.prod.yaml`, …) only fill gaps.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromImage, backingFromUrl } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type LinkHint, type Provider } from '../provider.js';
import { TEST_COMMAND, describeDockerfile, isTestRunnerDockerfile, serviceDirOf, substitute } from './dockerfile.js';
import { asPort, clip } from './others-util.js';

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE = /^(docker-)?compose\.[^/]+\.ya?ml$/;

type Obj = Record<string, unknown>;

interface ComposeService {
  name: string;
  def: Obj;
  line?: number;
}

export const composeProvider: Provider = {
  name: 'compose',
  detect(source: SourceView): Candidate[] {
    const base = source.manifests(BASE_NAMES);
    const overrideNames = new Set(source.glob(['**/docker-compose.*.yml', '**/docker-compose.*.yaml', '**/compose.*.yml', '**/compose.*.yaml']).map((f) => path.posix.basename(f)).filter((n) => OVERRIDE.test(n)));
    const overrides = source.manifests([...overrideNames]);
    const byPath = new Map<string, Candidate>();
    // Base files first: an override only adds what the base file left out.
    for (const file of [...base, ...overrides]) readCompose(source, file, base.includes(file), byPath);
    return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  },
};

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function readCompose(source: SourceView, file: string, isBase: boolean, byPath: Map<string, Candidate>): void {
  const parsed = source.readYaml<Obj>(file);
  if (!parsed.value) return;
  const servicesNode = obj(obj(parsed.value).services);
  const lines = (source.readText(file) ?? '').split(/\r?\n/);
  const composeDir = path.posix.dirname(file);
  const vars = envDefaults(source, composeDir);
  const weight: Fact['kind'] = isBase ? 'compose' : 'heuristic';
  const lineOfKey = (key: string, after = 0): number | undefined => {
    const re = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`);
    for (let i = after; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i + 1;
    return undefined;
  };
  const servicesLine = lineOfKey('services') ?? 0;
  const services: ComposeService[] = Object.entries(servicesNode).map(([name, def]) => ({ name, def: obj(def), ...(lineOfKey(name, servicesLine) ? { line: lineOfKey(name, servicesLine)! } : {}) }));

  // Image-only services running a backing image, by compose service name.
  const backingByName = new Map<string, BackingUse>();
  for (const s of services) {
    if (s.def.build !== undefined || typeof s.def.image !== 'string') continue;
    const image = substitute(s.def.image, vars);
    const b = backingFromImage(image);
    if (b) backingByName.set(s.name, { kind: b.kind, ...(b.version ? { version: b.version } : {}), evidence: { file, ...(s.line ? { line: s.line } : {}), signal: `compose service \`${s.name}\` image ${image}` } });
  }
  const used = new Set<string>();
  // Compose service name → folder of its build, so `http://api:4000` resolves to the folder's service.
  const folderOf = new Map<string, string>();
  const built: Array<{ s: ComposeService; dir: string; context: string; dockerfile?: string }> = [];
  for (const s of services) {
    const b = s.def.build;
    if (typeof b !== 'string' && (!b || typeof b !== 'object' || Array.isArray(b))) continue;
    const context = typeof b === 'string' ? b : typeof obj(b).context === 'string' ? (obj(b).context as string) : '.';
    const ctx = substitute(context, vars);
    if (/^[a-z]+:\/\//i.test(ctx) || /^git@/.test(ctx)) continue;
    const dir = path.posix.normalize(path.posix.join(composeDir, ctx.replace(/\\/g, '/'))).replace(/\/$/, '') || '.';
    if (dir.startsWith('..') || path.posix.isAbsolute(dir)) continue;
    const dockerfileKey = typeof obj(b).dockerfile === 'string' ? substitute(obj(b).dockerfile as string, vars) : 'Dockerfile';
    const dockerfile = path.posix.normalize(path.posix.join(dir, dockerfileKey));
    // A Dockerfile in docker/ builds the context; report the service at the context folder.
    // A shared context (`context: .`, `dockerfile: apps/web/Dockerfile`) builds the Dockerfile's own folder.
    const own = serviceDirOf(dockerfile);
    const at = own !== dir && (dir === '.' || own.startsWith(`${dir}/`)) ? own : dir;
    // A test runner (Playwright, Cypress, pytest…) builds from the app's folder but is not the app:
    // its ports, command and healthcheck describe another process.
    if (runsTests(source, s, dockerfile)) continue;
    built.push({ s, dir: at, context: dir, ...(source.has(dockerfile) ? { dockerfile } : {}) });
    folderOf.set(s.name, dir);
  }

  for (const { s, dir, context, dockerfile } of built) {
    const at = s.line ? { line: s.line } : {};
    const info = dockerfile ? describeDockerfile(source, dockerfile) : undefined;
    let c = byPath.get(dir);
    if (!c) {
      c = candidate({ path: dir, language: info?.language ?? 'shell', runtimeVersion: info?.runtimeVersion ?? null, supplementary: true, role: info?.language === 'static' ? 'static' : 'web' });
      if (info?.language === 'static') c.staticDir = info.staticDir ?? '.';
      byPath.set(dir, c);
    }
    // The folder's Dockerfile built from an outer context (`context: .`, `dockerfile: backend/Dockerfile`):
    // its COPY lines name paths from that context, so a kept Dockerfile must build from it too.
    if (dockerfile && context !== dir && !c.dockerBuild) {
      const line = s.line ? lineOfKey('context', s.line) : undefined;
      const fact: Fact = { file, ...(line ? { line } : at), signal: `compose service \`${s.name}\` builds ${dockerfile} from context ${context}`, kind: weight };
      c.dockerBuild = { dockerfile, context, fact };
      c.facts.push(fact);
    }
    c.facts.push({ file, ...at, signal: `compose service \`${s.name}\` builds ${dir}`, kind: weight });
    const sub = (key: string) => {
      const l = s.line ? lineOfKey(key, s.line) : undefined;
      return l ? { line: l } : at;
    };

    const port = containerPort(s.def.ports, vars) ?? containerPort(s.def.expose, vars);
    if (port && c.port === null && c.role !== 'static') {
      c.port = port.port;
      c.facts.push({ file, ...sub(port.key), signal: `compose ports ${port.raw}`, kind: 'port' });
    }
    const command = commandOf(s.def.command);
    if (command && c.commands.start === null && c.role !== 'static') {
      c.commands.start = command;
      c.facts.push({ file, ...sub('command'), signal: `compose command \`${clip(command)}\``, kind: 'start' });
    }
    const health = healthPath(s.def.healthcheck);
    if (health && c.healthPath === null) {
      c.healthPath = health;
      c.facts.push({ file, ...sub('healthcheck'), signal: `compose healthcheck ${health}`, kind: weight });
    }

    // depends_on naming a backing image service; URLs in the environment.
    for (const dep of dependsOn(s.def.depends_on)) {
      const b = backingByName.get(dep);
      if (!b) continue;
      used.add(dep);
      addBacking(c, { ...b, evidence: { file, ...sub('depends_on'), signal: `depends_on ${dep} (${b.evidence.signal.replace(/^compose service `[^`]+` /, '')})` } });
    }
    for (const [key, value] of environment(s.def.environment)) {
      const v = substitute(value, vars);
      const kind = backingFromUrl(v);
      const ev = { file, ...sub(key), signal: `${key}=${clip(v, 80)}` };
      if (kind) {
        const host = hostOf(v);
        const named = host ? backingByName.get(host) : undefined;
        if (named && host) used.add(host);
        addBacking(c, { kind, ...(named?.kind === kind && named.version ? { version: named.version } : {}), evidence: ev });
        continue;
      }
      if (!/^https?:\/\//i.test(v)) continue;
      const host = hostOf(v);
      if (host && folderOf.has(host) && folderOf.get(host) !== dir) {
        // Rewrite the compose name to the folder name: services are named after their folder.
        const folder = folderOf.get(host)!;
        const url = v.replace(host, folder === '.' ? host : path.posix.basename(folder));
        c.links.push({ url, evidence: ev } satisfies LinkHint);
      } else if (host && backingByName.has(host)) {
        used.add(host);
        addBacking(c, { ...backingByName.get(host)!, evidence: ev });
      }
    }
  }

  // Backing images nothing names: every service under this compose file's folder may use them.
  const orphans = [...backingByName.entries()].filter(([name]) => !used.has(name)).map(([, b]) => b);
  if (orphans.length > 0) {
    // The services this file builds use them; with none, every service under the file's folder
    // (the folder above, for a compose file kept in docker/ or deploy/).
    const builtHere = [...new Set(built.map((b) => b.dir))].map((d) => byPath.get(d)).filter((c): c is Candidate => c !== undefined);
    const home = serviceDirOf(file);
    const targets = builtHere.length > 0 ? builtHere : byPath.get(home) ? [byPath.get(home)!] : [];
    if (targets.length === 0) {
      const ws = candidate({ path: home, language: 'shell', role: 'workspace', supplementary: true, facts: [{ file, signal: 'compose file with backing services', kind: weight }] });
      byPath.set(home, ws);
      targets.push(ws);
    }
    for (const t of targets) for (const b of orphans) addBacking(t, b);
  }
}

const TEST_NAME = /(?:^|[-_.])(?:tests?|e2e|playwright|cypress|selenium|puppeteer|k6|locust)(?:$|[-_.])/i;

/** A compose service that runs a project's tests: by its name, its command, or its Dockerfile's. */
function runsTests(source: SourceView, s: ComposeService, dockerfile: string): boolean {
  if (TEST_NAME.test(s.name)) return true;
  const command = commandOf(s.def.command);
  if (command && TEST_COMMAND.test(command)) return true;
  return isTestRunnerDockerfile(dockerfile, source.has(dockerfile) ? describeDockerfile(source, dockerfile) : undefined);
}

function addBacking(c: Candidate, b: BackingUse): void {
  const have = c.backing.find((x) => x.kind === b.kind);
  if (!have) c.backing.push(b);
  else if (!have.version && b.version) have.version = b.version;
}

/** `.env` next to the compose file supplies `${VAR}` values, as compose itself does. */
function envDefaults(source: SourceView, dir: string): Map<string, string> {
  const vars = new Map<string, string>();
  const text = source.readText(inDir(dir, '.env'));
  if (text === undefined) return vars;
  for (const l of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*["']?(.*?)["']?\s*$/.exec(l);
    if (m?.[1]) vars.set(m[1], m[2] ?? '');
  }
  return vars;
}

/** The container side of the first port mapping: "8080:3000" → 3000, long syntax `target`. */
function containerPort(list: unknown, vars: Map<string, string>): { port: number; raw: string; key: string } | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const p of list) {
    if (p && typeof p === 'object') {
      const t = asPort((p as Obj).target ?? (p as Obj).container_port);
      if (t) return { port: t, raw: `target ${t}`, key: 'ports' };
      continue;
    }
    const raw = substitute(String(p), vars).replace(/\/(tcp|udp|sctp)$/i, '');
    const container = raw.split(':').at(-1) ?? '';
    const port = asPort(container.split('-')[0]);
    if (port) return { port, raw: String(p), key: 'ports' };
  }
  return undefined;
}

function commandOf(v: unknown): string | null {
  if (typeof v === 'string' && v.trim()) return v.trim().replace(/\s+/g, ' ');
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    const words = v.map(String);
    if (words.length === 3 && /^(\/bin\/)?(ba)?sh$/.test(words[0]!) && words[1] === '-c') return words[2]!;
    return words.map((w) => (/[\s"'$]/.test(w) ? JSON.stringify(w) : w)).join(' ');
  }
  return null;
}

function healthPath(hc: unknown): string | null {
  const test = obj(hc).test;
  const text = Array.isArray(test) ? test.map(String).join(' ') : typeof test === 'string' ? test : '';
  const url = /(https?:\/\/[^\s"'|;]+)/.exec(text)?.[1];
  if (!url) return null;
  try {
    return new URL(url.replace(/\$\{?[A-Za-z_]+\}?/g, '8080')).pathname || '/';
  } catch {
    return null;
  }
}

function dependsOn(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return Object.keys(obj(v));
}

function environment(v: unknown): Array<[string, string]> {
  if (Array.isArray(v)) {
    return v.filter((x): x is string => typeof x === 'string' && x.includes('=')).map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]);
  }
  return Object.entries(obj(v)).filter(([, x]) => typeof x === 'string' || typeof x === 'number').map(([k, x]) => [k, String(x)]);
}

function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^:/?#]+)/i.exec(url.replace(/^jdbc:/, ''));
  return m?.[1]?.toLowerCase();
}
