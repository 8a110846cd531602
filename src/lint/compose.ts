/**
 * Compose files: the Compose Specification JSON Schema (bundled, see schemas/third-party/README.md),
 * then the semantics the schema cannot see: references between services, ports, interpolation,
 * declared resources, host escapes and default passwords.
 */
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { composeValidator } from './compose-schema.js';
import type { Finding, LintContext, LintFile, Linter, Severity } from './types.js';
import { isRecord, parseYaml, positionOf, type ParsedYaml } from './yaml-position.js';

type Path = (string | number)[];

function pointerToPath(pointer: string): Path {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** One message per location, the most specific ajv has (oneOf/anyOf summaries only when nothing else is there). */
function schemaFindings(file: LintFile, y: ParsedYaml, errors: ErrorObject[]): Finding[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
    const key = e.instancePath + extra;
    byPath.set(key, [...(byPath.get(key) ?? []), e]);
  }
  const out: Finding[] = [];
  const keys = [...byPath.keys()];
  for (const [key, errs] of byPath) {
    const specific = errs.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    // A oneOf failure at a path whose children also failed is noise.
    if (specific.length === 0 && keys.some((k) => k !== key && k.startsWith(`${key}/`))) continue;
    const e = specific[0] ?? errs[0]!;
    const p = pointerToPath(key);
    const pos = positionOf(y, p, e.keyword === 'additionalProperties');
    const where = p.length ? p.join('.') : 'the file';
    let message = `${where}: ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'additionalProperties') message = `${p.slice(0, -1).join('.') || 'top level'}: unknown key \`${String(p[p.length - 1])}\``;
    if (e.keyword === 'enum') message += ` (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')})`;
    out.push({ file: file.path, ...pos, rule: 'SG2001', severity: 'error', message: `${message} (Compose Specification)`, tool: 'ajv', fix: 'Use the key and value types the Compose Specification defines.' });
  }
  return out;
}

const DEFAULT_PASSWORDS = new Set(['postgres', 'password', 'passw0rd', 'secret', 'admin', 'root', 'changeme', 'change-me', 'example', '123456', '12345678', 'mysql', 'mariadb', 'guest', 'test', 'pass', 'default', 'letmein', 'minioadmin', 'redis', 'mongo']);
const PASSWORD_KEY = /(^|_)(PASSWORD|PASSWD|PASS)$/;

/** The user variable that goes with a password variable: POSTGRES_PASSWORD → POSTGRES_USER. */
function userKeyFor(key: string): string[] {
  const stem = key.replace(/_?(ROOT_)?(PASSWORD|PASSWD|PASS)$/, '');
  return [`${stem}_USER`, `${stem}_USERNAME`, `${stem}_DEFAULT_USER`, `${stem}_ROOT_USER`, `${stem}_ROOT_USERNAME`].map((k) => k.replace(/^_/, ''));
}

function environmentOf(svc: Record<string, unknown>): { key: string; value: string | undefined; at: Path }[] {
  const env = svc.environment;
  const out: { key: string; value: string | undefined; at: Path }[] = [];
  if (Array.isArray(env)) {
    env.forEach((item, i) => {
      if (typeof item !== 'string') return;
      const eq = item.indexOf('=');
      out.push({ key: eq < 0 ? item : item.slice(0, eq), value: eq < 0 ? undefined : item.slice(eq + 1), at: ['environment', i] });
    });
  } else if (isRecord(env)) {
    for (const [k, v] of Object.entries(env)) out.push({ key: k, value: v === null || v === undefined ? undefined : String(v), at: ['environment', k] });
  }
  return out;
}

/** `${VAR}` / `$VAR` references in a string and whether each has a default or error form. */
export function interpolations(text: string): { name: string; handled: boolean }[] {
  const out: { name: string; handled: boolean }[] = [];
  const re = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of text.matchAll(re)) {
    if (m[0] === '$$') continue;
    const name = m[1] ?? m[3];
    if (name) out.push({ name, handled: m[2] !== undefined });
  }
  return out;
}

/** The literal a value resolves to when unset: `${X:-postgres}` → postgres; a plain literal → itself. */
function literalOf(value: string): string | undefined {
  const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/.exec(value);
  if (m) return m[1];
  return value.includes('$') ? undefined : value;
}

function readEnvNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

function walkStrings(value: unknown, at: Path, visit: (s: string, at: Path) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...at, i], visit));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, [...at, k], visit);
}

interface PortBinding {
  ip: string;
  port: string;
  protocol: string;
}

function publishedPorts(entry: unknown): PortBinding[] {
  if (isRecord(entry)) {
    if (entry.published === undefined) return [];
    return [{ ip: String(entry.host_ip ?? '0.0.0.0'), port: String(entry.published), protocol: String(entry.protocol ?? 'tcp') }];
  }
  if (typeof entry !== 'string' && typeof entry !== 'number') return [];
  let s = String(entry);
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  const parts = s.startsWith('[') ? [s.slice(0, s.indexOf(']') + 1), ...s.slice(s.indexOf(']') + 2).split(':')] : s.split(':');
  if (parts.length < 2) return []; // container port only: Docker picks a free host port
  const ip = parts.length >= 3 ? parts[0]! : '0.0.0.0';
  const host = parts.length >= 3 ? parts[1]! : parts[0]!;
  if (!host || host.includes('$')) return [];
  const range = /^(\d+)-(\d+)$/.exec(host);
  if (range) {
    const out: PortBinding[] = [];
    for (let p = Number(range[1]); p <= Number(range[2]) && out.length < 1000; p++) out.push({ ip, port: String(p), protocol });
    return out;
  }
  return [{ ip, port: host, protocol }];
}

function ipsOverlap(a: string, b: string): boolean {
  const any = (ip: string) => ip === '0.0.0.0' || ip === '::' || ip === '[::]' || ip === '';
  return a === b || any(a) || any(b);
}

export interface ComposeLinterOptions {
  /** Skip the Compose Specification schema (semantic checks only). Default false. */
  skipSchema?: boolean;
}

export function lintCompose(file: LintFile, ctx: LintContext, options: ComposeLinterOptions = {}): Finding[] {
  const y = parseYaml(file, 'SG2000');
  if (y.errors.length) return y.errors;
  const doc = y.value;
  const out: Finding[] = [];
  const add = (at: Path, rule: string, severity: Severity, message: string, fix: string, key = false) =>
    out.push({ file: file.path, ...positionOf(y, at, key), rule, severity, message, tool: 'stackgen', fix });
  if (!isRecord(doc)) {
    add([], 'SG2001', 'error', 'a compose file must be a mapping with `services`', 'Start the file with `services:`.');
    return out;
  }
  if (!options.skipSchema) {
    const validate = composeValidator();
    if (!validate(doc)) out.push(...schemaFindings(file, y, validate.errors ?? []));
  }
  const services = isRecord(doc.services) ? doc.services : {};
  // An override file (compose.dev.yaml, docker-compose.override.yml) is merged over its base: resolve names against both.
  const base = baseCompose(file, ctx);
  const baseServices = base && isRecord(base.services) ? base.services : {};
  const allServices: Record<string, unknown> = { ...baseServices };
  for (const [k, v] of Object.entries(services)) allServices[k] = isRecord(v) && isRecord(baseServices[k]) ? { ...baseServices[k], ...v } : v;
  const declared = (kind: string) => new Set([...(isRecord(doc[kind]) ? Object.keys(doc[kind] as object) : []), ...(base && isRecord(base[kind]) ? Object.keys(base[kind] as object) : [])]);
  const volumes = declared('volumes');
  const networks = declared('networks');
  const secrets = declared('secrets');
  const configs = declared('configs');
  networks.add('default');

  // Variables: sibling .env (what compose reads), or .env.example when the real .env is not in the set.
  const dir = path.posix.dirname(file.path);
  const envFile = ctx.files.find((f) => f.path === path.posix.join(dir, '.env')) ?? ctx.files.find((f) => f.path === path.posix.join(dir, '.env.example'));
  const envNames = envFile ? readEnvNames(envFile.content) : new Set<string>();
  const reported = new Set<string>();
  walkStrings(doc, [], (s, at) => {
    for (const v of interpolations(s)) {
      if (v.handled || envNames.has(v.name) || reported.has(v.name)) continue;
      reported.add(v.name);
      add(at, 'SG2005', 'warning', `\${${v.name}} has no default and is not set in ${envFile ? envFile.path : 'a .env file next to the compose file'}`, `Add ${v.name}= to .env, or write \${${v.name}:-default} / \${${v.name}:?message}.`);
    }
  });

  const ports: { svc: string; b: PortBinding; at: Path }[] = [];
  for (const [name, raw] of Object.entries(services)) {
    if (!isRecord(raw)) continue;
    const svc = raw;
    const at: Path = ['services', name];
    // depends_on
    const deps = Array.isArray(svc.depends_on) ? Object.fromEntries(svc.depends_on.map((d) => [String(d), {}])) : isRecord(svc.depends_on) ? svc.depends_on : {};
    for (const [dep, cond] of Object.entries(deps)) {
      const depAt = Array.isArray(svc.depends_on) ? [...at, 'depends_on', (svc.depends_on as unknown[]).indexOf(dep)] : [...at, 'depends_on', dep];
      const target = allServices[dep];
      if (!isRecord(target)) {
        add(depAt, 'SG2002', 'error', `${name} depends on \`${dep}\`, which is not a service in this file`, `Define service ${dep} or remove it from depends_on.`, !Array.isArray(svc.depends_on));
        continue;
      }
      if (isRecord(cond) && cond.condition === 'service_healthy' && !hasHealthcheck(target, ctx, dir)) {
        add([...depAt, 'condition'], 'SG2003', 'error', `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck (compose waits forever)`, `Give ${dep} a healthcheck, or use condition: service_started.`);
      }
    }
    // ports
    if (Array.isArray(svc.ports)) svc.ports.forEach((p, i) => publishedPorts(p).forEach((b) => ports.push({ svc: name, b, at: [...at, 'ports', i] })));
    // volumes
    if (Array.isArray(svc.volumes)) {
      svc.volumes.forEach((v, i) => {
        const source = typeof v === 'string' ? v.split(':')[0]! : isRecord(v) && (v.type ?? 'volume') === 'volume' ? String(v.source ?? '') : isRecord(v) ? String(v.source ?? '') : '';
        const isNamed = typeof v === 'string' ? v.includes(':') && /^[A-Za-z0-9][\w.-]*$/.test(source) : isRecord(v) && (v.type ?? 'volume') === 'volume' && source !== '';
        if (isNamed && !volumes.has(source)) add([...at, 'volumes', i], 'SG2006', 'error', `${name} mounts volume \`${source}\`, which is not declared under top-level volumes`, `Add \`${source}:\` under the top-level \`volumes:\`.`);
        const bind = hostBindSource(v);
        if (bind !== null && ENGINE_SOCKET.test(bind)) add([...at, 'volumes', i], 'SG2010', 'error', `${name} mounts the container engine's socket (${bind}): it controls the host's Docker daemon (root on the host)`, 'Do not mount the engine socket; use a socket proxy with a narrow API if you must, and say why with `# stackgen-lint ignore=SG2010 <reason>`.');
        else if (bind !== null && isHostSystemPath(bind)) add([...at, 'volumes', i], 'SG2012', 'error', `${name} bind-mounts the host's ${bind}: the host's system files inside the container`, 'Mount only the folder the service needs (a named volume, or a project folder read-only).');
      });
    }
    // networks, secrets, configs
    const refs = (key: string): { id: string; at: Path }[] => {
      const v = svc[key];
      if (Array.isArray(v)) return v.map((x, i) => ({ id: typeof x === 'string' ? x : isRecord(x) ? String(x.source ?? '') : '', at: [...at, key, i] }));
      if (isRecord(v)) return Object.keys(v).map((k) => ({ id: k, at: [...at, key, k] }));
      return [];
    };
    for (const r of refs('networks')) if (r.id && !networks.has(r.id)) add(r.at, 'SG2006', 'error', `${name} joins network \`${r.id}\`, which is not declared under top-level networks`, `Add \`${r.id}:\` under the top-level \`networks:\`.`);
    for (const r of refs('secrets')) if (r.id && !secrets.has(r.id)) add(r.at, 'SG2006', 'error', `${name} uses secret \`${r.id}\`, which is not declared under top-level secrets`, `Declare \`${r.id}\` under the top-level \`secrets:\`.`);
    for (const r of refs('configs')) if (r.id && !configs.has(r.id)) add(r.at, 'SG2006', 'error', `${name} uses config \`${r.id}\`, which is not declared under top-level configs`, `Declare \`${r.id}\` under the top-level \`configs:\`.`);
    if (isRecord(svc.build) && Array.isArray(svc.build.secrets)) {
      svc.build.secrets.forEach((x, i) => {
        const id = typeof x === 'string' ? x : isRecord(x) ? String(x.source ?? '') : '';
        if (id && !secrets.has(id)) add([...at, 'build', 'secrets', i], 'SG2006', 'error', `${name}'s build uses secret \`${id}\`, which is not declared under top-level secrets`, `Declare \`${id}\` under the top-level \`secrets:\`.`);
      });
    }
    // host escapes
    if (svc.privileged === true) add([...at, 'privileged'], 'SG2007', 'error', `${name} runs privileged: every device and capability of the host`, 'Remove `privileged: true`; add only the capabilities it needs with cap_add.');
    if (svc.network_mode === 'host') add([...at, 'network_mode'], 'SG2008', 'error', `${name} uses the host's network namespace: ports are not isolated or mapped`, 'Remove `network_mode: host` and publish the ports it serves.');
    if (svc.pid === 'host') add([...at, 'pid'], 'SG2009', 'error', `${name} shares the host's process namespace: it can see and signal host processes`, 'Remove `pid: host`.');
    for (const key of ['ipc', 'uts', 'userns_mode'] as const) {
      if (svc[key] === 'host') add([...at, key], 'SG2014', 'error', `${name} shares the host's ${key === 'ipc' ? 'IPC (shared memory)' : key === 'uts' ? 'host name (UTS)' : 'user'} namespace`, `Remove \`${key}: host\`.`);
    }
    if (Array.isArray(svc.cap_add)) {
      svc.cap_add.forEach((c, i) => {
        const cap = String(c).toUpperCase().replace(/^CAP_/, '');
        if (HOST_CAPABILITIES.has(cap)) add([...at, 'cap_add', i], 'SG2013', 'error', `${name} adds capability ${cap}: ${cap === 'ALL' ? 'every capability of the host' : 'enough to escape the container'}`, 'Add back only the narrow capabilities the service needs (e.g. CHOWN, SETUID, NET_BIND_SERVICE).');
      });
    }
    // default passwords
    const env = environmentOf(svc);
    const byKey = new Map(env.map((e) => [e.key, e.value]));
    for (const e of env) {
      if (!PASSWORD_KEY.test(e.key) || e.value === undefined) continue;
      const lit = literalOf(e.value);
      if (lit === undefined) continue;
      const user = userKeyFor(e.key).map((k) => byKey.get(k)).find((u) => u !== undefined);
      const userLit = user === undefined ? undefined : literalOf(user);
      const isDefault = DEFAULT_PASSWORDS.has(lit.toLowerCase()) || (userLit !== undefined && userLit !== '' && userLit === lit);
      if (isDefault) {
        add([...at, ...e.at], 'SG2011', 'error', `${name}: ${e.key} is a well-known default (\`${lit}\`)`, `Set ${e.key}: \${${e.key}:?set it in .env} and put a generated password in .env.`);
      }
    }
  }
  for (let i = 0; i < ports.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = ports[i]!;
      const b = ports[j]!;
      if (a.svc === b.svc || a.b.port !== b.b.port || a.b.protocol !== b.b.protocol || !ipsOverlap(a.b.ip, b.b.ip)) continue;
      add(a.at, 'SG2004', 'error', `${a.svc} publishes host port ${a.b.port}/${a.b.protocol}, already published by ${b.svc}`, 'Publish a different host port for one of them.');
      break;
    }
  }
  return out;
}

/** The rules a pragma silences only with a reason: each one hands the host to the container. */
export const HOST_ESCAPE_RULES: ReadonlySet<string> = new Set(['SG2007', 'SG2008', 'SG2009', 'SG2010', 'SG2012', 'SG2013', 'SG2014']);

const ENGINE_SOCKET = /(^|\/)(docker|containerd|podman|crio)\.sock$/;
/** Capabilities that reach the host: module loading, mounts, raw devices, other processes' memory, any inode. */
const HOST_CAPABILITIES = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_BOOT']);
/** Host folders a bind mount of which hands over the host: exactly these, or anything below the `/…/` ones. */
const HOST_ROOTS = new Set(['/', '/bin', '/sbin', '/lib', '/lib64', '/usr', '/var', '/run', '/var/run', '/home', '/opt', '/srv', '/mnt']);
const HOST_TREES = ['/etc', '/proc', '/sys', '/dev', '/boot', '/root', '/var/lib/docker', '/var/lib/containerd', '/lib/modules'];

/** The host path of a bind mount (short `src:dst` with an absolute source, or long `type: bind`), else null. */
function hostBindSource(v: unknown): string | null {
  let source: string | undefined;
  if (typeof v === 'string') {
    if (!v.includes(':')) return null;
    source = v.split(':')[0];
  } else if (isRecord(v) && v.type === 'bind') source = String(v.source ?? '');
  if (!source || !source.startsWith('/')) return null;
  const normal = path.posix.normalize(source);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

function isHostSystemPath(p: string): boolean {
  return HOST_ROOTS.has(p) || HOST_TREES.some((t) => p === t || p.startsWith(`${t}/`));
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

function baseCompose(file: LintFile, ctx: LintContext): Record<string, unknown> | undefined {
  const name = path.posix.basename(file.path);
  if (BASE_NAMES.includes(name)) return undefined;
  const dir = path.posix.dirname(file.path);
  const baseFile = BASE_NAMES.map((n) => ctx.files.find((f) => f.path === path.posix.join(dir, n))).find((f) => f !== undefined);
  if (!baseFile) return undefined;
  const y = parseYaml(baseFile, 'SG2000');
  return isRecord(y.value) ? y.value : undefined;
}

/** A compose healthcheck, or (for a built service) a HEALTHCHECK in its Dockerfile when that is in the lint set. */
function hasHealthcheck(svc: Record<string, unknown>, ctx: LintContext, dir: string): boolean {
  if (isRecord(svc.healthcheck)) return svc.healthcheck.disable !== true && !(Array.isArray(svc.healthcheck.test) && svc.healthcheck.test[0] === 'NONE');
  const build = typeof svc.build === 'string' ? { context: svc.build } : isRecord(svc.build) ? svc.build : undefined;
  if (!build) return false;
  const context = path.posix.join(dir, String(build.context ?? '.'));
  const dockerfile = path.posix.join(context, String(build.dockerfile ?? 'Dockerfile'));
  const df = ctx.files.find((f) => path.posix.normalize(f.path) === dockerfile);
  // Not in the set: we cannot tell, so trust it.
  if (!df) return true;
  return /^\s*HEALTHCHECK\s+(?!NONE)/im.test(df.content);
}

export function createComposeLinter(options: ComposeLinterOptions = {}): Linter {
  return { kind: 'compose', lint: (file, ctx) => lintCompose(file, ctx, options) };
}

export const composeLinter: Linter = createComposeLinter();
