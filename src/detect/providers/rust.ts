/**
 * Rust with Cargo: crates (alone or as workspace members) that build a binary which serves HTTP,
 * with axum, actix-web, rocket or another server crate. Library-only crates and workspace roots
 * without a package are not services. With several binaries, the one that serves is built
 * (`--bin`); dependency features name the database (`sqlx` with `postgres`, …).
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { BackingKind, Framework } from '../types.js';
import { upTo } from '../readers.js';
import { bestHealthRoute, bestPort } from './http-scan.js';

type Toml = Record<string, unknown>;

interface Crate {
  dir: string;
  file: string;
  toml?: Toml;
  text: string;
  broken: boolean;
}

interface Dep {
  name: string;
  /** The crate name when renamed with `package = "…"`. */
  pkg: string;
  features: string[];
  line?: number;
}

interface Bin {
  name: string;
  file: string;
}

export const rustProvider: Provider = {
  name: 'rust',
  detect(source: SourceView): Candidate[] {
    const crates: Crate[] = source.manifests('Cargo.toml').map((file) => {
      const parsed = source.readToml<Toml>(file);
      return { dir: path.posix.dirname(file), file, ...(parsed.value ? { toml: parsed.value } : {}), text: source.readText(file) ?? '', broken: parsed.error !== undefined };
    });
    const dirs = crates.map((c) => c.dir);
    return crates.map((crate) => {
      const nested = dirs.filter((d) => d !== crate.dir && (crate.dir === '.' || d.startsWith(`${crate.dir}/`)));
      const ws = crates.find((w) => w !== crate && w.toml?.workspace !== undefined && upTo(crate.dir).includes(w.dir) && isMember(w, crate.dir));
      return describe(source, crate, ws, nested);
    });
  },
};

function obj(v: unknown): Toml | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Toml) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `[workspace] members` globs (`crates/*`) matched against a folder, minus `exclude`. */
function isMember(ws: Crate, dir: string): boolean {
  const w = obj(ws.toml?.workspace);
  const rel = ws.dir === '.' ? dir : dir.slice(ws.dir.length + 1);
  const match = (pats: unknown) => Array.isArray(pats) && pats.some((p) => typeof p === 'string' && globRe(p.replace(/^\.\//, '').replace(/\/$/, '')).test(rel));
  if (match(w?.exclude)) return false;
  // Cargo also treats path dependencies of the root as members; a crate under the root counts.
  return match(w?.members) || Array.isArray(w?.members) === false;
}

function globRe(glob: string): RegExp {
  const re = glob.split('/').map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/');
  return new RegExp(`^${re}$`);
}

function depsOf(crate: Crate, ws: Crate | undefined): Dep[] {
  const table = obj(crate.toml?.dependencies);
  if (!table) return [];
  const wsDeps = obj(obj(ws?.toml?.workspace)?.dependencies) ?? obj(obj(crate.toml?.workspace)?.dependencies);
  const lines = crate.text.split('\n');
  const out: Dep[] = [];
  for (const [name, v] of Object.entries(table)) {
    const spec = obj(v);
    const inherited = spec?.workspace === true ? obj(wsDeps?.[name]) : undefined;
    const features = [...arr(spec?.features), ...arr(inherited?.features), ...(spec?.['default-features'] === false || inherited?.['default-features'] === false ? [] : [])];
    const pkg = str(spec?.package) ?? str(inherited?.package) ?? name;
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const i = lines.findIndex((l) => new RegExp(`^\\s*(?:${esc}\\s*(?:\\.\\w+\\s*)?=|\\[dependencies\\.${esc}\\])`).test(l));
    out.push({ name, pkg, features, ...(i >= 0 ? { line: i + 1 } : {}) });
  }
  return out;
}

function arr(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Binary targets: `[[bin]]` entries and Cargo's auto-discovered src/main.rs and src/bin/*. */
function binsOf(source: SourceView, crate: Crate, pkgName: string): Bin[] {
  const out: Bin[] = [];
  const add = (name: string, file: string) => {
    // Auto-discovery never adds a second target for a file an explicit [[bin]] already builds.
    if (!out.some((b) => b.name === name || b.file === file) && source.has(file)) out.push({ name, file });
  };
  const pkg = obj(crate.toml?.package);
  const explicit = Array.isArray(crate.toml?.bin) ? (crate.toml!.bin as unknown[]).map(obj).filter((b): b is Toml => !!b) : [];
  for (const b of explicit) {
    const name = str(b.name) ?? pkgName;
    const p = str(b.path);
    const file = p ? inDir(crate.dir, p) : [`src/bin/${name}.rs`, `src/bin/${name}/main.rs`, 'src/main.rs'].map((f) => inDir(crate.dir, f)).find((f) => source.has(f)) ?? inDir(crate.dir, 'src/main.rs');
    add(name, file);
  }
  if (pkg?.autobins !== false) {
    add(pkgName, inDir(crate.dir, 'src/main.rs'));
    for (const f of source.list(inDir(crate.dir, 'src/bin'))) if (f.endsWith('.rs')) add(path.posix.basename(f, '.rs'), f);
    for (const f of source.glob('src/bin/*/main.rs', crate.dir)) add(path.posix.basename(path.posix.dirname(f)), f);
  }
  return out;
}

const FRAMEWORKS: Array<[Framework, string, RegExp, number]> = [
  ['axum', 'axum', /\buse\s+axum\b|\baxum::/, 3000],
  ['actix-web', 'actix-web', /\buse\s+actix_web\b|\bactix_web::|#\[actix_web::main\]/, 8080],
  ['rocket', 'rocket', /#\[launch\]|#\[rocket::main\]|\brocket::build\(|\buse\s+rocket\b|#\[macro_use\]\s*extern\s+crate\s+rocket/, 8000],
];

/** Server crates without a framework id: the crate is still a web service. */
const OTHER_SERVERS: Array<[string, RegExp, number]> = [
  ['warp', /\bwarp::serve\b/, 3030],
  ['poem', /\bpoem::Server\b|\bServer::new\(/, 3000],
  ['salvo', /\bsalvo::/, 5800],
  ['tide', /\btide::new\(/, 8080],
  ['hyper', /\bhyper::server\b|\bServer::bind\(|\bhttp1::Builder\b|\bserve_connection\(/, 3000],
  ['tonic', /\btonic::transport::Server\b|\bServer::builder\(\)/, 50051],
  ['loco-rs', /\bloco_rs::/, 5150],
];

const SERVE = /\bTcpListener::bind\(|\bHttpServer::new\(|\baxum::serve\(|\brocket::build\(|#\[launch\]|\bwarp::serve\(|\.serve\(|\bServer::bind\(/;

function describe(source: SourceView, crate: Crate, ws: Crate | undefined, nested: string[]): Candidate {
  const { dir, file } = crate;
  const facts: Fact[] = [{ file, signal: crate.broken ? 'Cargo.toml (unparsable)' : 'Cargo.toml', kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'rust', packageManager: 'cargo', facts });
  const pkg = obj(crate.toml?.package);
  const pkgName = str(pkg?.name) ?? path.posix.basename(dir === '.' ? source.root : dir);
  if (str(pkg?.name)) c.name = str(pkg?.name)!;
  const wsDir = ws?.dir ?? dir;
  const lock = [dir, wsDir].map((d) => inDir(d, 'Cargo.lock')).find((f) => source.has(f));
  if (lock) facts.push({ file: lock, signal: 'Cargo.lock', kind: 'lockfile' });
  if (ws) facts.push({ file: ws.file, signal: 'member of a Cargo workspace', kind: 'heuristic' });

  if (!pkg && crate.toml?.workspace !== undefined) {
    c.role = 'workspace';
    return c;
  }

  const version = rustVersion(source, dir, wsDir, crate, ws);
  if (version) {
    c.runtimeVersion = version.version;
    facts.push(version.fact);
  }
  const deps = depsOf(crate, ws);
  c.backing = backingOf(deps, file);
  c.commands.install = `cargo fetch${lock ? ' --locked' : ''}`;

  const bins = binsOf(source, crate, pkgName);
  if (bins.length === 0) {
    c.role = 'library';
    facts.push({ file, signal: 'no binary target: a library crate', kind: 'heuristic' });
    return c;
  }

  // Crate sources besides the binaries: modules a binary may serve from.
  const binFiles = new Set(bins.map((b) => b.file));
  const prefix = dir === '.' ? 'src/' : `${dir}/src/`;
  const moduleFiles = source
    .under(inDir(dir, 'src'))
    .filter((f) => f.endsWith('.rs') && !binFiles.has(f) && !f.startsWith(`${prefix}bin/`) && !nested.some((n) => f.startsWith(`${n}/`)))
    .slice(0, 300);
  const texts = new Map<string, string>();
  const read = (f: string) => {
    if (!texts.has(f)) texts.set(f, source.readText(f) ?? '');
    return texts.get(f)!;
  };
  const shared = moduleFiles.map((f) => ({ file: f, text: read(f) }));

  const score = (b: Bin) => {
    const t = read(b.file);
    let s = 0;
    if (SERVE.test(t)) s += 4;
    if (FRAMEWORKS.some(([, , re]) => re.test(t))) s += 2;
    if (b.name === pkgName) s += 1;
    if (/^(server|api|web|app|http)$/.test(b.name)) s += 1;
    return s;
  };
  const chosen = [...bins].sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name))[0]!;
  const files = [{ file: chosen.file, text: read(chosen.file) }, ...shared];
  facts.push({ file: chosen.file, ...lineOf(read(chosen.file), /fn\s+main\s*\(|#\[launch\]/), signal: `binary \`${chosen.name}\``, kind: 'entrypoint' });
  for (const b of bins) if (b !== chosen) facts.push({ file: b.file, signal: `also a binary: ${b.name} (not built)`, kind: 'heuristic' });

  // sqlx's query macros check each query against a live database while compiling, unless the crate
  // ships the prepared query data (`cargo sqlx prepare`: .sqlx/, or sqlx-data.json before 0.7).
  if (deps.some((d) => d.pkg === 'sqlx')) {
    const macro = files.map((f) => ({ f, line: lineOf(f.text, SQLX_MACRO) })).find((x) => x.line.line !== undefined);
    const prepared = [dir, wsDir].some((d) => source.isDir(inDir(d, '.sqlx')) || source.has(inDir(d, 'sqlx-data.json')));
    if (macro && !prepared) {
      source.warn(
        macro.f.file,
        `${c.name ?? pkgName}: sqlx's query macros check every query against a database while compiling, and an image build has none, so \`cargo build\` fails there; run \`cargo sqlx prepare\` and commit .sqlx/ (the build then checks offline)`,
        macro.line.line,
      );
    }
  }

  const locked = lock ? ' --locked' : '';
  c.commands.build = `cargo build --release${locked}${bins.length > 1 ? ` --bin ${chosen.name}` : ''}`;
  const target = path.posix.join(wsDir === dir ? '.' : path.posix.relative(dir === '.' ? '/' : `/${dir}`, wsDir === '.' ? '/' : `/${wsDir}`), 'target/release', chosen.name);
  c.commands.start = target.startsWith('.') ? target : `./${target}`;

  // Framework: declared in Cargo.toml, used in the binary or the crate's modules.
  let fwPort: number | undefined;
  for (const [fw, depName, re, port] of FRAMEWORKS) {
    const dep = deps.find((d) => d.pkg === depName);
    const use = files.map((f) => ({ f, line: lineOf(f.text, re) })).find((x) => x.line.line !== undefined);
    if (!dep && !use) continue;
    c.framework = fw;
    fwPort = port;
    if (dep) facts.push({ file, ...(dep.line ? { line: dep.line } : {}), signal: `dependency \`${dep.pkg}\``, kind: 'framework' });
    if (use) facts.push({ file: use.f.file, ...use.line, signal: `${fw} used`, kind: 'usage' });
    break;
  }
  if (!c.framework) {
    for (const [depName, re, port] of OTHER_SERVERS) {
      const dep = deps.find((d) => d.pkg === depName);
      if (!dep) continue;
      const use = files.map((f) => ({ f, line: lineOf(f.text, re) })).find((x) => x.line.line !== undefined);
      facts.push({ file, ...(dep.line ? { line: dep.line } : {}), signal: `dependency \`${dep.pkg}\` (server)`, kind: 'framework' });
      if (use) facts.push({ file: use.f.file, ...use.line, signal: `${depName} used`, kind: 'usage' });
      fwPort = port;
      break;
    }
  }
  const serves = files.map((f) => ({ f, line: lineOf(f.text, SERVE) })).find((x) => x.line.line !== undefined);
  if (!serves && fwPort === undefined) {
    // A binary that does not listen: a worker when it keeps running, else a job that runs to completion.
    const loop = files.map((f) => ({ f, line: lineOf(f.text, /^\s*loop\s*\{|\btokio::signal\b|\binterval\(|\.subscribe\(|\.basic_consume\(|\.recv\(\)\.await|\bStreamConsumer\b/) })).find((x) => x.line.line !== undefined);
    const queue = loop ? undefined : deps.find((d) => /^(lapin|rdkafka|async-nats|nats|apalis|faktory|amiquip|pulsar|aws-sdk-sqs|google-cloud-pubsub)$/.test(d.pkg));
    if (loop) facts.push({ file: loop.f.file, ...loop.line, signal: 'runs until stopped: a worker', kind: 'usage' });
    else if (queue) facts.push({ file, ...(queue.line ? { line: queue.line } : {}), signal: `dependency \`${queue.pkg}\`: a queue consumer keeps running, a worker`, kind: 'usage' });
    else facts.push({ file: files[0]?.file ?? file, signal: 'no listener and no loop: a job that runs to completion', kind: 'heuristic' });
    c.role = loop || queue ? 'worker' : 'job';
    return c;
  }
  if (serves) facts.push({ file: serves.f.file, ...serves.line, signal: 'binds a listener', kind: 'usage' });

  const port = portOf(source, dir, files, c.framework);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else {
    c.port = fwPort ?? 8080;
    facts.push({ file, signal: `${c.framework ?? 'server'} default port ${c.port}`, kind: 'heuristic' });
  }
  const health = healthOf(files);
  if (health) {
    c.healthPath = health.path;
    facts.push({ file: health.file, line: health.line, signal: `health route \`${health.text}\``, kind: 'heuristic' });
  }
  const metrics = deps.find((d) => /^(prometheus|prometheus-client|metrics-exporter-prometheus|axum-prometheus|actix-web-prom|autometrics|rocket_prometheus)$/.test(d.pkg));
  if (metrics) {
    c.metricsPath = '/metrics';
    facts.push({ file, ...(metrics.line ? { line: metrics.line } : {}), signal: `dependency \`${metrics.pkg}\`: metrics at /metrics`, kind: 'heuristic' });
  }
  return c;
}

/** `sqlx::query!(…)`, `query_as!(…)` and the other compile-time checked macros. */
const SQLX_MACRO = /\b(sqlx::)?query(_as|_scalar|_file|_file_as|_file_scalar)?(_unchecked)?!\s*\(/;

function lineOf(text: string, re: RegExp): { line?: number } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^\s*\/\//.test(l)) continue;
    if (re.test(l)) return { line: i + 1 };
  }
  return {};
}

/** rust-toolchain(.toml) channel when it is a version, else `rust-version` (package or workspace). */
function rustVersion(source: SourceView, dir: string, wsDir: string, crate: Crate, ws: Crate | undefined): { version: string; fact: Fact } | undefined {
  for (const d of upTo(dir)) {
    const tomlFile = inDir(d, 'rust-toolchain.toml');
    const plain = inDir(d, 'rust-toolchain');
    let channel: string | undefined;
    let f: string | undefined;
    if (source.has(tomlFile)) {
      channel = str(obj(source.readToml<Toml>(tomlFile).value?.toolchain)?.channel);
      f = tomlFile;
    } else if (source.has(plain)) {
      const t = source.readText(plain) ?? '';
      channel = /^\s*\[toolchain\]/m.test(t) ? /channel\s*=\s*"([^"]+)"/.exec(t)?.[1] : t.split(/\r?\n/).find((l) => l.trim())?.trim();
      f = plain;
    }
    if (f && channel) {
      const v = /^(\d+\.\d+(?:\.\d+)?)$/.exec(channel)?.[1];
      if (v) return { version: v, fact: { file: f, ...lineOf(source.readText(f) ?? '', /\d+\.\d+/), signal: `toolchain channel ${channel}`, kind: 'version' } };
      return undefined;
    }
    if (d === wsDir) break;
  }
  const pkg = obj(crate.toml?.package);
  const rv = str(pkg?.['rust-version']) ?? (obj(pkg?.['rust-version'])?.workspace === true ? str(obj(obj(ws?.toml?.workspace)?.package)?.['rust-version']) : undefined);
  if (rv) {
    const own = str(pkg?.['rust-version']) !== undefined;
    const f = own || !ws ? crate.file : ws.file;
    return { version: rv, fact: { file: f, ...lineOf(source.readText(f) ?? '', /rust-version/), signal: `rust-version ${rv}`, kind: 'version' } };
  }
  return undefined;
}

const FEATURE_BACKING: Array<[RegExp, RegExp, BackingKind]> = [
  [/^(sqlx|sqlx-core|diesel|sea-orm|sea-query|diesel-async|refinery|barrel)$/, /(^|-)(postgres|postgresql|pg)$|^sqlx-postgres$|^postgres$/, 'postgres'],
  [/^(sqlx|sqlx-core|diesel|sea-orm|sea-query|diesel-async|refinery)$/, /(^|-)mysql$|^sqlx-mysql$/, 'mysql'],
];

function backingOf(deps: Dep[], file: string): BackingUse[] {
  const out: BackingUse[] = [];
  const add = (kind: BackingKind, d: Dep, signal: string) => {
    if (!out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file, ...(d.line ? { line: d.line } : {}), signal } });
  };
  for (const d of deps) {
    const kind = backingFromDependency('cargo', d.pkg);
    if (kind) add(kind, d, `dependency \`${d.pkg}\``);
    for (const [crateRe, featRe, k] of FEATURE_BACKING) {
      if (!crateRe.test(d.pkg)) continue;
      const feat = d.features.find((f) => featRe.test(f));
      if (feat) add(k, d, `dependency \`${d.pkg}\` feature \`${feat}\``);
    }
  }
  return out;
}

const PORT_PATTERNS: Array<[RegExp, number]> = [
  [/"(?:PORT|APP_PORT|HTTP_PORT|SERVER_PORT)"[^\n]*?unwrap_or(?:_else)?\(\s*(?:\|[^|]*\|\s*)?(?:String::from\()?"?(?:[\w.]*:)?(\d{2,5})/, 0],
  [/\.bind\(\s*"[\w.\-[\]]*:(\d{2,5})"/, 1],
  [/\.bind\(\s*\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/, 1],
  [/SocketAddr::(?:from|new)\(\s*\(?\s*\[[^\]]*\]\s*,\s*(\d{2,5})\s*\)?/, 1],
  [/\(\s*\[\s*\d+\s*,\s*\d+\s*,\s*\d+\s*,\s*\d+\s*\]\s*,\s*(\d{2,5})\s*\)/, 1],
  [/\.port\(\s*(\d{2,5})\s*\)|\bport:\s*(\d{2,5})\b/, 2],
  [/"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\])?:(\d{4,5})"/, 3],
];

function portOf(source: SourceView, dir: string, files: Array<{ file: string; text: string }>, fw: Framework | null): { port: number; fact: Fact } | undefined {
  if (fw === 'rocket') {
    const rt = inDir(dir, 'Rocket.toml');
    const t = source.has(rt) ? source.readToml<Toml>(rt).value : undefined;
    const port = [obj(t?.release), obj(t?.global), obj(t?.default)].map((s) => s?.port).find((p) => typeof p === 'number');
    if (typeof port === 'number') return { port, fact: { file: rt, ...lineOf(source.readText(rt) ?? '', /^\s*port\s*=/), signal: `Rocket.toml port = ${port}`, kind: 'port' } };
  }
  const hit = bestPort(files, {
    patterns: PORT_PATTERNS,
    comment: RUST_COMMENT,
    // `env::var("PORT")` with the fallback on the next lines of the same expression.
    rankZeroText: (lines, i) => (/"(?:PORT|APP_PORT|HTTP_PORT|SERVER_PORT)"/.test(lines[i] ?? '') ? lines.slice(i, i + 4).join(' ') : (lines[i] ?? '')),
  });
  return hit ? { port: hit.port, fact: { file: hit.file, line: hit.line, signal: `\`${hit.text.slice(0, 100)}\``, kind: 'port' } } : undefined;
}

const RUST_COMMENT = /^\s*\/\//;

function healthOf(files: Array<{ file: string; text: string }>): { path: string; file: string; line: number; text: string } | undefined {
  const hit = bestHealthRoute(
    files,
    (l) => {
      const m = /(?:\.route|\.resource|web::resource|\.at|\.service\(\s*web::resource|#\[(?:get|head)|\.path)\(\s*"(\/[^"]*)"/.exec(l) ?? /warp::path!?\(\s*"([\w-]+)"/.exec(l);
      if (!m?.[1]) return undefined;
      return { path: m[1].startsWith('/') ? m[1] : `/${m[1]}` };
    },
    RUST_COMMENT,
  );
  return hit ? { ...hit, text: hit.text.slice(0, 100) } : undefined;
}
