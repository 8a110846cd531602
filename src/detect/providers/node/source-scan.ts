/**
 * What the JavaScript/TypeScript sources of one package say: which files belong to it, whether it
 * starts a server, on which port, and which route answers health checks. Shared by Node, Bun and Deno.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { inDir, type Fact } from '../../provider.js';
import { asPort, clip, findInFiles } from '../others-util.js';

export const JS_EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];
const SKIP_FILE = /(\.(test|spec|stories|d)\.[cm]?[jt]sx?$)|(^|\/)(__tests__|__mocks__|test|tests|e2e|cypress|public|static|assets|migrations|seeders?)\//;
const CONFIG_FILE = /(^|\/)[\w.-]+\.config\.[cm]?[jt]s$|(^|\/)(knexfile|ormconfig|drizzle\.config|jest\.config|vitest\.config|playwright\.config|tailwind\.config|postcss\.config|eslint\.config)\.[cm]?[jt]s$/;

/**
 * Source files of the package in `dir`, excluding nested packages (`others` are the folders of the
 * other projects), tests and generated output; `first` files (entry points) lead the list.
 */
export function ownSources(source: SourceView, dir: string, others: string[], first: string[]): string[] {
  const own = ownedBy(dir, others);
  const rel = (f: string) => (dir === '.' ? f : f.slice(dir.length + 1));
  const files = source.under(dir).filter((f) => JS_EXTS.some((e) => f.endsWith(e)) && own(f) && !SKIP_FILE.test(rel(f)));
  const depth = (f: string) => f.split('/').length;
  const lead = first.filter((f) => source.has(f) && own(f));
  const rest = files.filter((f) => !lead.includes(f)).sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  return [...lead, ...rest];
}

/** Files of the project in `dir` and not of a project nested below it. */
export function ownedBy(dir: string, others: string[]): (file: string) => boolean {
  const nested = others.filter((o) => o !== dir && (dir === '.' || o.startsWith(`${dir}/`))).map((o) => `${o}/`);
  return (f) => !nested.some((n) => f.startsWith(n));
}

const ENTRY_BASES = ['server', 'index', 'app', 'main', 'src/server', 'src/index', 'src/app', 'src/main', 'server/index', 'server/server', 'api/index', 'bin/www', 'bin/server'];

/**
 * Files a start command or `main` runs, mapped back to sources: `node dist/index.js` is built from
 * `src/index.ts`, and build output is never listed anyway.
 */
export function entryFiles(source: SourceView, dir: string, commands: Array<string | undefined>, main: string | undefined): string[] {
  const out: string[] = [];
  const add = (rel: string) => {
    const clean = path.posix.normalize(rel.replace(/^\.\//, ''));
    const stem = clean.replace(/\.[cm]?[jt]sx?$/, '');
    const variants = [clean, ...JS_EXTS.map((e) => stem + e), ...JS_EXTS.map((e) => `${stem}/index${e}`)];
    const fromBuild = /^(dist|build|out|lib|\.output)\//.test(stem) ? stem.replace(/^[^/]+\//, '') : undefined;
    if (fromBuild) variants.push(...JS_EXTS.map((e) => `src/${fromBuild}${e}`), ...JS_EXTS.map((e) => `${fromBuild}${e}`));
    for (const v of variants) {
      const f = inDir(dir, v);
      if (source.has(f) && !out.includes(f)) out.push(f);
    }
  };
  for (const cmd of commands) {
    if (!cmd) continue;
    for (const m of cmd.matchAll(/(?:^|&&|;|\s)(?:node|nodemon|ts-node|ts-node-dev|tsx|bun|deno|esno|babel-node|pm2(?:-runtime)?)(?:\s+(?:run|start|--?[\w-]+(?:=\S+)?))*\s+([\w./@-]+)/g)) if (m[1]) add(m[1]);
  }
  if (main) add(main);
  for (const b of ENTRY_BASES) add(b);
  // bin/www (express-generator) has no extension.
  if (source.has(inDir(dir, 'bin/www')) && !out.includes(inDir(dir, 'bin/www'))) out.push(inDir(dir, 'bin/www'));
  return out;
}

/** A call that starts a server (or a Bun/Deno handler export). */
/**
 * Bun (like Workers) serves a module's default export when it has a `fetch` method: create-hono's
 * Bun template ends with `export default app` where `const app = new Hono()`. Only meaningful for a
 * file Bun runs; in Node, `export default app` is an app module that something else listens with.
 */
export function defaultExportServes(text: string): boolean {
  const id = /^export\s+default\s+([A-Za-z_$][\w$]*)\s*;?\s*$/m.exec(text)?.[1];
  return id !== undefined && new RegExp(`\\b(?:const|let|var)\\s+${id.replace(/\$/g, '\\$')}\\s*=\\s*new\\s+[A-Z][\\w$]*\\s*(?:<[^;]*>)?\\s*\\(`).test(text);
}

export const SERVER_CALL = /\b(?:createServer\(|\.listen\(|Bun\.serve\(|Deno\.serve\(|serve\(\s*\{|serve\(\s*app\b|NestFactory\.create|\.bindAsync\(|Hapi\.server\(|startStandaloneServer\(|export\s+default\s+\{[^}]*\bfetch\b|\bserver\.start\(\))/;

/** Ports of backing services: a `port: 5432` in a database config is not the app's port. */
const BACKING_PORTS = new Set([5432, 3306, 6379, 27017, 5672, 15672, 9092, 4222, 9200, 7700, 11211, 1433, 26257, 8086, 9042, 2181]);

/** In priority order; each is tried on every file before the next, so an explicit listen wins over a config `port:`. */
const PORT_PATTERNS: RegExp[] = [
  // `.listen(3000)`, and a gRPC server's `bindAsync("0.0.0.0:50051", …)`.
  /\.listen\(\s*(\d{2,5})\s*[,)]|\.bindAsync\(\s*["'`][^"'`]*:(\d{2,5})["'`]/,
  /\.listen\(\s*\{[^}]*\bport\s*:\s*(\d{2,5})\b/,
  /\.listen\(\s*(?:Number|parseInt|\+)?\(?\s*process\.env\.\w*PORT\w*\s*\)?\s*(?:\|\||\?\?)\s*["'`]?(\d{2,5})/,
  /(?:Bun|Deno)\.serve\(\s*\{[^}]*\bport\s*:\s*(\d{2,5})\b/,
  /\b(?:const|let|var)\s+\w*(?:port|PORT|Port)\w*\s*(?::\s*\w+\s*)?=\s*(?:Number|parseInt|\+)?\(?\s*(?:process\.env\.\w+|Deno\.env\.get\([^)]*\)|Bun\.env\.\w+|env\.\w+|config\.\w+)[^;\n]{0,30}?(?:\|\||\?\?)\s*["'`]?(\d{2,5})/,
  /\b(?:const|let|var)\s+\w*(?:port|PORT|Port)\w*\s*(?::\s*\w+\s*)?=\s*["'`]?(\d{2,5})["'`]?\s*;?\s*$/,
  /\b\w*(?:port|PORT|Port)\w*\s*[:=]\s*\(?\s*process\.env\.\w*PORT\w*\s*\?[^:\n]{1,60}:\s*["'`]?(\d{2,5})/,
  /\bnormalizePort\(\s*process\.env\.PORT\s*\|\|\s*["'](\d{2,5})["']/,
  /\bport\s*:\s*(?:Number|parseInt|\+)?\(?\s*(?:process\.env\.\w*PORT\w*|Deno\.env\.get\(["']PORT["']\)|Bun\.env\.PORT)[^,}\n]{0,20}?(?:\|\||\?\?)\s*["'`]?(\d{2,5})/,
  /\bport\s*:\s*(\d{2,5})\s*[,}\n]?/,
];

export interface PortFound {
  port: number;
  fact: Fact;
}

/** A port named after something else (a database, a metrics exporter, a debugger) is not the app's. */
const OTHER_PORT_NAME = /^(?:db|database|redis|mongo|postgres|pg|mysql|maria|sql|rabbit|amqp|kafka|smtp|mail|elastic|memcache|nats|minio|s3|metrics|prom|debug|inspect|ws|socket|grpc|proxy|target|upstream|hmr|dev)|(?:db|redis|mongo|pg|sql|mail|smtp|metrics|debug|proxy|hmr|ws)_?port$/i;
const OTHER_CONTEXT = /\b(redis|mongo|mongoose|postgres|pg|mysql|mariadb|sequelize|typeorm|knex|prisma|database|db|amqp|rabbit|kafka|smtp|mail|nodemailer|elastic|memcache|nats|minio|s3|proxy|target|hmr|devServer)\b/i;

/** The app's port as its sources state it; config files (vite/astro dev servers) and other services' ports are ignored. */
export function sourcePort(source: SourceView, files: string[]): PortFound | undefined {
  const scan = files.filter((f) => !CONFIG_FILE.test(f)).slice(0, 150);
  const texts = new Map<string, string[]>();
  const linesOf = (f: string) => {
    let l = texts.get(f);
    if (!l) texts.set(f, (l = (source.readText(f) ?? '').split(/\r?\n/)));
    return l;
  };
  for (const [i, re] of PORT_PATTERNS.entries()) {
    const named = i >= 4 && i <= 6;
    const property = i >= 8;
    for (const file of scan) {
      const lines = linesOf(file);
      for (let n = 0; n < lines.length; n++) {
        const l = lines[n]!;
        if (/^\s*(\/\/|\*|\/\*)/.test(l)) continue;
        const m = re.exec(l);
        if (!m) continue;
        const port = asPort(m[1] ?? m[2]);
        if (!port || BACKING_PORTS.has(port)) continue;
        const name = named ? /\b(?:const|let|var)\s+(\w+)|\b(\w+)\s*[:=]/.exec(l) : null;
        if (name && OTHER_PORT_NAME.test((name[1] ?? name[2] ?? ''))) continue;
        // `port:` inside a redis/db/proxy options object is that service's port.
        if (property && OTHER_CONTEXT.test(lines.slice(Math.max(0, n - 3), n + 1).join('\n'))) continue;
        return { port, fact: { file, line: n + 1, signal: `\`${clip(l.trim())}\``, kind: 'port' } };
      }
    }
  }
  return undefined;
}

/** `--port 4000`, `-p 4000`, `PORT=4000` in a start command. */
export function scriptPort(cmd: string | null | undefined): number | undefined {
  if (!cmd) return undefined;
  const m = /(?:--port[= ]|\s-p\s+|(?:^|\s)PORT=)["']?(\d{2,5})\b/.exec(cmd);
  return m ? asPort(m[1]) : undefined;
}

const HEALTH = '(?:healthz?|healthcheck|health-check|readyz?|readiness|livez?|liveness)';
const HEALTH_CODE: RegExp[] = [
  new RegExp(`\\.(?:get|all|head|route|on|use)\\(\\s*(?:["'\`]GET["'\`]\\s*,\\s*)?["'\`](/(?:api/)?${HEALTH})/?["'\`]`, 'i'),
  new RegExp(`\\b(?:url|path)\\s*:\\s*["'\`](/(?:api/)?${HEALTH})/?["'\`]`),
  new RegExp(`(?:url|pathname|path)\\s*(?:===?|\\.startsWith\\()\\s*["'\`](/(?:api/)?${HEALTH})/?["'\`]`),
  new RegExp(`case\\s+["'\`](/(?:api/)?${HEALTH})/?["'\`]\\s*:`),
  new RegExp(`@Controller\\(\\s*["'\`]/?((?:api/)?${HEALTH})/?["'\`]`),
  new RegExp(`@Get\\(\\s*["'\`]/?((?:api/)?${HEALTH})/?["'\`]`),
];

/** File-based routes (Next, Nuxt, SvelteKit, Remix, Astro, Fresh) whose path is a health endpoint. */
const HEALTH_FILES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [new RegExp(`^(?:src/)?app/(?:\\([^/)]+\\)/)*(api/)?(${HEALTH})/route\\.[jt]sx?$`), (m) => `/${m[1] ?? ''}${m[2]}`],
  [new RegExp(`^(?:src/)?pages/(api/)?(${HEALTH})(?:/index)?\\.[jt]sx?$`), (m) => `/${m[1] ?? ''}${m[2]}`],
  [new RegExp(`^server/(api|routes)/(${HEALTH})(?:\\.get)?\\.[jt]s$`), (m) => (m[1] === 'api' ? `/api/${m[2]}` : `/${m[2]}`)],
  [new RegExp(`^src/routes/(api/)?(${HEALTH})/\\+server\\.[jt]s$`), (m) => `/${m[1] ?? ''}${m[2]}`],
  [new RegExp(`^app/routes/(api[./])?(${HEALTH})\\.[jt]sx?$`), (m) => `/${m[1] ? 'api/' : ''}${m[2]}`],
  [new RegExp(`^routes/(api/)?(${HEALTH})\\.[jt]sx?$`), (m) => `/${m[1] ?? ''}${m[2]}`],
];

export function healthPath(source: SourceView, dir: string, files: string[]): { path: string; fact: Fact } | undefined {
  const hit = findInFiles(source, files, HEALTH_CODE, 150);
  if (hit?.match[1]) {
    const p = hit.match[1].startsWith('/') ? hit.match[1] : `/${hit.match[1]}`;
    return { path: p, fact: { file: hit.file, line: hit.line, signal: `health route \`${clip(hit.text)}\``, kind: 'usage' } };
  }
  for (const f of source.under(dir)) {
    const rel = dir === '.' ? f : f.slice(dir.length + 1);
    for (const [re, toPath] of HEALTH_FILES) {
      const m = re.exec(rel);
      if (m) return { path: toPath(m), fact: { file: f, signal: `health route file ${rel}`, kind: 'usage' } };
    }
  }
  return undefined;
}

/** A queue consumer or scheduled job: runs continuously without listening. */
export const WORKER_USAGE = /new\s+Worker\s*\(|\.process\(\s*(?:["'`]|async|\()|\.consume\(|\.subscribe\(|cron\.schedule\(|new\s+CronJob\(|\.run\(\s*\{\s*eachMessage/;
