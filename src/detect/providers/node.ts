/**
 * Node.js and Bun projects: every package.json outside dependency, test and example folders.
 * A package is a service when it runs a server (a server framework used in source, an SSR meta
 * framework, or a start script / main file that listens), static when it builds to files (SPA or
 * static export), a worker when it starts without listening, and a library otherwise. Workspace
 * members inherit the root's package manager, lockfile and runtime pin.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type LinkHint, type Provider, type Role } from '../provider.js';
import type { Framework, Language, PackageManager } from '../types.js';
import { upTo, versionFilePin } from './jvm/util.js';
import { clip, findInFiles, healthRoute, runtimePin, sourcesUnder } from './others-util.js';

interface PackageJson {
  name?: unknown;
  main?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
  peerDependencies?: Record<string, unknown>;
  workspaces?: unknown;
  packageManager?: unknown;
  engines?: { node?: unknown; bun?: unknown };
  volta?: { node?: unknown };
  proxy?: unknown;
  private?: unknown;
}

interface Pkg {
  dir: string;
  file: string;
  json: PackageJson;
}

const JS_EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx'];

/** Meta frameworks first: they also declare react/vite/express, and they decide how the app runs. */
const FRAMEWORKS: ReadonlyArray<{ id: Framework; deps: RegExp; server: boolean }> = [
  { id: 'nextjs', deps: /^next$/, server: true },
  { id: 'nuxt', deps: /^nuxt3?$/, server: true },
  { id: 'remix', deps: /^@remix-run\/(node|serve|express|react|dev)$/, server: true },
  { id: 'react-router', deps: /^@react-router\/(dev|node|serve)$/, server: true },
  { id: 'tanstack-start', deps: /^@tanstack\/(react-|solid-)?start$/, server: true },
  { id: 'sveltekit', deps: /^@sveltejs\/kit$/, server: true },
  { id: 'astro', deps: /^astro$/, server: true },
  { id: 'angular', deps: /^@angular\/core$/, server: false },
  { id: 'expo', deps: /^expo$/, server: false },
  { id: 'create-react-app', deps: /^react-scripts$/, server: false },
  { id: 'nestjs', deps: /^@nestjs\/core$/, server: true },
  { id: 'fastify', deps: /^fastify$/, server: true },
  { id: 'koa', deps: /^koa$/, server: true },
  { id: 'hono', deps: /^hono$/, server: true },
  { id: 'express', deps: /^express$/, server: true },
  { id: 'vite', deps: /^vite$/, server: false },
];

/** Server frameworks whose use must be seen in source (import/require), not only declared. */
const USAGE: Partial<Record<Framework, RegExp>> = {
  express: /(?:require\(\s*|from\s+|import\s+)["']express["']/,
  fastify: /(?:require\(\s*|from\s+|import\s+)["']fastify["']/,
  koa: /(?:require\(\s*|from\s+|import\s+)["']koa["']/,
  hono: /(?:require\(\s*|from\s+|import\s+)["']hono["']/,
  nestjs: /from\s+["']@nestjs\/core["']|NestFactory/,
};

const DEFAULT_PORTS: Partial<Record<Framework, number>> = {
  nextjs: 3000, nuxt: 3000, remix: 3000, 'react-router': 3000, 'tanstack-start': 3000, sveltekit: 3000, astro: 4321,
  nestjs: 3000, express: 3000, fastify: 3000, koa: 3000, hono: 3000, expo: 8081,
};

const LISTEN_PATTERNS: RegExp[] = [
  /\.listen\(\s*(\d{2,5})\b/,
  /\.listen\(\s*(?:process\.env\.PORT|Number\(process\.env\.PORT\)|parseInt\(process\.env\.PORT[^)]*\))\s*(?:\|\||\?\?)\s*["']?(\d{2,5})/,
  /\bPORT\b[^=\n]{0,40}=\s*(?:[^;\n]{0,60}?(?:\|\||\?\?)\s*)["']?(\d{2,5})["']?/,
  /\bport\s*[:=]\s*(?:[^,\n}]{0,60}?(?:\|\||\?\?)\s*)?["']?(\d{2,5})["']?\s*[,}\n]/,
  /Bun\.serve\(\s*\{[^}]*port\s*:\s*(\d{2,5})/,
];

const SERVER_CALL = /\b(?:createServer|\.listen\(|Bun\.serve\(|serve\(\s*\{|NestFactory\.create)/;
const QUEUE_DEPS = /^(bullmq|bull|bee-queue|kafkajs|amqplib|agenda|node-cron|@temporalio\/worker|graphile-worker|pg-boss)$/;

function depsOf(json: PackageJson, dev: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (r: unknown) => {
    if (r && typeof r === 'object') for (const [k, v] of Object.entries(r)) out[k] = String(v);
  };
  add(json.dependencies);
  add(json.optionalDependencies);
  if (dev) add(json.devDependencies);
  return out;
}

function scriptsOf(json: PackageJson): Record<string, string> {
  const out: Record<string, string> = {};
  if (json.scripts && typeof json.scripts === 'object') for (const [k, v] of Object.entries(json.scripts)) if (typeof v === 'string') out[k] = v;
  return out;
}

function workspacePatterns(source: SourceView, pkg: Pkg): { patterns: string[]; fact?: Fact } {
  const ws = pkg.json.workspaces;
  const list = Array.isArray(ws) ? ws : ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages) ? (ws as { packages: unknown[] }).packages : [];
  const patterns = list.filter((x): x is string => typeof x === 'string');
  if (patterns.length > 0) return { patterns, fact: { file: pkg.file, line: source.lineOf(pkg.file, '"workspaces"'), signal: `workspaces ${clip(patterns.join(', '), 60)}`, kind: 'heuristic' } };
  const pnpm = inDir(pkg.dir, 'pnpm-workspace.yaml');
  if (source.has(pnpm)) {
    const { value } = source.readYaml<{ packages?: unknown }>(pnpm);
    const p = Array.isArray(value?.packages) ? value.packages.filter((x): x is string => typeof x === 'string' && !x.startsWith('!')) : [];
    if (p.length > 0) return { patterns: p, fact: { file: pnpm, signal: `pnpm workspace ${clip(p.join(', '), 60)}`, kind: 'heuristic' } };
  }
  return { patterns: [] };
}

interface PmInfo {
  pm: PackageManager;
  berry: boolean;
  lockfile?: string;
  fact?: Fact;
  lockFact?: Fact;
}

/** The package manager: the `packageManager` field wins, then the nearest lockfile up to the root. */
function packageManagerOf(source: SourceView, pkg: Pkg, root: Pkg | undefined): PmInfo {
  const field = [pkg.json.packageManager, root?.json.packageManager].find((x): x is string => typeof x === 'string');
  let lock: { file: string; pm: PackageManager } | undefined;
  for (const d of upTo(pkg.dir)) {
    for (const [name, pm] of [['pnpm-lock.yaml', 'pnpm'], ['yarn.lock', 'yarn'], ['bun.lockb', 'bun'], ['bun.lock', 'bun'], ['package-lock.json', 'npm'], ['npm-shrinkwrap.json', 'npm']] as const) {
      if (source.has(inDir(d, name))) {
        lock = { file: inDir(d, name), pm };
        break;
      }
    }
    if (lock) break;
  }
  const lockFact: Fact | undefined = lock ? { file: lock.file, signal: `lockfile ${path.posix.basename(lock.file)}`, kind: 'lockfile' } : undefined;
  let pm: PackageManager = lock?.pm ?? 'npm';
  let fact: Fact | undefined;
  const m = field ? /^(npm|pnpm|yarn|bun)@(\S+)/.exec(field) : null;
  if (m?.[1]) {
    pm = m[1] as PackageManager;
    const file = typeof pkg.json.packageManager === 'string' ? pkg.file : root!.file;
    fact = { file, line: source.lineOf(file, '"packageManager"'), signal: `packageManager ${field}`, kind: 'lockfile' };
  }
  const berry = pm === 'yarn' && ((m?.[1] === 'yarn' && !/^1\./.test(m[2] ?? '')) || upTo(pkg.dir).some((d) => source.has(inDir(d, '.yarnrc.yml'))) || (lock?.pm === 'yarn' && /__metadata:/.test(source.readText(lock.file)?.slice(0, 2000) ?? '')));
  const out: PmInfo = { pm, berry };
  if (lock) out.lockfile = lock.file;
  if (fact) out.fact = fact;
  if (lockFact) out.lockFact = lockFact;
  return out;
}

/** "20", ">=18 <21", "^20.11.1", "lts/iron", "v20.11.1" → a major (or exact) version and how it was read. */
export function normalizeNodeVersion(raw: string): { version: string; note?: string } | undefined {
  const v = raw.trim().replace(/^v/, '');
  const LTS: Record<string, string> = { argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24' };
  const lts = /^lts\/(\*|[a-z]+)$/i.exec(v);
  if (lts?.[1]) {
    const name = lts[1].toLowerCase();
    return name === '*' ? { version: '22', note: 'lts/* taken as the current LTS, 22' } : LTS[name] ? { version: LTS[name]!, note: `lts/${name}` } : undefined;
  }
  if (/^\d+(\.\d+){0,2}$/.test(v)) return { version: v.split('.').length === 3 ? v : v.split('.')[0]! };
  const nums = [...v.matchAll(/(\d+)(?:\.\d+){0,2}/g)].map((x) => Number(x[1]));
  if (nums.length === 0) return undefined;
  const lowest = Math.min(...nums.filter((n) => n >= 4));
  if (!Number.isFinite(lowest)) return undefined;
  return { version: String(lowest), note: `lowest major satisfying "${raw.trim()}"` };
}

function runtimeVersionOf(source: SourceView, pkg: Pkg, root: Pkg | undefined): { version: string; fact: Fact } | undefined {
  for (const name of ['.nvmrc', '.node-version']) {
    const pin = versionFilePin(source, pkg.dir, name);
    if (pin) {
      const n = normalizeNodeVersion(pin.version);
      if (n) return { version: n.version, fact: { file: pin.file, ...(pin.line ? { line: pin.line } : {}), signal: `${name} ${pin.version}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
    }
  }
  const pin = runtimePin(source, pkg.dir, ['nodejs', 'node']);
  if (pin) {
    const n = normalizeNodeVersion(pin.version);
    if (n) return { version: n.version, fact: { file: pin.file, ...(pin.line ? { line: pin.line } : {}), signal: `node ${pin.version}`, kind: 'version' } };
  }
  for (const p of [pkg, root]) {
    if (!p) continue;
    for (const [raw, label, needle] of [[p.json.volta?.node, 'volta.node', '"volta"'], [p.json.engines?.node, 'engines.node', '"node"']] as const) {
      if (typeof raw !== 'string') continue;
      const n = normalizeNodeVersion(raw);
      if (n) return { version: n.version, fact: { file: p.file, line: source.lineOf(p.file, needle), signal: `${label} ${raw}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
    }
  }
  return undefined;
}

function readConfig(source: SourceView, dir: string, base: string): { file: string; text: string } | undefined {
  for (const ext of ['.ts', '.mjs', '.js', '.cjs', '.mts']) {
    const file = inDir(dir, `${base}${ext}`);
    if (source.has(file)) {
      const text = source.readText(file);
      if (text !== undefined) return { file, text };
    }
  }
  return undefined;
}

/** Does the framework build to static files (served by a web server) rather than run a server? */
function staticOutput(source: SourceView, dir: string, fw: Framework, deps: Record<string, string>): { dir: string; fact: Fact } | undefined {
  const f = (file: string, signal: string, line?: number): Fact => ({ file, ...(line ? { line } : {}), signal, kind: 'framework' });
  switch (fw) {
    case 'vite':
      return { dir: 'dist', fact: f(inDir(dir, 'package.json'), 'vite SPA build (no server framework): static output in dist') };
    case 'create-react-app':
      return { dir: 'build', fact: f(inDir(dir, 'package.json'), 'create-react-app build: static output in build') };
    case 'angular': {
      if (deps['@angular/ssr'] || deps['@nguniversal/express-engine']) return undefined;
      const ng = source.readJson<{ defaultProject?: string; projects?: Record<string, { architect?: { build?: { options?: { outputPath?: unknown } } } }> }>(inDir(dir, 'angular.json')).value;
      const first = ng?.projects ? Object.entries(ng.projects)[0] : undefined;
      const out = first?.[1].architect?.build?.options?.outputPath;
      const major = Number(/(\d+)/.exec(deps['@angular/core'] ?? '')?.[1] ?? 0);
      const base = typeof out === 'string' ? out : first ? `dist/${first[0]}` : 'dist';
      return { dir: major >= 17 && typeof out !== 'object' ? `${base}/browser` : base, fact: f(inDir(dir, 'angular.json'), 'Angular app without SSR: static output') };
    }
    case 'astro': {
      if (Object.keys(deps).some((d) => d.startsWith('@astrojs/') && /node|vercel|netlify|cloudflare|deno/.test(d))) return undefined;
      const cfg = readConfig(source, dir, 'astro.config');
      if (cfg && /output\s*:\s*["'](server|hybrid)["']/.test(cfg.text)) return undefined;
      return { dir: 'dist', fact: f(cfg?.file ?? inDir(dir, 'package.json'), 'Astro without a server adapter: static output in dist') };
    }
    case 'nextjs': {
      const cfg = readConfig(source, dir, 'next.config');
      const line = cfg ? source.lineOf(cfg.file, /output\s*:\s*["']export["']/) : undefined;
      return cfg && line ? { dir: 'out', fact: f(cfg.file, "next output: 'export' (static export)", line) } : undefined;
    }
    case 'nuxt': {
      const cfg = readConfig(source, dir, 'nuxt.config');
      const line = cfg ? source.lineOf(cfg.file, /ssr\s*:\s*false/) : undefined;
      return cfg && line ? { dir: '.output/public', fact: f(cfg.file, 'nuxt ssr: false (generated static site)', line) } : undefined;
    }
    case 'sveltekit':
      return deps['@sveltejs/adapter-static'] ? { dir: 'build', fact: f(inDir(dir, 'package.json'), 'SvelteKit adapter-static: static output in build') } : undefined;
    default:
      return undefined;
  }
}

function frameworkStart(fw: Framework, deps: Record<string, string>): string | null {
  switch (fw) {
    case 'nextjs':
      return 'next start';
    case 'nuxt':
      return 'node .output/server/index.mjs';
    case 'sveltekit':
      return deps['@sveltejs/adapter-node'] ? 'node build' : null;
    case 'remix':
      return 'remix-serve ./build/server/index.js';
    case 'react-router':
      return 'react-router-serve ./build/server/index.js';
    case 'astro':
      return 'node ./dist/server/entry.mjs';
    case 'nestjs':
      return 'node dist/main.js';
    case 'tanstack-start':
      return 'node .output/server/index.mjs';
    default:
      return null;
  }
}

const DEV_RUNNERS = /^\s*(nodemon|ts-node-dev|tsx\s+watch|node\s+--watch|vite(\s|$)|next\s+dev|nuxt\s+dev|react-scripts\s+start|ng\s+serve|expo\s+start|astro\s+dev|remix\s+dev|webpack(-dev-server|\s+serve))/;

function installCommand(pm: PmInfo): string {
  switch (pm.pm) {
    case 'pnpm':
      return pm.lockfile ? 'pnpm install --frozen-lockfile' : 'pnpm install';
    case 'yarn':
      return pm.berry ? 'yarn install --immutable' : pm.lockfile ? 'yarn install --frozen-lockfile' : 'yarn install';
    case 'bun':
      return pm.lockfile ? 'bun install --frozen-lockfile' : 'bun install';
    default:
      return pm.lockfile ? 'npm ci' : 'npm install';
  }
}

function buildCommand(pm: PmInfo, name: string | undefined, member: boolean): string {
  if (!member || !name) return pm.pm === 'npm' ? 'npm run build' : pm.pm === 'bun' ? 'bun run build' : `${pm.pm} run build`;
  switch (pm.pm) {
    case 'pnpm':
      return `pnpm --filter ${name} run build`;
    case 'yarn':
      return `yarn workspace ${name} run build`;
    case 'bun':
      return `bun run --filter ${name} build`;
    default:
      return `npm run build -w ${name}`;
  }
}

function proxyLinks(source: SourceView, pkg: Pkg): LinkHint[] {
  const out: LinkHint[] = [];
  if (typeof pkg.json.proxy === 'string' && /^https?:\/\//.test(pkg.json.proxy)) {
    out.push({ url: pkg.json.proxy, evidence: { file: pkg.file, line: source.lineOf(pkg.file, '"proxy"'), signal: `dev proxy ${pkg.json.proxy}` } });
  }
  for (const base of ['vite.config', 'next.config', 'vue.config', 'svelte.config']) {
    const cfg = readConfig(source, pkg.dir, base);
    if (!cfg) continue;
    const lines = cfg.text.split('\n');
    lines.forEach((l, i) => {
      const m = /["'`](https?:\/\/(?:localhost|127\.0\.0\.1|[a-z][a-z0-9-]*)(?::\d+)?)[^"'`]*["'`]/.exec(l);
      if (m?.[1] && /target|destination|proxy|["'`]\/api/.test(l + (lines[i - 1] ?? ''))) out.push({ url: m[1], evidence: { file: cfg.file, line: i + 1, signal: `dev proxy to ${m[1]}` } });
    });
  }
  return out;
}

function prismaBacking(source: SourceView, dir: string): BackingUse[] {
  const schema = [inDir(dir, 'prisma/schema.prisma'), inDir(dir, 'schema.prisma')].find((f) => source.has(f));
  if (!schema) return [];
  const text = source.readText(schema) ?? '';
  const m = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/s.exec(text);
  const kind = m?.[1] === 'postgresql' || m?.[1] === 'cockroachdb' ? 'postgres' : m?.[1] === 'mysql' ? 'mysql' : m?.[1] === 'mongodb' ? 'mongodb' : undefined;
  if (!kind) return [];
  return [{ kind, evidence: { file: schema, line: source.lineOf(schema, /provider\s*=\s*"/), signal: `prisma datasource provider "${m![1]}"` } }];
}

function describe(source: SourceView, pkg: Pkg, root: Pkg | undefined, isRoot: boolean, members: boolean): Candidate | undefined {
  const { json, dir, file } = pkg;
  const name = typeof json.name === 'string' ? json.name : undefined;
  const scripts = scriptsOf(json);
  const deps = depsOf(json, false);
  const allDeps = depsOf(json, true);
  const facts: Fact[] = [{ file, signal: 'package.json', kind: 'manifest' }];
  const pm = packageManagerOf(source, pkg, root);
  if (pm.fact) facts.push(pm.fact);
  else if (pm.lockFact) facts.push(pm.lockFact);

  const files = sourcesUnder(source, dir, JS_EXTS, ['src', 'server', 'app', 'lib', 'api', 'bin', '']).filter((f) => !/\.(test|spec|d)\.[cm]?[jt]sx?$/.test(f) && !f.includes('/node_modules/'));
  // A workspace root's own sources are its members' sources; never let them speak for the root.
  const ownFiles = members ? files.filter((f) => path.posix.dirname(f) === dir || f.startsWith(inDir(dir, 'src/'))) : files;

  // Frameworks: declared (dependency) and, for server frameworks, used (import seen in source).
  const declared = FRAMEWORKS.filter((f) => Object.keys(allDeps).some((d) => f.deps.test(d)));
  let framework: (typeof FRAMEWORKS)[number] | undefined;
  let usedFact: Fact | undefined;
  for (const f of declared) {
    const usage = USAGE[f.id];
    if (!usage) {
      framework ??= f;
      continue;
    }
    const hit = findInFiles(source, ownFiles, [usage], 150);
    if (hit) {
      if (!framework || USAGE[framework.id]) {
        framework = f;
        usedFact = { file: hit.file, line: hit.line, signal: `${f.id} used: \`${clip(hit.text)}\``, kind: 'usage' };
      }
      break;
    }
    framework ??= f;
  }
  if (framework) {
    const depName = Object.keys(allDeps).find((d) => framework!.deps.test(d))!;
    facts.push({ file, line: source.lineOf(file, `"${depName}"`), signal: `dependency \`${depName}\``, kind: 'framework' });
    if (usedFact) facts.push(usedFact);
  }
  // Vite alongside a server framework (or SSR meta framework) is a dev tool, not the app's framework.
  if (framework?.id === 'vite' && declared.some((d) => d.id !== 'vite' && d.server)) framework = declared.find((d) => d.id !== 'vite' && d.server);

  const bunRuntime = pm.pm === 'bun' && (Object.values(scripts).some((s) => /^\s*bun\s+(run\s+)?[\w./-]+\.(ts|js|tsx)|^\s*bun\s+--/.test(s)) || allDeps['@types/bun'] !== undefined || allDeps['bun-types'] !== undefined || findInFiles(source, ownFiles, [/Bun\.serve\(/], 50) !== undefined);
  const language: Language = bunRuntime ? 'bun' : 'node';

  // Role.
  const staticOut = framework ? staticOutput(source, dir, framework.id, allDeps) : undefined;
  const serverCall = findInFiles(source, ownFiles, [SERVER_CALL], 150);
  let start: string | null = null;
  const startScript = scripts.start && !DEV_RUNNERS.test(scripts.start) ? scripts.start : scripts['start:prod'] ?? scripts.serve ?? (scripts.start && framework && frameworkStart(framework.id, allDeps) === null ? scripts.start : undefined);
  if (startScript) {
    start = startScript;
    facts.push({ file, line: source.lineOf(file, /"start(:prod)?"\s*:/), signal: `start script \`${clip(startScript, 60)}\``, kind: 'start' });
  } else if (framework) {
    start = frameworkStart(framework.id, allDeps);
  }
  if (!start && !members) {
    const main = typeof json.main === 'string' ? path.posix.normalize(json.main.replace(/^\.\//, '')) : undefined;
    const entry = [main, 'server.js', 'index.js', 'app.js', 'src/server.js', 'src/index.js', 'main.js'].find((f) => f && source.has(inDir(dir, f)) && SERVER_CALL.test(source.readText(inDir(dir, f)) ?? ''));
    if (entry) {
      start = `${language === 'bun' ? 'bun' : 'node'} ${entry}`;
      facts.push({ file: inDir(dir, entry), signal: `entry point ${entry} starts a server`, kind: 'entrypoint' });
    }
  }

  let role: Role;
  if (staticOut) role = 'static';
  else if (framework?.server && (framework.id !== 'express' && framework.id !== 'fastify' && framework.id !== 'koa' && framework.id !== 'hono' ? true : usedFact !== undefined || start !== null)) role = 'web';
  else if (framework && !framework.server && framework.id !== 'vite') role = framework.id === 'expo' ? 'web' : 'static';
  else if (start !== null) role = serverCall || framework ? 'web' : Object.keys(deps).some((d) => QUEUE_DEPS.test(d)) ? 'worker' : 'web';
  else if (framework?.id === 'vite' && scripts.build) role = 'static';
  else role = members && isRoot ? 'workspace' : 'library';
  if (members && isRoot && role !== 'web') role = 'workspace';
  if (role === 'static' && !scripts.build && framework?.id !== 'expo') role = members && isRoot ? 'workspace' : 'library';

  const c = candidate({ path: dir, language, role, packageManager: language === 'bun' ? 'bun' : pm.pm, facts });
  if (name) c.name = name;
  c.framework = framework && !(framework.id === 'vite' && role !== 'static') ? framework.id : null;
  const rv = language === 'bun' ? undefined : runtimeVersionOf(source, pkg, root);
  if (rv) {
    c.runtimeVersion = rv.version;
    facts.push(rv.fact);
  } else if (language === 'bun' && typeof json.packageManager === 'string') {
    c.runtimeVersion = /bun@(\d+(?:\.\d+){0,2})/.exec(json.packageManager)?.[1] ?? null;
  }
  const member = root !== undefined && root !== pkg;
  c.commands = {
    install: installCommand(pm),
    build: scripts.build ? buildCommand(pm, name, member) : null,
    start: role === 'static' ? null : start,
  };
  if (role === 'static' && staticOut) {
    c.staticDir = staticOut.dir;
    facts.push(staticOut.fact);
  }

  if (role === 'web') {
    const fromScript = /(?:--port[= ]|\s-p\s+|PORT=)(\d{2,5})\b/.exec(start ?? '');
    const hit = fromScript ? undefined : firstPort(source, ownFiles);
    if (fromScript?.[1]) {
      c.port = Number(fromScript[1]);
      facts.push({ file, line: source.lineOf(file, fromScript[0]), signal: `start script sets port ${fromScript[1]}`, kind: 'port' });
    } else if (hit) {
      c.port = hit.port;
      facts.push(hit.fact);
    } else if (framework && DEFAULT_PORTS[framework.id]) {
      c.port = DEFAULT_PORTS[framework.id]!;
      facts.push({ file, signal: `${framework.id} default port ${c.port}`, kind: 'heuristic' });
    }
    const health = healthRoute(source, ownFiles) ?? urlHealth(source, ownFiles);
    if (health) {
      c.healthPath = health.path;
      facts.push(health.fact);
    }
  }
  if (['prom-client', 'express-prom-bundle', 'fastify-metrics', '@willsoto/nestjs-prometheus', 'prometheus-api-metrics'].some((d) => deps[d] !== undefined)) c.metricsPath = '/metrics';

  for (const [dep] of Object.entries(deps)) {
    const kind = backingFromDependency('npm', dep);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file, line: source.lineOf(file, `"${dep}"`), signal: `dependency \`${dep}\`` } });
  }
  for (const b of prismaBacking(source, dir)) if (!c.backing.some((x) => x.kind === b.kind)) c.backing.push(b);
  c.links.push(...proxyLinks(source, pkg));
  return c;
}

function firstPort(source: SourceView, files: string[]): { port: number; fact: Fact } | undefined {
  const hit = findInFiles(source, files, LISTEN_PATTERNS, 150);
  if (!hit) return undefined;
  const port = Number(hit.match.slice(1).find((g) => g !== undefined));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { port, fact: { file: hit.file, line: hit.line, signal: `\`${clip(hit.text)}\``, kind: 'port' } };
}

/** node:http servers route by comparing `req.url`. */
function urlHealth(source: SourceView, files: string[]): { path: string; fact: Fact } | undefined {
  const hit = findInFiles(source, files, [/(?:url|pathname)\s*===?\s*["'`](\/(?:api\/)?(?:healthz?|readyz?|livez?|ping|status))["'`]/], 150);
  if (!hit?.match[1]) return undefined;
  return { path: hit.match[1], fact: { file: hit.file, line: hit.line, signal: `health route \`${clip(hit.text)}\``, kind: 'usage' } };
}

export const nodeProvider: Provider = {
  name: 'node',
  detect(source) {
    const pkgs: Pkg[] = [];
    for (const file of source.manifests('package.json')) {
      const dir = path.posix.dirname(file);
      // Deno projects with a package.json for npm interop belong to the deno provider.
      if (source.has(inDir(dir, 'deno.json')) || source.has(inDir(dir, 'deno.jsonc'))) continue;
      const { value } = source.readJson<PackageJson>(file);
      if (value === undefined) continue;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        source.warn(file, 'package.json is not a JSON object; ignored');
        continue;
      }
      pkgs.push({ dir, file, json: value });
    }
    // Workspace roots and their members.
    const rootOf = new Map<string, Pkg>();
    const isRootWithMembers = new Set<string>();
    for (const p of pkgs) {
      const { patterns, fact } = workspacePatterns(source, p);
      if (patterns.length === 0) continue;
      const rel = (d: string) => (p.dir === '.' ? d : d.slice(p.dir.length + 1));
      const isMatch = picomatch(patterns.map((x) => x.replace(/^\.\//, '').replace(/\/$/, '')));
      let any = false;
      for (const m of pkgs) {
        if (m === p || !(p.dir === '.' || m.dir.startsWith(`${p.dir}/`))) continue;
        if (isMatch(rel(m.dir))) {
          rootOf.set(m.dir, p);
          any = true;
        }
      }
      if (any || fact) isRootWithMembers.add(p.dir);
    }
    const out: Candidate[] = [];
    for (const p of pkgs) {
      const root = rootOf.get(p.dir);
      const members = isRootWithMembers.has(p.dir);
      const c = describe(source, p, root ?? (members ? p : undefined), members, members);
      if (c) out.push(c);
    }
    return out;
  },
};
