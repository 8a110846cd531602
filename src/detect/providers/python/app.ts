/**
 * What the Python source itself says: which framework object is created where (`app = FastAPI()`),
 * the module path a server needs to import it, ports from `app.run(port=…)` or `PORT` defaults,
 * health routes, and connection URLs or Django engines that name backing services.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { backingFromUrl } from '../../backing.js';
import { inDir } from '../../provider.js';
import type { BackingKind } from '../../types.js';
import { healthRank, portsIn } from '../http-scan.js';

export type AppKind = 'fastapi' | 'flask' | 'flask-factory' | 'factory-call' | 'starlette' | 'fasthtml' | 'litestar' | 'quart' | 'sanic' | 'django-wsgi' | 'django-asgi';

export interface AppObject {
  kind: AppKind;
  file: string;
  line: number;
  /** Variable (or factory call) a server imports, e.g. "app" or "create_app()". */
  attr: string;
}

export interface Located {
  file: string;
  line: number;
  text: string;
}

export interface PyScan {
  files: string[];
  apps: AppObject[];
  /** Framework / server module → first import seen. */
  imports: Map<string, Located>;
  /** Files with an `if __name__ == "__main__":` block, and what that block starts. */
  mains: Array<Located & { runs: 'server' | 'script' }>;
  ports: Array<Located & { port: number; rank: number }>;
  health: Array<Located & { path: string; rank: number }>;
  backing: Array<{ kind: BackingKind; file: string; line: number; signal: string }>;
  /** An http.server / socketserver server is started. */
  stdlibServer?: Located;
  celery?: Located;
  staticRoot?: Located;
}

const SKIP_FILE = /(^|\/)(tests?|testing|migrations|docs?|alembic\/versions|node_modules|site-packages)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest|setup|noxfile|fabfile)\.py$/;

/** Python sources of a project, shallow first, not inside nested projects or test folders. */
export function pythonFiles(source: SourceView, dir: string, nested: string[], limit = 400): string[] {
  const prefix = dir === '.' ? '' : `${dir}/`;
  return source
    .under(dir)
    .filter((f) => f.endsWith('.py') && !SKIP_FILE.test(f.slice(prefix.length)) && !nested.some((n) => f.startsWith(`${n}/`)))
    .sort((a, b) => a.split('/').length - b.split('/').length || rankName(a) - rankName(b) || a.localeCompare(b))
    .slice(0, limit);
}

const ENTRY_NAMES = ['main.py', 'app.py', 'server.py', 'api.py', 'asgi.py', 'wsgi.py', 'application.py', 'run.py', 'manage.py', '__main__.py'];
function rankName(f: string): number {
  const i = ENTRY_NAMES.indexOf(path.posix.basename(f));
  return i < 0 ? ENTRY_NAMES.length : i;
}

const APP_PATTERNS: Array<[RegExp, AppKind]> = [
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:fastapi\.)?FastAPI\s*\(/, 'fastapi'],
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:flask\.)?Flask\s*\(/, 'flask'],
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:quart\.)?Quart\s*\(/, 'quart'],
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*(?:starlette\.applications\.)?Starlette\s*\(/, 'starlette'],
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*Litestar\s*\(/, 'litestar'],
  [/^(\w+)\s*(?::\s*\w+\s*)?=\s*Sanic\s*\(/, 'sanic'],
  [/^(\w+)\s*,\s*\w+\s*=\s*(?:fast_app|FastHTMLWithLiveReload)\s*\(/, 'fasthtml'],
  [/^(\w+)\s*=\s*(?:FastHTML|FastHTMLWithLiveReload)\s*\(/, 'fasthtml'],
  [/^(application|app)\s*=\s*get_wsgi_application\s*\(/, 'django-wsgi'],
  [/^(app|application|api)\s*=\s*(?:\w+\.)?(?:create_app|make_app|build_app|get_app|get_application|create_application)\s*\(/, 'factory-call'],
  [/^(application|app)\s*=\s*get_asgi_application\s*\(/, 'django-asgi'],
];

const IMPORTS: Array<[RegExp, string]> = [
  [/^\s*(?:from|import)\s+django\b/, 'django'],
  [/^\s*(?:from|import)\s+fastapi\b/, 'fastapi'],
  [/^\s*(?:from|import)\s+flask\b/, 'flask'],
  [/^\s*(?:from|import)\s+fasthtml\b/, 'fasthtml'],
  [/^\s*(?:from|import)\s+starlette\b/, 'starlette'],
  [/^\s*(?:from|import)\s+uvicorn\b/, 'uvicorn'],
  [/^\s*(?:from|import)\s+litestar\b/, 'litestar'],
  [/^\s*(?:from|import)\s+quart\b/, 'quart'],
  [/^\s*(?:from|import)\s+sanic\b/, 'sanic'],
  [/^\s*(?:from|import)\s+aiohttp\b/, 'aiohttp'],
  [/^\s*(?:from|import)\s+tornado\b/, 'tornado'],
  [/^\s*(?:from|import)\s+bottle\b/, 'bottle'],
  [/^\s*(?:from|import)\s+falcon\b/, 'falcon'],
  [/^\s*(?:from|import)\s+streamlit\b/, 'streamlit'],
  [/^\s*(?:from|import)\s+gradio\b/, 'gradio'],
  [/^\s*(?:from|import)\s+celery\b/, 'celery'],
  [/^\s*(?:from|import)\s+prometheus_client\b/, 'prometheus_client'],
  [/^\s*(?:from|import)\s+(?:http\.server|socketserver)\b/, 'http.server'],
];

const PORT_PATTERNS: Array<[RegExp, number]> = [
  // PORT read from the environment with a fallback: what the app does when nobody sets it.
  [/(?:environ\.get|getenv|env\.int|env\.str|config|env)\(\s*["'](?:[A-Z0-9_]*_)?PORT["']\s*,\s*(?:default\s*=\s*)?["']?(\d{2,5})\b/, 0],
  [/["'](?:[A-Z0-9_]*_)?PORT["']\s*\]?\)?\s*or\s*["']?(\d{2,5})\b/, 0],
  [/\.run(?:_app)?\s*\([^#]*?\bport\s*=\s*(\d{2,5})\b/, 1],
  [/\bserve\s*\([^#]*?\bport\s*=\s*(\d{2,5})\b/, 1],
  [/(?:HTTPServer|TCPServer|ThreadingHTTPServer|make_server)\s*\(\s*\(\s*["'][^"']*["']\s*,\s*(\d{2,5})\s*\)/, 1],
  [/^\s*bind\s*=\s*\[?\s*["'][^"':]*:(\d{2,5})["']/, 1],
  [/^\s*(?:PORT|port|SERVER_PORT|HTTP_PORT)\s*(?::\s*int\s*)?=\s*(\d{2,5})\s*(?:#.*)?$/, 2],
];

/** A port variable named for another service (`MAIL_PORT`, `REDIS_PORT`, `DB_PORT`): the port the app talks to, not the one it listens on. */
const OTHER_PORT_VAR = /["'](?:MAIL|SMTP|EMAIL|IMAP|POP3?|LDAP|FTP|SSH|DB|DATABASE|SQL|POSTGRES(?:QL)?|PG|MYSQL|MARIADB|MONGO(?:DB)?|REDIS|CACHE|MEMCACHED?|RABBITMQ|AMQP|BROKER|CELERY_BROKER|KAFKA|NATS|ELASTIC(?:SEARCH)?|ES|OPENSEARCH|MEILI(?:SEARCH)?|MINIO|S3|METRICS|PROMETHEUS|STATSD|SENTRY|DEBUG|DEBUGPY|PROXY)_PORT["']/i;

const ROUTE_PATTERNS: RegExp[] = [
  /@\w+\.(?:get|route|api_route|head|api|websocket_route)\s*\(\s*["'](\/[^"']*)["']/,
  /@(?:get|route|rt|app\.get)\s*\(\s*["'](\/[^"']*)["']/,
  /\b(?:Route|Mount|add_url_rule|add_api_route|add_get|add_route)\s*\(\s*["'](\/[^"']*)["']/,
  /\bweb\.get\s*\(\s*["'](\/[^"']*)["']/,
  /\b(?:re_)?path\s*\(\s*r?["']\^?([A-Za-z0-9_\-/]*?)\$?["']\s*,/,
  /\bpath\s*==\s*["'](\/[^"']*)["']/,
];

/** Reads each file once and records every signal the provider needs. */
export function scanPython(source: SourceView, files: string[]): PyScan {
  const scan: PyScan = { files, apps: [], imports: new Map(), mains: [], ports: [], health: [], backing: [] };
  for (const file of files) {
    const text = source.readText(file);
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    let inMain = -1;
    const routerPrefix = /APIRouter\s*\([^)]*prefix\s*=\s*["'](\/[^"']*)["']/.exec(text)?.[1] ?? /Blueprint\s*\([^)]*url_prefix\s*=\s*["'](\/[^"']*)["']/.exec(text)?.[1] ?? '';
    const isDjangoUrls = path.posix.basename(file) === 'urls.py';
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i] ?? '';
      const l = raw.trim();
      if (l.startsWith('#') || l === '') continue;
      const at = { file, line: i + 1, text: l.length > 120 ? `${l.slice(0, 119)}…` : l };
      // Cheap guards first: most lines are none of these, and big projects have many lines.
      if (/^\s*(?:from|import)\s/.test(raw)) for (const [re, mod] of IMPORTS) if (!scan.imports.has(mod) && re.test(raw)) scan.imports.set(mod, at);
      if (/^\S/.test(raw)) {
        for (const [re, kind] of APP_PATTERNS) {
          const m = re.exec(raw);
          if (m?.[1]) scan.apps.push({ kind, file, line: i + 1, attr: m[1] });
        }
        const factory = /^def\s+(create_app|make_app|build_app|get_app)\s*\(/.exec(raw);
        if (factory?.[1] && /\bFlask\s*\(|\bQuart\s*\(|\bFastAPI\s*\(/.test(text)) {
          const kind: AppKind = /\bFastAPI\s*\(/.test(text) ? 'fastapi' : 'flask-factory';
          scan.apps.push({ kind, file, line: i + 1, attr: `${factory[1]}()` });
        }
        if (/^if\s+__name__\s*==\s*["']__main__["']\s*:/.test(raw)) inMain = i;
        else if (inMain >= 0 && !/^(if|else|elif)\b/.test(raw)) inMain = -1;
      }
      if (inMain >= 0 && i > inMain) {
        const runs = /\b(uvicorn\.run|\w+\.run\s*\(|serve\s*\(|run_app\s*\(|serve_forever\s*\(|run_simple\s*\(|main\s*\(|asyncio\.run\s*\()/.test(raw);
        if (runs && !scan.mains.some((m) => m.file === file)) scan.mains.push({ ...at, line: inMain + 1, runs: /\b(uvicorn\.run|\.run\s*\(|serve\s*\(|run_app|serve_forever|run_simple)/.test(raw) ? 'server' : 'script' });
      }
      if (!scan.stdlibServer && /\b(?:ThreadingHTTPServer|HTTPServer|TCPServer|ThreadingTCPServer|make_server)\s*\(/.test(raw)) scan.stdlibServer = at;
      if (!scan.celery && /\bCelery\s*\(/.test(raw)) scan.celery = at;
      if (!scan.staticRoot && /^\s*STATIC_ROOT\s*=/.test(raw)) scan.staticRoot = at;
      if (/\d\d/.test(raw) && !OTHER_PORT_VAR.test(raw)) for (const hit of portsIn(raw, PORT_PATTERNS)) scan.ports.push({ ...at, ...hit });
      const routeLike = /["']\/|path\s*\(/.test(raw);
      if (routeLike) for (const re of ROUTE_PATTERNS) {
        const m = re.exec(raw);
        if (m?.[1] === undefined) continue;
        let p = m[1];
        const django = re.source.startsWith('\\b(?:re_)?path');
        if (django) {
          if (!isDjangoUrls) continue;
          p = `/${p}`;
        } else if (routerPrefix && /^@\w+\./.test(l)) p = `${routerPrefix}${p}`.replace(/\/\/+/g, '/');
        const rank = healthRank(p);
        if (rank >= 0) scan.health.push({ ...at, path: p, rank });
      }
      const lit = routeLike ? /["'](\/(?:health|healthz|healthcheck|ping|livez|readyz)\/?)["']/.exec(raw) : null;
      if (lit?.[1] && !ROUTE_PATTERNS.some((re) => re.test(raw))) scan.health.push({ ...at, path: lit[1], rank: healthRank(lit[1]) + 10 });
      if (raw.includes('://') || raw.includes('django') || raw.includes('_redis')) backingIn(raw, at, scan);
    }
  }
  return scan;
}

const ENGINE: Record<string, BackingKind | null> = { postgresql: 'postgres', postgresql_psycopg2: 'postgres', postgis: 'postgres', mysql: 'mysql', sqlite3: null, oracle: null };

function backingIn(raw: string, at: Located, scan: PyScan): void {
  const add = (kind: BackingKind, signal: string) => {
    if (!scan.backing.some((b) => b.kind === kind)) scan.backing.push({ kind, file: at.file, line: at.line, signal });
  };
  const eng = /["']django\.(?:contrib\.gis\.)?db\.backends\.(\w+)["']/.exec(raw);
  if (eng?.[1]) {
    const kind = ENGINE[eng[1]];
    if (kind) add(kind, `Django ENGINE \`django.db.backends.${eng[1]}\``);
  }
  if (/["']django\.core\.cache\.backends\.redis\.RedisCache["']|["']django_redis\.cache\.RedisCache["']/.test(raw)) add('redis', 'Django cache backend RedisCache');
  if (/["']django\.core\.cache\.backends\.memcached\.\w+["']/.test(raw)) add('memcached', 'Django cache backend memcached');
  if (/["']channels_redis\.core\.RedisChannelLayer["']/.test(raw)) add('redis', 'channels_redis layer');
  for (const m of raw.matchAll(/["']([a-z][a-z0-9]*)(\+[a-z0-9]+)?:\/\/[^"'\s]*["']/gi)) {
    const scheme = m[1]!.toLowerCase();
    const kind = backingFromUrl(`${scheme}://x`);
    if (kind) add(kind, `${scheme}${m[2] ?? ''}:// URL`);
  }
}

/**
 * The folder a server must import from and the dotted module of `file`: a package (folder with
 * `__init__.py`, or one the file imports by name) belongs to the module path; the first folder
 * that is neither is the import root (`src/app/main.py` → root `src`, module `app.main`).
 */
export function moduleOf(source: SourceView, projectDir: string, file: string): { root: string; module: string } {
  const text = source.readText(file) ?? '';
  let d = path.posix.dirname(file);
  const stop = projectDir;
  while (d !== stop && d !== '.') {
    const name = path.posix.basename(d);
    const isPkg = source.has(inDir(d, '__init__.py'));
    const importedByName = name !== 'src' && new RegExp(`^\\s*(?:from|import)\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[.\\s]`, 'm').test(text);
    if (!isPkg && !importedByName) break;
    d = path.posix.dirname(d);
  }
  const rootRel = d === stop ? '.' : relTo(stop, d);
  const rel = relTo(d, file).replace(/\.py$/, '');
  const module = rel.split('/').filter((p) => p !== '__init__').join('.');
  return { root: rootRel, module };
}

/** `p` relative to folder `base` (both root-relative posix paths, `p` inside `base`). */
export function relTo(base: string, p: string): string {
  if (base === '.' || base === '') return p;
  if (p === base) return '.';
  return p.startsWith(`${base}/`) ? p.slice(base.length + 1) : p;
}
