/**
 * Go modules (and go.work workspaces). A module is a service when one of its `package main`
 * programs serves: net/http, gin, echo, fiber, chi or a raw listener, reached through the main
 * package or the module's own packages it imports. With several main packages (`cmd/server`,
 * `cmd/migrate`) the serving one is built; the others are named in the evidence. A module without
 * a main package is a library.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { Framework } from '../types.js';
import { toolVersionsPin } from '../readers.js';
import { bestHealthRoute, bestPort, portOfMatch } from './http-scan.js';

export interface GoRequire {
  path: string;
  version: string;
  line: number;
  indirect: boolean;
}

export interface GoMod {
  module?: string;
  go?: { version: string; line: number };
  toolchain?: { version: string; line: number };
  requires: GoRequire[];
}

/** go.mod as text: module, go/toolchain directives and requires (single and block form) with lines. */
export function parseGoMod(text: string): GoMod {
  const out: GoMod = { requires: [] };
  let block: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const l = raw.replace(/\/\/(?!\s*indirect).*$/, '').trim();
    if (l === '') return;
    if (block) {
      if (l.startsWith(')')) {
        block = null;
        return;
      }
      if (block === 'require') {
        const m = /^(\S+)\s+(\S+)/.exec(l);
        if (m?.[1] && m[2]) out.requires.push({ path: m[1], version: m[2], line, indirect: /\/\/\s*indirect/.test(raw) });
      }
      return;
    }
    const open = /^(require|replace|exclude|retract|tool|godebug)\s*\($/.exec(l);
    if (open?.[1]) {
      block = open[1];
      return;
    }
    let m = /^module\s+"?([^\s"]+)"?/.exec(l);
    if (m?.[1]) out.module = m[1];
    m = /^go\s+(\d+(?:\.\d+){0,2})/.exec(l);
    if (m?.[1]) out.go = { version: m[1], line };
    m = /^toolchain\s+go(\d+(?:\.\d+){0,2})/.exec(l);
    if (m?.[1]) out.toolchain = { version: m[1], line };
    m = /^require\s+(\S+)\s+(\S+)/.exec(l);
    if (m?.[1] && m[2]) out.requires.push({ path: m[1], version: m[2], line, indirect: /\/\/\s*indirect/.test(raw) });
  });
  return out;
}

/** go.work `use` folders (single and block form), relative to the go.work folder. */
export function parseGoWork(text: string): { go?: { version: string; line: number }; use: Array<{ dir: string; line: number }> } {
  const use: Array<{ dir: string; line: number }> = [];
  let go: { version: string; line: number } | undefined;
  let inUse = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.replace(/\/\/.*$/, '').trim();
    if (inUse) {
      if (l.startsWith(')')) inUse = false;
      else if (l) use.push({ dir: l.replace(/^"|"$/g, ''), line: i + 1 });
      return;
    }
    if (/^use\s*\($/.test(l)) inUse = true;
    const one = /^use\s+"?([^\s"(]+)"?$/.exec(l);
    if (one?.[1]) use.push({ dir: one[1], line: i + 1 });
    const g = /^go\s+(\d+(?:\.\d+){0,2})/.exec(l);
    if (g?.[1]) go = { version: g[1], line: i + 1 };
  });
  return { ...(go ? { go } : {}), use };
}

const FRAMEWORKS: Array<[Framework, RegExp, number]> = [
  ['gin', /^github\.com\/gin-gonic\/gin$/, 8080],
  ['echo', /^github\.com\/labstack\/echo(\/v\d+)?$/, 1323],
  ['fiber', /^github\.com\/gofiber\/fiber(\/v\d+)?$/, 3000],
  ['chi', /^github\.com\/go-chi\/chi(\/v\d+)?$/, 8080],
];

interface GoFile {
  file: string;
  dir: string;
  pkg: string;
  imports: Array<{ path: string; line: number }>;
  text: string;
  hasMain: boolean;
}

export const goProvider: Provider = {
  name: 'go',
  detect(source: SourceView): Candidate[] {
    const mods = source.manifests('go.mod').map((f) => path.posix.dirname(f));
    const out: Candidate[] = [];
    const works = source.manifests('go.work');
    const workOf = new Map<string, { file: string; go?: { version: string; line: number } }>();
    for (const w of works) {
      const wdir = path.posix.dirname(w);
      const parsed = parseGoWork(source.readText(w) ?? '');
      for (const u of parsed.use) {
        const d = path.posix.normalize(path.posix.join(wdir, u.dir));
        workOf.set(d === '' ? '.' : d, { file: w, ...(parsed.go ? { go: parsed.go } : {}) });
      }
      if (!source.has(inDir(wdir, 'go.mod'))) {
        const ws = candidate({ path: wdir, language: 'go', packageManager: 'go-modules', role: 'workspace' });
        ws.facts.push({ file: w, signal: `go.work (${parsed.use.map((u) => u.dir).join(', ')})`, kind: 'manifest' });
        out.push(ws);
      }
    }
    for (const dir of mods) {
      const nested = mods.filter((m) => m !== dir && (dir === '.' || m.startsWith(`${dir}/`)));
      out.push(describe(source, dir, nested, workOf.get(dir)));
    }
    // A `package main` with no go.mod above it (a single-file program, a gist): built without a module.
    const inModule = (f: string) => mods.some((m) => m === '.' || f.startsWith(`${m}/`));
    const loose = new Set<string>();
    for (const f of source.files) {
      if (!f.endsWith('.go') || f.endsWith('_test.go') || inModule(f) || SKIP.test(f) || f.split('/').length > 3) continue;
      if (/(^|\/)(vendor|node_modules)\//.test(f)) continue;
      loose.add(path.posix.dirname(f));
    }
    for (const dir of [...loose].sort()) {
      if ([...loose].some((o) => o !== dir && (o === '.' || dir.startsWith(`${o}/`)))) continue;
      const c = describe(source, dir, [...loose].filter((o) => o !== dir && (dir === '.' || o.startsWith(`${dir}/`))), undefined, true);
      // Without a module, only a runnable program is worth a service: loose library files are left alone.
      if (c.role !== 'library') out.push(c);
    }
    return out;
  },
};

const SKIP = /(^|\/)(testdata|examples?|_examples|third_party|hack|docs?)\//;

function goFiles(source: SourceView, dir: string, nested: string[], limit = 800): GoFile[] {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const files = source
    .under(dir)
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !SKIP.test(f.slice(prefix.length)) && !nested.some((n) => f.startsWith(`${n}/`)))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, limit);
  const out: GoFile[] = [];
  for (const file of files) {
    const text = source.readText(file);
    if (text === undefined) continue;
    if (/^\/\/go:build\s+(ignore|tools)\b/m.test(text.slice(0, 2000))) continue;
    const pkg = /^\s*package\s+(\w+)/m.exec(text)?.[1];
    if (!pkg) continue;
    out.push({ file, dir: path.posix.dirname(file), pkg, imports: goImports(text), text, hasMain: /^func\s+main\s*\(\s*\)/m.test(text) });
  }
  return out;
}

function goImports(text: string): Array<{ path: string; line: number }> {
  const out: Array<{ path: string; line: number }> = [];
  const lines = text.split(/\r?\n/);
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? '').trim();
    if (inBlock) {
      if (l.startsWith(')')) {
        inBlock = false;
        continue;
      }
      const m = /^(?:[\w.]+\s+)?"([^"]+)"/.exec(l);
      if (m?.[1]) out.push({ path: m[1], line: i + 1 });
      continue;
    }
    if (/^import\s*\($/.test(l)) inBlock = true;
    const one = /^import\s+(?:[\w.]+\s+)?"([^"]+)"/.exec(l);
    if (one?.[1]) out.push({ path: one[1], line: i + 1 });
    if (/^(func|type|var|const)\b/.test(l)) break;
  }
  return out;
}

interface MainPkg {
  dir: string;
  files: GoFile[];
  closure: GoFile[];
  serves?: { file: string; line: number; text: string };
  framework?: { fw: Framework; file: string; line: number; importPath: string; defaultPort: number };
}

/** A program that keeps running without listening: a loop, a ticker, a subscription, a wait for a signal. */
// Not signal.Notify alone: command-line tools catch Ctrl-C too (rakyll/hey does, and ends).
const KEEPS_RUNNING = /^\s*for\s*\{|\bselect\s*\{\s*\}|time\.NewTicker\(|range\s+time\.Tick\(|\.Subscribe\(|\.Consume\(|\.QueueSubscribe\(|\.ReadMessage\(|\.FetchMessage\(/;

/** Queue and job-processing libraries: a program built on one consumes until stopped. */
const QUEUE_LIBS = /^github\.com\/(?:rabbitmq\/amqp091-go|streadway\/amqp|segmentio\/kafka-go|confluentinc\/confluent-kafka-go|Shopify\/sarama|IBM\/sarama|nats-io\/nats\.go|benmanns\/goworker|BranchIntl\/goworker2|hibiken\/asynq|RichardKnop\/machinery|gocraft\/work|jrallison\/go-workers|riverqueue\/river|ThreeDotsLabs\/watermill)|^cloud\.google\.com\/go\/pubsub|^go\.temporal\.io\/sdk/;

const SERVE = /\b(?:http\.ListenAndServe(?:TLS)?|http\.Serve|\.ListenAndServe(?:TLS)?\(|&?http\.Server\s*\{|gin\.(?:Default|New)\(|echo\.New\(|fiber\.New\(|chi\.NewRouter\(|mux\.NewRouter\(|net\.Listen\(\s*"tcp|grpc\.NewServer\(|\.Run\(\s*"?[^)]*:\d+|\.Listen\(\s*"[^"]*:\d+)/;

function describe(source: SourceView, dir: string, nested: string[], work: { file: string; go?: { version: string; line: number } } | undefined, moduleless = false): Candidate {
  const modFile = inDir(dir, 'go.mod');
  const mod = parseGoMod(moduleless ? '' : (source.readText(modFile) ?? ''));
  const facts: Fact[] = moduleless ? [] : [{ file: modFile, signal: mod.module ? `go.mod module ${mod.module}` : 'go.mod', kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'go', packageManager: moduleless ? null : 'go-modules', facts });
  if (mod.module) {
    const parts = mod.module.split('/');
    const last = parts[parts.length - 1] ?? '';
    c.name = /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
  }
  if (source.has(inDir(dir, 'go.sum'))) facts.push({ file: inDir(dir, 'go.sum'), signal: 'go.sum', kind: 'lockfile' });
  if (work) facts.push({ file: work.file, signal: 'module of a go.work workspace', kind: 'heuristic' });

  // Runtime: the toolchain the module asks for, else its go directive, else the workspace's, else asdf/mise.
  if (mod.toolchain) {
    c.runtimeVersion = mod.toolchain.version;
    facts.push({ file: modFile, line: mod.toolchain.line, signal: `toolchain go${mod.toolchain.version}`, kind: 'version' });
  } else if (mod.go) {
    c.runtimeVersion = mod.go.version;
    facts.push({ file: modFile, line: mod.go.line, signal: `go ${mod.go.version}`, kind: 'version' });
  } else if (work?.go) {
    c.runtimeVersion = work.go.version;
    facts.push({ file: work.file, line: work.go.line, signal: `go ${work.go.version}`, kind: 'version' });
  } else {
    const tv = toolVersionsPin(source, dir, ['golang', 'go']);
    const v = tv ? /(\d+\.\d+(?:\.\d+)?)/.exec(tv.version)?.[1] : undefined;
    if (tv && v) {
      c.runtimeVersion = v;
      facts.push({ file: tv.file, ...(tv.line ? { line: tv.line } : {}), signal: `.tool-versions golang ${tv.version}`, kind: 'version' });
    }
  }

  const direct = mod.requires.filter((r) => !r.indirect);
  c.backing = backingOf(direct, modFile);
  c.commands.install = moduleless ? null : 'go mod download';

  // Without a module a program is the one folder: its files cannot import sibling packages.
  const files = goFiles(source, dir, nested).filter((f) => !moduleless || f.dir === dir);
  const byDir = new Map<string, GoFile[]>();
  for (const f of files) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f]);
  const mains: MainPkg[] = [];
  for (const [d, fs] of byDir) {
    if (!fs.some((f) => f.pkg === 'main' && f.hasMain)) continue;
    const closure = closureOf(d, byDir, mod.module, dir);
    const m: MainPkg = { dir: d, files: fs.filter((f) => f.pkg === 'main'), closure };
    for (const f of closure) {
      const i = f.text.split('\n').findIndex((l) => !/^\s*\/\//.test(l) && SERVE.test(l));
      if (i >= 0) {
        m.serves = { file: f.file, line: i + 1, text: (f.text.split('\n')[i] ?? '').trim() };
        break;
      }
    }
    for (const [fw, re, port] of FRAMEWORKS) {
      for (const f of closure) {
        const imp = f.imports.find((x) => re.test(x.path));
        if (imp) {
          m.framework = { fw, file: f.file, line: imp.line, importPath: imp.path, defaultPort: port };
          break;
        }
      }
      if (m.framework) break;
    }
    mains.push(m);
  }
  if (mains.length === 0) {
    c.role = 'library';
    facts.push({ file: modFile, signal: 'no `package main` with `func main()`: a library module', kind: 'heuristic' });
    return c;
  }

  const modName = c.name ?? path.posix.basename(dir);
  const NAMES = ['server', 'api', 'web', 'app', 'http', 'httpd', 'service', 'svc', modName, `${modName}-server`, `${modName}d`, 'main'];
  const rank = (m: MainPkg) => {
    const n = m.dir === dir ? modName : path.posix.basename(m.dir);
    const i = NAMES.indexOf(n);
    return (m.serves ? 0 : 100) + (m.framework ? 0 : 10) + (i < 0 ? NAMES.length : i);
  };
  mains.sort((a, b) => rank(a) - rank(b) || a.dir.split('/').length - b.dir.split('/').length || a.dir.localeCompare(b.dir));
  const chosen = mains[0]!;
  const mainFile = chosen.files.find((f) => f.hasMain) ?? chosen.files[0]!;
  facts.push({ file: mainFile.file, ...lineOpt(mainFile.text, /^func\s+main\s*\(/), signal: `package main in ${relTo(dir, chosen.dir)}`, kind: 'entrypoint' });
  for (const other of mains.slice(1)) {
    facts.push({ file: (other.files.find((f) => f.hasMain) ?? other.files[0]!).file, signal: `also a main package: ${relTo(dir, other.dir)}${other.serves ? ' (serves too; not built)' : ' (not a server; not built)'}`, kind: 'heuristic' });
  }
  if (moduleless) facts.push({ file: mainFile.file, signal: 'package main without go.mod: built without a module (standard library only)', kind: 'manifest' });
  const pkgArg = chosen.dir === dir ? '.' : `./${relTo(dir, chosen.dir)}`;
  c.commands.build = `go build -trimpath -ldflags="-s -w" -o app ${pkgArg}`;
  c.commands.start = './app';

  if (chosen.framework) {
    const fw = chosen.framework;
    c.framework = fw.fw;
    const req = direct.find((r) => r.path === fw.importPath || fw.importPath.startsWith(`${r.path}/`)) ?? mod.requires.find((r) => fw.importPath.startsWith(r.path));
    if (req) facts.push({ file: modFile, line: req.line, signal: `require ${req.path}`, kind: 'framework' });
    facts.push({ file: fw.file, line: fw.line, signal: `import "${fw.importPath}"`, kind: 'usage' });
  } else {
    // Declared but not imported by the served program: still the module's framework, with less weight.
    for (const [fw, re] of FRAMEWORKS) {
      const req = direct.find((r) => re.test(r.path));
      if (req) {
        c.framework = fw;
        facts.push({ file: modFile, line: req.line, signal: `require ${req.path}`, kind: 'framework' });
        break;
      }
    }
  }
  if (!chosen.serves) {
    // A program that does not listen: a worker when it keeps running (a loop, a ticker, a
    // subscription, waiting for a signal), else a job that runs to completion (a CLI, a batch).
    const loop = chosen.closure.map((f) => ({ f, l: lineOpt(f.text, KEEPS_RUNNING) })).find((x) => x.l.line !== undefined);
    const queue = loop ? undefined : direct.find((r) => QUEUE_LIBS.test(r.path) && chosen.closure.some((f) => f.imports.some((i) => i.path.startsWith(r.path))));
    if (loop) facts.push({ file: loop.f.file, ...loop.l, signal: 'runs until stopped: a worker', kind: 'usage' });
    else if (queue) facts.push({ file: modFile, line: queue.line, signal: `require ${queue.path}: a queue consumer keeps running, a worker`, kind: 'usage' });
    else facts.push({ file: mainFile.file, ...lineOpt(mainFile.text, /^func\s+main\s*\(/), signal: 'no listener and no loop: a job that runs to completion', kind: 'heuristic' });
    c.role = loop || queue ? 'worker' : 'job';
    return c;
  }
  facts.push({ file: chosen.serves.file, line: chosen.serves.line, signal: `\`${clip(chosen.serves.text)}\``, kind: 'usage' });

  const port = portOf(chosen.closure);
  if (port) {
    c.port = port.port;
    if (port.env) c.portEnv = port.env;
    facts.push({ file: port.file, line: port.line, signal: `\`${clip(port.text)}\``, kind: 'port' });
  } else {
    c.port = chosen.framework?.defaultPort ?? 8080;
    facts.push({ file: chosen.serves.file, line: chosen.serves.line, signal: `${c.framework ?? 'net/http'} default port ${c.port}`, kind: 'heuristic' });
  }
  const health = healthOf(chosen.closure);
  if (health) {
    c.healthPath = health.path;
    facts.push({ file: health.file, line: health.line, signal: `health route \`${clip(health.text)}\``, kind: 'heuristic' });
  }
  const prom = direct.find((r) => r.path.startsWith('github.com/prometheus/client_golang'));
  if (prom) {
    const route = metricsRoute(chosen.closure);
    c.metricsPath = route ?? '/metrics';
    facts.push({ file: modFile, line: prom.line, signal: `require ${prom.path}: metrics at ${c.metricsPath}`, kind: 'heuristic' });
  }
  return c;
}

/** The main package's own files plus the module packages it imports, transitively. */
function closureOf(dir: string, byDir: Map<string, GoFile[]>, module: string | undefined, modDir: string): GoFile[] {
  const dirOfImport = (imp: string): string | undefined => {
    if (!module || (imp !== module && !imp.startsWith(`${module}/`))) return undefined;
    const rest = imp === module ? '' : imp.slice(module.length + 1);
    return rest ? inDir(modDir, rest) : modDir;
  };
  const seen = new Set<string>([dir]);
  const queue = [dir];
  const out: GoFile[] = [];
  while (queue.length > 0 && seen.size < 200) {
    const d = queue.shift()!;
    for (const f of byDir.get(d) ?? []) {
      out.push(f);
      for (const imp of f.imports) {
        const target = dirOfImport(imp.path);
        if (target !== undefined && !seen.has(target) && byDir.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return out;
}

const PORT_PATTERNS: Array<[RegExp, number]> = [
  [/"(?:PORT|HTTP_PORT|APP_PORT|SERVER_PORT|LISTEN_PORT)"\s*\)?\s*,\s*"[^"\d]*:?(\d{2,5})"/, 0],
  [/env:"(?:PORT|HTTP_PORT|APP_PORT|SERVER_PORT)"[^`]*?(?:envDefault|default):"[^"\d]*:?(\d{2,5})"/, 0],
  [/(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen|\.RunTLS|\.StartTLS)\(\s*"[\w.\-[\]:]*?:(\d{2,5})"/, 1],
  [/\bAddr\s*:\s*"[\w.\-[\]]*:(\d{2,5})"/, 1],
  [/net\.Listen\(\s*"tcp[46]?"\s*,\s*"[\w.\-[\]]*:(\d{2,5})"/, 1],
  [/flag\.(?:String|Int|Uint)(?:Var)?\([^)]*"(?:addr|port|listen|http|http-addr|http\.addr|listen-addr)"\s*,\s*"?(?:[\w.]*:)?(\d{2,5})"?/, 2],
  [/"(?:0\.0\.0\.0|localhost|127\.0\.0\.1)?:(\d{4,5})"/, 3],
];

/** `port := os.Getenv("PORT")` (or `GRPC_PORT`, …) with the fallback on one of the next lines; the variable is kept for `portEnv`. */
function getenvFallback(lines: string[], i: number): Array<{ port: number; rank: number; line: number; env: string }> {
  const l = lines[i] ?? '';
  const env = /Getenv\(\s*"([A-Z0-9_]*PORT)"\s*\)/.exec(l)?.[1];
  if (!env) return [];
  for (let j = i; j < Math.min(lines.length, i + 6); j++) {
    const port = portOfMatch(/(?:=|return)\s*"[^"\d]*:?(\d{2,5})"/.exec(lines[j] ?? '') ?? (j === i ? /,\s*"[^"\d]*:?(\d{2,5})"/.exec(l) : null));
    if (port !== undefined) return [{ port, rank: 0, line: j, env }];
  }
  return [];
}

const GO_COMMENT = /^\s*\/\//;

type PortHit = { port: number; file: string; line: number; text: string; env?: string };

/** An explicit listen literal wins; otherwise a listen address built from a named value, resolved; otherwise the weaker literal. */
function portOf(files: GoFile[]): PortHit | undefined {
  const literal = bestPort(files, { patterns: PORT_PATTERNS, comment: GO_COMMENT, extra: getenvFallback });
  if (literal && literal.rank <= 1) return literal;
  return resolvedPortOf(files) ?? literal;
}

/**
 * A listen address built from a named value — `fmt.Sprintf(":%s", listenPort)`, `":" + port`,
 * `net.JoinHostPort("", port)` — resolved through its constant or variable (`listenPort = "5050"`),
 * also when it is the fallback of an environment variable (`if port == "" { port = defaultPort }`).
 */
function resolvedPortOf(files: GoFile[]): PortHit | undefined {
  const USE = /(?:Sprintf\(\s*"[^"]*:%[sdv]"\s*,\s*\*?([A-Za-z_]\w*)\s*\)|"[^"]*:"\s*\+\s*\*?([A-Za-z_]\w*)\b|JoinHostPort\([^,]*,\s*\*?([A-Za-z_]\w*)\s*\))/;
  for (const f of files) {
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (/^\s*\/\//.test(l)) continue;
      const m = USE.exec(l);
      const id = m?.[1] ?? m?.[2] ?? m?.[3];
      if (!id) continue;
      const hit = resolveIdent(files, id, 0);
      if (hit) return hit;
    }
  }
  return undefined;
}

function resolveIdent(files: GoFile[], id: string, depth: number): PortHit | undefined {
  if (depth > 2) return undefined;
  const esc = id.replace(/[$]/g, '\\$&');
  const LIT = new RegExp(`^\\s*(?:(?:const|var)\\s+)?${esc}\\s*(?:string|int)?\\s*:?=\\s*"?[^"\\d\\s]*:?(\\d{2,5})"?\\s*(?://.*)?$`);
  const ENV = new RegExp(`^\\s*(?:(?:var)\\s+)?${esc}\\s*:?=\\s*os\\.Getenv\\(\\s*"([A-Za-z_][A-Za-z0-9_]*)"\\s*\\)`);
  const FROM = new RegExp(`^\\s*${esc}\\s*=\\s*([A-Za-z_]\\w*)\\s*$`);
  for (const f of files) {
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      const lit = LIT.exec(l);
      const n = Number(lit?.[1]);
      if (lit && n > 0 && n < 65536) return { port: n, file: f.file, line: i + 1, text: l.trim() };
      const env = ENV.exec(l);
      if (env?.[1] && /PORT/i.test(env[1])) {
        // The fallback on the next lines: a literal or another named value.
        for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
          const lj = lines[j] ?? '';
          const litJ = new RegExp(`^\\s*${esc}\\s*=\\s*"[^"\\d]*:?(\\d{2,5})"`).exec(lj);
          if (litJ?.[1]) return { port: Number(litJ[1]), file: f.file, line: j + 1, text: lj.trim(), env: env[1] };
          const from = FROM.exec(lj);
          const inner = from?.[1] ? resolveIdent(files, from[1], depth + 1) : undefined;
          if (inner) return { ...inner, env: env[1] };
        }
      }
    }
    // const ( … listenPort = "5050" … ) blocks are matched line by line above.
  }
  return undefined;
}


function healthOf(files: GoFile[]): { path: string; file: string; line: number; text: string } | undefined {
  return bestHealthRoute(
    files,
    (l) => {
      const route = /\.(?:HandleFunc|Handle|GET|Get|HEAD|Head|Any|All|Method|Route)\(\s*"(?:(?:GET|HEAD)\s+)?(\/[^"]*)"/.exec(l)?.[1];
      if (route) return { path: route };
      const lit = /"(?:GET\s+)?(\/(?:health|healthz|healthcheck|livez|readyz|ping))"/.exec(l)?.[1];
      return lit ? { path: lit, literal: true } : undefined;
    },
    GO_COMMENT,
  );
}

function metricsRoute(files: GoFile[]): string | undefined {
  for (const f of files) {
    const m = /\.(?:Handle|GET|Get|Any)\(\s*"(?:GET\s+)?(\/[^"]*)"\s*,[^\n]*promhttp\./.exec(f.text);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function backingOf(requires: GoRequire[], file: string): BackingUse[] {
  const out: BackingUse[] = [];
  for (const r of requires) {
    const kind = backingFromDependency('go', r.path);
    if (kind && !out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file, line: r.line, signal: `require ${r.path}` } });
  }
  return out;
}

function relTo(base: string, p: string): string {
  if (base === '.') return p;
  if (p === base) return '.';
  return p.startsWith(`${base}/`) ? p.slice(base.length + 1) : p;
}

function lineOpt(text: string, re: RegExp): { line?: number } {
  const i = text.split('\n').findIndex((l) => re.test(l));
  return i >= 0 ? { line: i + 1 } : {};
}

function clip(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

