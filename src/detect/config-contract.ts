/**
 * The configuration contract of a service: the environment variables its code reads (with the
 * literal it falls back to), whether a variable names a file to read the value from (Docker-secret
 * style), and the backing-service hosts it connects to when they are written in code or config.
 * Each read is bound, when its name, its default or its config key says so, to one connection
 * setting of a backing service (`DATABASE_HOST` → postgres host, `REDIS_URL` → redis URL), which is
 * what render fills. Pure: it reads only through the SourceView (capped reads), one scanner per
 * language. Names must be environment-variable names and hosts DNS labels; anything else read from
 * the repository is dropped with a warning.
 */
import type { SourceView } from '../source/source-view.js';
import { backingFromUrl } from './backing.js';
import { inDir } from './provider.js';
import { parseEnvText } from './env-files.js';
import type { BackingKind, ConfigContract, ConfigRead, HostRef, TopologyWarning, WireField } from './types.js';

/** Files of a service folder scanned per language; the first matching scanner reads each file. */
const CODE = {
  js: /\.(js|mjs|cjs|ts|mts|cts|jsx|tsx)$/,
  py: /\.py$/,
  go: /\.go$/,
  jvm: /\.(java|kt|kts|scala|groovy)$/,
  rb: /\.rb$/,
  php: /\.php$/,
  cs: /\.(cs|fs)$/,
};
const SPRING_CONFIG = /(^|\/)(application|bootstrap)(-[A-Za-z0-9_-]+)?\.(properties|ya?ml)$/;
const RAILS_DB = /(^|\/)config\/database\.yml$/;
const DOTNET_SETTINGS = /(^|\/)appsettings(\.[A-Za-z0-9_-]+)?\.json$/;
/** Committed examples only: a developer's own `.env` may hold real secrets and says nothing more. */
const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.template', '.env.defaults', '.env.dist'];
const TESTS = /(^|\/)(tests?|__tests__|spec|specs|fixtures|e2e|testdata)\/|[._-](test|spec)\.[a-z]+$|(^|\/)test_[^/]+\.py$|_test\.go$|(^|\/)src\/test\//;
const MAX_FILES = 3000;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A host the code may name: a DNS label (a dotted name is an outside service, not one of the stack's). */
const HOST = /^[a-z][a-z0-9-]{0,62}$/;
const LOCAL = new Set(['localhost', 'host-gateway']);
/** A default shown and carried on: one line of plain text, shortish. */
const SAFE_DEFAULT = /^[^\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]{0,200}$/u;

/** A string or number literal (quote in group 1 / 3 …: callers take the first defined capture). */
const LIT = String.raw`(?:'([^'\n]{0,200})'|"([^"\n]{0,200})"|\x60([^\x60$\n]{0,200})\x60|(-?\d+(?:\.\d+)?))`;
const N = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;

interface Pattern {
  re: RegExp;
  /** How many captures hold the name (alternative spellings); the default's captures follow them. Default 1. */
  names?: number;
  via?: 'file';
}

const PATTERNS: Record<keyof typeof CODE, Pattern[]> = {
  js: [
    { re: new RegExp(String.raw`read(?:File(?:Sync)?|FileSync)\(\s*process\.env(?:\.${N}|\[\s*['"]${N}['"]\s*\])`, 'g'), names: 2, via: 'file' },
    { re: new RegExp(String.raw`(?:process|Bun)\.env(?:\.${N}|\[\s*['"\x60]${N}['"\x60]\s*\])(?:\s*(?:\|\||\?\?)\s*${LIT})?`, 'g'), names: 2 },
    { re: new RegExp(String.raw`Deno\.env\.get\(\s*['"]${N}['"]\s*\)(?:\s*(?:\|\||\?\?)\s*${LIT})?`, 'g') },
  ],
  py: [
    { re: new RegExp(String.raw`open\(\s*(?:os\.)?(?:environ\.get\(|getenv\(|environ\[)\s*['"]${N}['"]`, 'g'), via: 'file' },
    { re: new RegExp(String.raw`(?:environ\.get|getenv|\benv(?:\.(?:str|int|bool|url|db_url|cache_url))?)\(\s*['"]${N}['"]\s*(?:,\s*(?:default\s*=\s*)?${LIT})?`, 'g') },
    { re: new RegExp(String.raw`environ\[\s*['"]${N}['"]\s*\]`, 'g') },
  ],
  go: [
    { re: new RegExp(String.raw`ReadFile\(\s*os\.Getenv\(\s*"${N}"`, 'g'), via: 'file' },
    { re: new RegExp(String.raw`os\.(?:Getenv|LookupEnv)\(\s*"${N}"\s*\)`, 'g') },
    // A project's own helper: getEnv("X", "default"), envOr("X", "d"), getenvDefault(…).
    { re: new RegExp(String.raw`\b(?:[gG]et[eE]nv\w*|env\w*)\(\s*"${N}"\s*,\s*${LIT}`, 'g') },
    { re: new RegExp(String.raw`viper\.BindEnv\(\s*"[^"\n]{1,100}"\s*,\s*"${N}"`, 'g') },
  ],
  jvm: [
    { re: new RegExp(String.raw`read\w*\([^;\n]{0,60}System\.getenv\(\s*"${N}"`, 'g'), via: 'file' },
    { re: new RegExp(String.raw`System\.getenv\(\s*"${N}"\s*\)(?:\s*\?:\s*${LIT})?`, 'g') },
    // The JDK's own ways to give a variable a default (no helper library).
    { re: new RegExp(String.raw`System\.getenv\(\)\.getOrDefault\(\s*"${N}"\s*,\s*${LIT}`, 'g') },
    { re: new RegExp(String.raw`requireNonNullElse\(\s*System\.getenv\(\s*"${N}"\s*\)\s*,\s*${LIT}`, 'g') },
    { re: new RegExp(String.raw`ofNullable\(\s*System\.getenv\(\s*"${N}"\s*\)\s*\)\s*\.orElse\(\s*${LIT}`, 'g') },
    { re: /@Value\(\s*"\$\{([A-Z_][A-Z0-9_]*)(?::([^}\n]{0,200}))?\}"/g },
  ],
  rb: [
    { re: new RegExp(String.raw`File\.read\(\s*ENV(?:\.fetch\(|\[)\s*['"]${N}['"]`, 'g'), via: 'file' },
    { re: new RegExp(String.raw`ENV\.fetch\(\s*['"]${N}['"]\s*(?:(?:,|\)\s*\{)\s*${LIT})?`, 'g') },
    { re: new RegExp(String.raw`ENV\[\s*['"]${N}['"]\s*\](?:\s*\|\|\s*${LIT})?`, 'g') },
  ],
  php: [
    { re: new RegExp(String.raw`file_get_contents\(\s*(?:getenv\(|env\(|\$_ENV\[)\s*['"]${N}['"]`, 'g'), via: 'file' },
    { re: new RegExp(String.raw`\b(?:env|getenv)\(\s*['"]${N}['"]\s*(?:,\s*${LIT})?`, 'g') },
    { re: new RegExp(String.raw`\$_(?:ENV|SERVER)\[\s*['"]${N}['"]\s*\](?:\s*\?\?\s*${LIT})?`, 'g') },
  ],
  cs: [
    { re: new RegExp(String.raw`Environment\.GetEnvironmentVariable\(\s*"${N}"\s*\)(?:\s*\?\?\s*${LIT})?`, 'g') },
  ],
};

/** .NET configuration keys become variables with `__` for `:` (`ConnectionStrings__Default`). */
const DOTNET_KEYS = [
  /GetConnectionString\(\s*"([A-Za-z0-9_]{1,100})"\s*\)/g,
  /[Cc]onfiguration\[\s*"([A-Za-z0-9_:]{1,200})"\s*\]/g,
];

/** Backing services named in a connection string or URL the code or config holds. */
const URL_HOST = /\b((?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?)):\/\/(?:([^@\s'"/]{0,200})@)?([A-Za-z0-9_.-]{1,253})(?::(\d{2,5}))?/g;
const HOST_PORT = /['"`]([a-z][a-z0-9-]{0,62}):(5432|3306|6379|27017|5672)['"`/]/g;
const HOST_KEY = /\b(?:host|hostname|server|addr)\s*(?:[:=]|=>)\s*['"]([A-Za-z][A-Za-z0-9_.-]{0,100})['"]/gi;
const PORT_KIND: Record<string, BackingKind> = { '5432': 'postgres', '3306': 'mysql', '6379': 'redis', '27017': 'mongodb', '5672': 'rabbitmq' };
/** Host names that say which backing service they are. */
const HOST_KIND: Record<string, Family> = {
  redis: 'redis', cache: 'cache', valkey: 'redis', keydb: 'redis',
  postgres: 'postgres', postgresql: 'postgres', pg: 'postgres', pgsql: 'postgres',
  mysql: 'mysql', mariadb: 'mariadb', mongo: 'mongodb', mongodb: 'mongodb',
  rabbitmq: 'rabbitmq', rabbit: 'rabbitmq', amqp: 'rabbitmq',
  db: 'sql', database: 'sql',
};

/** A backing service, or a family of them resolved against what the service uses: `DB_*` is its SQL database. */
type Family = BackingKind | 'sql' | 'broker' | 'cache';

/** Name tokens that say which backing service a variable is about. */
const KIND_TOKEN: Record<string, Family> = {
  PG: 'postgres', POSTGRES: 'postgres', POSTGRESQL: 'postgres', PSQL: 'postgres',
  MYSQL: 'mysql', MARIADB: 'mariadb', MONGO: 'mongodb', MONGODB: 'mongodb',
  REDIS: 'redis', CACHE: 'cache', VALKEY: 'redis',
  RABBIT: 'rabbitmq', RABBITMQ: 'rabbitmq', AMQP: 'rabbitmq',
  DB: 'sql', DATABASE: 'sql', SQL: 'sql', DATASOURCE: 'sql', JDBC: 'sql', R2DBC: 'sql',
  BROKER: 'broker',
};
const FIELD_WORDS: Array<[RegExp, WireField]> = [
  [/^(URL|URI|DSN|CONNECTION_STRING|CONNSTR|CONN_STR|CONNECTIONSTRING)$/, 'url'],
  [/^(HOST|HOSTNAME|SERVER|SERVICE_HOST)$/, 'host'],
  [/^(ADDR|ADDRESS|HOSTPORT|HOST_PORT)$/, 'hostport'],
  [/^PORT$/, 'port'],
  [/^(USER|USERNAME|LOGIN|UID)$/, 'user'],
  [/^(PASSWORD|PASS|PASSWD|PWD)_FILE$/, 'password-file'],
  [/^(PASSWORD|PASS|PASSWD|PWD)$/, 'password'],
  [/^(NAME|DB|DATABASE|DBNAME|DB_NAME)$/, 'database'],
];
/** libpq's own variables: PGHOST, PGPORT, … */
const LIBPQ: Record<string, WireField> = { PGHOST: 'host', PGPORT: 'port', PGUSER: 'user', PGPASSWORD: 'password', PGDATABASE: 'database', PGPASSWORD_FILE: 'password-file' };

const SQL_KINDS: readonly BackingKind[] = ['postgres', 'mysql', 'mariadb'];

/** What a variable (or the config key that reads it) carries: a backing-service kind or family, and a field. */
export function classifyVariable(name: string, defaultValue?: string, configKey?: string): { kind: Family; field: WireField } | undefined {
  const upper = name.toUpperCase();
  const libpq = LIBPQ[upper];
  if (libpq) return { kind: 'postgres', field: jdbc(libpq, defaultValue) };
  const tokens = upper.split('_').filter(Boolean);
  for (let i = tokens.length - 2; i >= 0; i--) {
    const kind = KIND_TOKEN[tokens[i]!];
    if (!kind) continue;
    const rest = tokens.slice(i + 1).join('_');
    const field = FIELD_WORDS.find(([re]) => re.test(rest))?.[1];
    if (!field) continue;
    if (field === 'database' && kind === 'redis') return { kind, field };
    return { kind: refineKind(kind, defaultValue), field: tokens.includes('JDBC') ? 'jdbc-url' : jdbc(field, defaultValue) };
  }
  if (configKey) {
    const parts = configKey.toLowerCase().split(/[.\-_]/);
    const kind: Family | undefined = parts.includes('redis') ? 'redis' : parts.includes('mongodb') ? 'mongodb' : parts.includes('rabbitmq') ? 'rabbitmq' : parts.some((p) => p === 'datasource' || p === 'r2dbc' || p === 'flyway' || p === 'liquibase') ? 'sql' : undefined;
    const last = parts[parts.length - 1] ?? '';
    const byKey: Record<string, WireField> = { url: 'url', uri: 'url', host: 'host', port: 'port', username: 'user', user: 'user', password: 'password', database: 'database' };
    const field = byKey[last];
    if (kind && field) return { kind: refineKind(kind, defaultValue), field: jdbc(field, defaultValue) };
  }
  return undefined;
}

function isFamily(k: Family): k is 'sql' | 'broker' | 'cache' {
  return k === 'sql' || k === 'broker' || k === 'cache';
}

function jdbc(field: WireField, defaultValue?: string): WireField {
  return field === 'url' && defaultValue !== undefined && /^jdbc:/i.test(defaultValue) ? 'jdbc-url' : field;
}

function refineKind(kind: Family, defaultValue?: string): Family {
  if (kind !== 'sql' && kind !== 'broker') return kind;
  if (defaultValue === undefined) return kind;
  const byUrl = backingFromUrl(defaultValue);
  if (byUrl) return byUrl;
  return PORT_KIND[defaultValue.trim()] ?? kind;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstDefined(m: RegExpMatchArray, from: number): string | undefined {
  for (let i = from; i < m.length; i++) if (m[i] !== undefined) return m[i];
  return undefined;
}

export interface ContractScan {
  contract: ConfigContract;
  /** Text read from the repository that could not be carried on (a name or host of the wrong shape). */
  warnings: TopologyWarning[];
}

/**
 * The contract of the service in `dir` (minus the `nested` service folders), before binding: each
 * variable once (its first read that has a default, else its first read), each host once per kind.
 */
export function scanConfigContract(source: SourceView, dir: string, nested: readonly string[] = [], serviceName = dir): ContractScan {
  const reads = new Map<string, ConfigRead & { key?: string }>();
  const hosts: HostRef[] = [];
  const warnings: TopologyWarning[] = [];
  const addRead = (r: ConfigRead & { key?: string }) => {
    if (!ENV_NAME.test(r.name) || r.name.length > 200) {
      warnings.push({ file: r.file, line: r.line, message: `${serviceName}: ignored a variable name read from the repository (${JSON.stringify(r.name.slice(0, 60))}): not an environment variable name` });
      return;
    }
    if (r.default !== undefined && !SAFE_DEFAULT.test(r.default)) delete r.default;
    const have = reads.get(r.name);
    if (!have) reads.set(r.name, r);
    else {
      if (have.default === undefined && r.default !== undefined) have.default = r.default;
      if (r.via === 'file') have.via = 'file';
      if (!have.key && r.key) have.key = r.key;
    }
  };
  const addHost = (host: string, kind: Family, file: string, line: number, signal: string, credentials: boolean) => {
    const h = host.toLowerCase();
    if (LOCAL.has(h) || /^\d/.test(h)) return;
    if (!HOST.test(h)) {
      if (!h.includes('.')) warnings.push({ file, line, message: `${serviceName}: ignored the host ${JSON.stringify(host.slice(0, 60))} read from the repository: a host stackgen can name is a DNS label` });
      return;
    }
    if (hosts.some((x) => x.host === h && x.kind === kind)) return;
    hosts.push({ host: h, kind: kind as BackingKind, file, line, signal, ...(credentials ? { credentials: true } : {}) });
  };

  const files = source
    .under(dir)
    .filter((f) => !TESTS.test(f.slice(dir === '.' ? 0 : dir.length + 1)) && !nested.some((n) => f.startsWith(`${n}/`)))
    .slice(0, 200_000);
  let scanned = 0;
  for (const file of files) {
    const lang = (Object.keys(CODE) as Array<keyof typeof CODE>).find((k) => CODE[k].test(file));
    const spring = SPRING_CONFIG.test(file);
    const rails = RAILS_DB.test(file);
    const dotnet = DOTNET_SETTINGS.test(file);
    if (!lang && !spring && !rails && !dotnet) continue;
    if (++scanned > MAX_FILES) break;
    const text = source.readText(file);
    if (text === undefined) continue;
    if (lang) {
      for (const p of PATTERNS[lang]) {
        for (const m of text.matchAll(p.re)) {
          const names = p.names ?? 1;
          const name = names === 2 ? m[1] ?? m[2] : m[1];
          if (!name) continue;
          const def = p.via === 'file' ? undefined : firstDefined(m, names + 1);
          addRead({ name, file, line: lineOf(text, m.index), via: p.via ?? 'env', ...(def !== undefined ? { default: def } : {}) });
        }
      }
      if (lang === 'js') scanDestructuring(text, file, addRead);
      if (lang === 'cs') {
        for (const re of DOTNET_KEYS) {
          for (const m of text.matchAll(re)) {
            const key = re === DOTNET_KEYS[0] ? `ConnectionStrings:${m[1]}` : m[1]!;
            addRead({ name: key.replace(/:/g, '__'), file, line: lineOf(text, m.index), via: 'env', key });
          }
        }
      }
    }
    if (spring) scanSpring(text, file, addRead);
    if (dotnet) scanAppSettings(text, file, addRead);
    if (rails) for (const p of PATTERNS.rb) for (const m of text.matchAll(p.re)) {
      const def = firstDefined(m, 2);
      addRead({ name: m[1]!, file, line: lineOf(text, m.index), via: p.via ?? 'env', ...(def !== undefined ? { default: def } : {}) });
    }
    scanHosts(text, file, addHost, rails || spring);
  }
  for (const name of ENV_EXAMPLES) {
    const file = inDir(dir, name);
    if (!source.has(file)) continue;
    const text = source.readText(file);
    if (text === undefined) continue;
    for (const e of parseEnvText(text, file)) {
      addRead({ name: e.key, file, line: e.line, via: /_FILE$/.test(e.key) ? 'file' : 'env', ...(e.value !== '' ? { default: e.value } : {}) });
    }
  }
  const list = [...reads.values()].map(({ key, ...r }) => (key ? { ...r, key } : r));
  return { contract: { reads: list, hosts }, warnings };
}

/** `const { DB_HOST, DB_PORT = '5432' } = process.env`. */
function scanDestructuring(text: string, file: string, add: (r: ConfigRead) => void): void {
  for (const m of text.matchAll(/(?:const|let|var)\s*\{([^}]{1,1000})\}\s*=\s*process\.env\b/g)) {
    const body = m[1]!;
    const at = m.index + m[0].indexOf('{') + 1;
    for (const part of body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_$][\w$]*\s*)?(?:=\s*(?:'([^'\n]{0,200})'|"([^"\n]{0,200})"|(-?\d+)))?\s*(?:,|$)/g)) {
      const def = part[2] ?? part[3] ?? part[4];
      add({ name: part[1]!, file, line: lineOf(text, at + part.index), via: 'env', ...(def !== undefined ? { default: def } : {}) });
    }
  }
}

/** appsettings.json `ConnectionStrings`: the value `GetConnectionString` falls back to when no variable is set. */
function scanAppSettings(text: string, file: string, add: (r: ConfigRead & { key?: string }) => void): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return;
  }
  const cs = (json as { ConnectionStrings?: unknown } | null)?.ConnectionStrings;
  if (!cs || typeof cs !== 'object') return;
  for (const [k, v] of Object.entries(cs as Record<string, unknown>)) {
    if (typeof v !== 'string') continue;
    const index = text.indexOf(`"${k}"`);
    add({ name: `ConnectionStrings__${k}`, file, line: index < 0 ? 1 : lineOf(text, index), via: 'env', key: `ConnectionStrings:${k}`, default: v });
  }
}

/**
 * Spring `application.properties` / `.yml`: `${X:default}` placeholders are variables the app reads;
 * a datasource, redis, mongodb or rabbitmq property set to a literal is still read from the
 * environment through Spring's relaxed binding (`spring.datasource.url` ← `SPRING_DATASOURCE_URL`).
 * A placeholder naming a property the file sets itself (`database=h2` … `db/${database}/schema.sql`)
 * refers to that property, not to the environment.
 */
function scanSpring(text: string, file: string, add: (r: ConfigRead & { key?: string }) => void): void {
  const entries = springEntries(text, /\.ya?ml$/.test(file));
  const defined = new Set(entries.map((e) => e.key));
  for (const { key, value, line } of entries) {
    let placeholder = false;
    for (const p of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]{0,200}))?\}/g)) {
      placeholder = true;
      if (defined.has(p[1]!)) continue;
      add({ name: p[1]!, file, line, via: 'env', key, ...(p[2] !== undefined ? { default: p[2] } : {}) });
    }
    if (!placeholder && /^spring\.(datasource|data\.redis|redis|data\.mongodb|rabbitmq|r2dbc)\.(url|uri|host|port|username|password|database)$/.test(key)) {
      const name = key.toUpperCase().replace(/[.-]/g, '_');
      add({ name, file, line, via: 'env', key, default: value });
    }
  }
}

/** The properties a Spring config file sets: full key (YAML nesting joined with dots), value, line. */
function springEntries(text: string, yaml: boolean): Array<{ key: string; value: string; line: number }> {
  const out: Array<{ key: string; value: string; line: number }> = [];
  const stack: Array<{ indent: number; key: string }> = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (/^\s*(#|!|$)/.test(raw)) return;
    let key: string;
    let value: string;
    if (yaml) {
      const m = /^(\s*)([A-Za-z0-9_.\-]+)\s*:\s*(.*?)\s*$/.exec(raw);
      if (!m) return;
      const indent = m[1]!.length;
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, key: m[2]! });
      key = stack.map((s) => s.key).join('.');
      value = m[3]!.replace(/^(['"])(.*)\1$/, '$2');
      if (value === '') return;
    } else {
      const m = /^\s*([A-Za-z0-9_.\-\[\]]+)\s*[=:]\s*(.*?)\s*$/.exec(raw);
      if (!m) return;
      key = m[1]!;
      value = m[2]!;
    }
    out.push({ key, value, line: i + 1 });
  });
  return out;
}

function scanHosts(text: string, file: string, add: (host: string, kind: Family, file: string, line: number, signal: string, credentials: boolean) => void, config: boolean): void {
  for (const m of text.matchAll(URL_HOST)) {
    const kind = backingFromUrl(`${m[1]}://x`);
    if (!kind) continue;
    const creds = m[2] !== undefined && /:./.test(m[2]);
    add(m[3]!, kind, file, lineOf(text, m.index), `connects to \`${m[1]}://${m[3]}${m[4] ? `:${m[4]}` : ''}\``, creds);
  }
  for (const m of text.matchAll(HOST_PORT)) {
    add(m[1]!, PORT_KIND[m[2]!]!, file, lineOf(text, m.index), `connects to \`${m[1]}:${m[2]}\``, false);
  }
  for (const m of text.matchAll(HOST_KEY)) {
    const host = m[1]!;
    const line = lineOf(text, m.index);
    const lineText = text.split('\n')[line - 1] ?? '';
    const byPort = /\b(5432|3306|6379|27017|5672)\b/.exec(lineText)?.[1];
    const kind = (byPort ? PORT_KIND[byPort] : undefined) ?? HOST_KIND[host.toLowerCase().split(/[_.-]/)[0]!] ?? (config ? 'sql' : undefined);
    if (kind) add(host, kind, file, line, `host \`${host}\``, false);
  }
}

/**
 * Binds each read to a connection setting of one of `kinds` (the backing services the service
 * uses): a family (`DB_*`: the SQL database it uses; a broker URL: redis or rabbitmq) resolves to
 * the one of that family present. Hosts of a family resolve the same way; hosts of no kind present
 * are dropped.
 */
export function bindContract(scan: ConfigContract, kinds: readonly BackingKind[]): ConfigContract {
  const resolve = (k: Family): BackingKind | undefined => {
    if (k === 'sql') return SQL_KINDS.find((x) => kinds.includes(x)) ?? (kinds.includes('mongodb') ? 'mongodb' : undefined);
    if (k === 'broker') return (['rabbitmq', 'redis'] as const).find((x) => kinds.includes(x));
    if (k === 'cache') return (['redis', 'memcached'] as const).find((x) => kinds.includes(x));
    return kinds.includes(k) ? k : undefined;
  };
  const reads = scan.reads.map((r) => {
    const { binds: _old, ...rest } = r;
    const c = classifyVariable(r.name, r.default, r.key);
    const kind = c ? resolve(c.kind) : undefined;
    if (!c || !kind) return rest;
    let field = c.field;
    if (r.via === 'file' && field === 'password') field = 'password-file';
    // A password's literal fallback is somebody's password: it is not shown or carried.
    if (field === 'password' || field === 'password-file') delete rest.default;
    return { ...rest, binds: { kind, field } };
  });
  const hosts: HostRef[] = [];
  for (const h of scan.hosts) {
    const kind = resolve(h.kind);
    if (kind && !hosts.some((x) => x.host === h.host && x.kind === kind)) hosts.push({ ...h, kind });
  }
  return { reads, hosts };
}

/** Backing services the contract alone names: a variable or a host of a specific kind (not a `DB_*` family). */
export function kindsNamedBy(scan: ConfigContract): Array<{ kind: BackingKind; file: string; line: number; signal: string }> {
  const out: Array<{ kind: BackingKind; file: string; line: number; signal: string }> = [];
  for (const r of scan.reads) {
    const c = classifyVariable(r.name, r.default, r.key);
    if (c && !isFamily(c.kind) && !out.some((o) => o.kind === c.kind)) out.push({ kind: c.kind, file: r.file, line: r.line, signal: `reads ${r.name}` });
  }
  for (const h of scan.hosts) {
    if (!isFamily(h.kind) && !out.some((o) => o.kind === h.kind)) out.push({ kind: h.kind, file: h.file, line: h.line, signal: h.signal });
  }
  return out;
}
