/**
 * PHP: Composer projects (Laravel, Symfony, anything with a front controller) and plain
 * `index.php` sites without Composer. The production image serves PHP through a web server on
 * 8080; `php artisan serve` (8000) is only the development server. Backing services come from
 * Composer packages and from the database/cache/queue settings of the committed env example.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency, backingFromUrl } from '../backing.js';
import { parseEnvText, type EnvEntry } from '../env-files.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { BackingKind } from '../types.js';
import { lineIn, sourceTexts } from '../readers.js';

const PROD_PORT = 8080;
const INSTALL = 'composer install --no-dev --optimize-autoloader --no-interaction';

interface Composer {
  name?: string;
  require?: Record<string, string>;
  config?: { platform?: Record<string, string> };
}

export const phpProvider: Provider = {
  name: 'php',
  detect(source: SourceView): Candidate[] {
    const out: Candidate[] = [];
    for (const file of source.manifests('composer.json')) {
      const dir = path.posix.dirname(file);
      out.push(composerProject(source, dir, file));
    }
    for (const file of source.manifests('index.php')) {
      const dir = path.posix.dirname(file);
      const appDir = path.posix.basename(dir) === 'public' ? path.posix.dirname(dir) : dir;
      if (out.some((c) => isUnder(appDir, c.path) || isUnder(dir, c.path))) continue;
      out.push(plain(source, appDir, file));
    }
    return out;
  },
};

function isUnder(p: string, dir: string): boolean {
  return dir === '.' || p === dir || p.startsWith(`${dir}/`);
}

/** ">=8.2" → "8.2", "^8.1" → "8.1", "^7.4|^8.0" → "8.0" (the newest alternative), "8.2.*" → "8.2". */
export function phpVersion(constraint: string): string | undefined {
  const alts = constraint.split('|').map((s) => s.trim()).filter(Boolean);
  const versions = alts.map((a) => /(\d+(?:\.\d+)?)/.exec(a)?.[1]).filter((v): v is string => !!v);
  versions.sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1] ?? 0) - Number(b.split('.')[1] ?? 0));
  const v = versions[versions.length - 1];
  return v === undefined ? undefined : v.includes('.') ? v : `${v}.0`;
}

function composerProject(source: SourceView, dir: string, file: string): Candidate {
  const parsed = source.readJson<Composer>(file);
  const facts: Fact[] = [{ file, signal: 'composer.json', kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'php', packageManager: 'composer', facts });
  const composer = parsed.value && typeof parsed.value === 'object' ? parsed.value : {};
  if (typeof composer.name === 'string') c.name = composer.name.split('/').pop()!;
  const lockFile = inDir(dir, 'composer.lock');
  if (source.has(lockFile)) facts.push({ file: lockFile, signal: 'composer.lock', kind: 'lockfile' });
  const require = composer.require && typeof composer.require === 'object' ? composer.require : {};
  const lineOf = (pkg: string) => source.lineOf(file, `"${pkg}"`);
  const at = (pkg: string) => (lineOf(pkg) ? { line: lineOf(pkg)! } : {});

  const platform = composer.config?.platform?.php;
  const php = typeof platform === 'string' ? platform.split('.').slice(0, 2).join('.') : typeof require.php === 'string' ? phpVersion(require.php) : undefined;
  if (php) {
    c.runtimeVersion = php;
    facts.push({ file, ...at(typeof platform === 'string' ? 'platform' : 'php'), signal: `php ${typeof platform === 'string' ? platform : require.php}`, kind: 'version' });
  }
  c.commands.install = INSTALL;
  const backing: BackingUse[] = [];
  for (const pkg of Object.keys(require)) {
    const kind = backingFromDependency('composer', pkg);
    // doctrine/dbal talks to any SQL database; the env settings name the right one.
    if (kind && pkg !== 'doctrine/dbal' && !backing.some((b) => b.kind === kind)) backing.push({ kind, evidence: { file, ...at(pkg), signal: `dependency \`${pkg}\`` } });
  }
  const env = envEntries(source, dir);
  const artisan = inDir(dir, 'artisan');
  const laravel = require['laravel/framework'] ?? require['laravel/lumen-framework'];
  const isLaravel = laravel !== undefined || source.has(artisan);
  // Laravel's skeleton lists REDIS_HOST, MEMCACHED_HOST and every database's port whatever it uses;
  // its selectors (DB_CONNECTION=sqlite, CACHE_STORE=database, …) say what runs.
  const selected = isLaravel && env.some((e) => LARAVEL_SELECTOR.test(e.key));
  const fromEnv = envBacking(env, { hostsCount: !selected });
  c.backing = [...fromEnv, ...backing.filter((b) => !fromEnv.some((e) => e.kind === b.kind))];
  if (selected) c.backingSelected = true;

  if (isLaravel) {
    c.framework = 'laravel';
    facts.push(laravel !== undefined ? { file, ...at('laravel/framework'), signal: 'dependency `laravel/framework`', kind: 'framework' } : { file: artisan, signal: 'artisan', kind: 'framework' });
    if (source.has(artisan)) facts.push({ file: artisan, signal: 'artisan', kind: 'entrypoint' });
    c.port = PROD_PORT;
    c.healthPath = laravelHealth(source, dir, lockedMajor(source, lockFile, 'laravel/framework') ?? (laravel ? Number(phpVersion(laravel)?.split('.')[0]) : undefined), facts);
    if (source.has(inDir(dir, 'package.json')) && source.has(inDir(dir, 'vite.config.js'))) c.commands.build = 'npm ci && npm run build';
    return c;
  }
  const console = inDir(dir, 'bin/console');
  const fwBundle = require['symfony/framework-bundle'];
  if (fwBundle !== undefined) {
    c.framework = 'symfony';
    facts.push({ file, ...at('symfony/framework-bundle'), signal: 'dependency `symfony/framework-bundle`', kind: 'framework' });
    if (source.has(console)) facts.push({ file: console, signal: 'bin/console', kind: 'entrypoint' });
    c.port = PROD_PORT;
    c.healthPath = codeHealth(source, dir, facts);
    return c;
  }
  const front = ['public/index.php', 'index.php', 'web/index.php', 'src/index.php'].map((f) => inDir(dir, f)).find((f) => source.has(f));
  if (front) {
    facts.push({ file: front, signal: `front controller ${path.posix.relative(dir, front)}`, kind: 'entrypoint' });
    c.port = PROD_PORT;
    c.healthPath = codeHealth(source, dir, facts);
    return c;
  }
  // A Composer package with no front controller is a library (or a CLI tool).
  c.role = 'library';
  return c;
}

function plain(source: SourceView, dir: string, index: string): Candidate {
  const facts: Fact[] = [{ file: index, signal: path.posix.relative(dir, index), kind: 'entrypoint' }];
  const c = candidate({ path: dir, language: 'php', packageManager: null, facts, port: PROD_PORT });
  const text = source.readText(index) ?? '';
  if (/<\?php|<\?=/.test(text)) facts.push({ file: index, ...(lineIn(text, /<\?(php|=)/) ? { line: lineIn(text, /<\?(php|=)/)! } : {}), signal: 'PHP code', kind: 'usage' });
  const db = pdoBacking(source, dir);
  if (db) c.backing.push(db);
  return c;
}

/** `new PDO("pgsql:…")` / `mysqli_connect` in plain PHP sources. */
function pdoBacking(source: SourceView, dir: string): BackingUse | undefined {
  for (const { file, text } of sourceTexts(source, source.glob(['*.php', 'src/**/*.php', 'includes/*.php', 'config/*.php'], dir), 60)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      const kind: BackingKind | undefined = /["']pgsql:/.test(l) ? 'postgres' : /["']mysql:|mysqli_connect|new\s+mysqli\b/.test(l) ? 'mysql' : /new\s+(Predis\\Client|Redis)\s*\(/.test(l) ? 'redis' : undefined;
      if (kind) return { kind, evidence: { file, line: i + 1, signal: l.trim().slice(0, 100) } };
    }
  }
  return undefined;
}

function envEntries(source: SourceView, dir: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const name of ['.env.example', '.env.dist', '.env']) {
    const file = inDir(dir, name);
    const text = source.has(file) ? source.readText(file) : undefined;
    if (text !== undefined) out.push(...parseEnvText(text, file));
    if (out.length > 0) break;
  }
  return out;
}

const DB_CONNECTION: Readonly<Record<string, BackingKind>> = { pgsql: 'postgres', postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mariadb', mongodb: 'mongodb', sqlsrv: 'mysql' };

/** Laravel's settings that choose a driver; the other keys of its env files configure drivers that may be unused. */
const LARAVEL_SELECTOR = /^(DB_CONNECTION|QUEUE_CONNECTION|CACHE_DRIVER|CACHE_STORE|SESSION_DRIVER|BROADCAST_DRIVER|BROADCAST_CONNECTION)$/;

/**
 * Laravel/Symfony env settings that choose a backing service. `hostsCount`: whether a bare REDIS_HOST
 * is a use (not when Laravel's selectors say which drivers run).
 */
function envBacking(entries: EnvEntry[], options: { hostsCount: boolean }): BackingUse[] {
  const out: BackingUse[] = [];
  const add = (kind: BackingKind, e: EnvEntry) => {
    if (!out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file: e.file, line: e.line, signal: `${e.key}=${e.value}` } });
  };
  for (const e of entries) {
    const v = e.value.toLowerCase();
    if (e.key === 'DB_CONNECTION' && DB_CONNECTION[v] && v !== 'sqlsrv') add(DB_CONNECTION[v]!, e);
    else if (/^(QUEUE_CONNECTION|CACHE_DRIVER|CACHE_STORE|SESSION_DRIVER|BROADCAST_DRIVER|BROADCAST_CONNECTION)$/.test(e.key) && v === 'redis') add('redis', e);
    else if (/^(QUEUE_CONNECTION|CACHE_DRIVER|CACHE_STORE|SESSION_DRIVER)$/.test(e.key) && v === 'memcached') add('memcached', e);
    else if (e.key === 'REDIS_HOST' && v !== '' && options.hostsCount) add('redis', e);
    else if (/^(DATABASE_URL|MESSENGER_TRANSPORT_DSN|REDIS_URL|MONGODB_URL|MONGODB_URI)$/.test(e.key)) {
      const kind = backingFromUrl(e.value.replace(/^pgsql:/, 'postgresql:'));
      if (kind) add(kind, e);
    }
  }
  return out;
}

function lockedMajor(source: SourceView, lockFile: string, pkg: string): number | undefined {
  if (!source.has(lockFile)) return undefined;
  const lock = source.readJson<{ packages?: Array<{ name?: string; version?: string }> }>(lockFile).value;
  const v = lock?.packages?.find((p) => p.name === pkg)?.version;
  const m = v ? /(\d+)/.exec(v)?.[1] : undefined;
  return m ? Number(m) : undefined;
}

/** Laravel 11+ registers `health: '/up'` in bootstrap/app.php; older apps have a route if any. */
function laravelHealth(source: SourceView, dir: string, major: number | undefined, facts: Fact[]): string | null {
  const file = inDir(dir, 'bootstrap/app.php');
  const text = source.readText(file);
  const line = text ? lineIn(text, /health:\s*['"]\/?[^'"]*['"]/) : undefined;
  if (text && line) {
    const p = /health:\s*['"]\/?([^'"]*)['"]/.exec(text.split('\n')[line - 1] ?? '')?.[1] ?? 'up';
    facts.push({ file, line, signal: `health: '/${p}'`, kind: 'usage' });
    return `/${p}`;
  }
  if (major !== undefined && major >= 11 && text && /withRouting\s*\(/.test(text)) return '/up';
  return codeHealth(source, dir, facts);
}

function codeHealth(source: SourceView, dir: string, facts: Fact[]): string | null {
  const files = source.glob(['routes/*.php', 'src/Controller/**/*.php', 'config/routes.yaml', 'public/index.php', 'index.php', 'src/*.php'], dir);
  for (const { file, text } of sourceTexts(source, files, 60)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /(?:Route::get\(|#\[Route\(|->get\(|path:\s*)\s*['"](\/(?:health|healthz|healthcheck|up|ping|_health))['"]/.exec(lines[i] ?? '');
      if (m?.[1]) {
        facts.push({ file, line: i + 1, signal: `health route ${m[1]}`, kind: 'usage' });
        return m[1];
      }
    }
  }
  return null;
}
