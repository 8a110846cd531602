/**
 * Deno projects: every deno.json / deno.jsonc. Fresh is told from its imports, the start command
 * from the `start` task (Fresh 1's `start` is a watch-mode dev server; its `preview` task is what
 * production runs), the port from `Deno.serve({ port })`, an oak `listen({ port })` or `--port`,
 * and backing services from npm:/jsr: imports. A `workspace` array makes the root a workspace.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { scanEnvFiles } from '../env-files.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider, type Role } from '../provider.js';
import type { BackingKind, Framework } from '../types.js';
import { versionFilePin } from '../readers.js';
import { clip, ecosystemManifestAbove, findInFiles, runtimePin } from './others-util.js';
import { keyLine, stripJsonc } from './node/package-json.js';
import { SERVER_CALL, ownedBy, entryFiles, healthPath, ownSources, scriptPort, sourcePort } from './node/source-scan.js';

interface DenoJson {
  name?: unknown;
  tasks?: unknown;
  imports?: unknown;
  workspace?: unknown;
  exports?: unknown;
  nodeModulesDir?: unknown;
}

/** deno.land/x and jsr database clients that have no npm name. */
const DENO_BACKING: ReadonlyArray<readonly [RegExp, BackingKind]> = [
  [/deno\.land\/x\/postgres|jsr:@db\/postgres|deno\.land\/x\/postgresjs/, 'postgres'],
  [/deno\.land\/x\/mysql|jsr:@db\/mysql/, 'mysql'],
  [/deno\.land\/x\/(mongo|atlas_sdk)|jsr:@db\/mongo/, 'mongodb'],
  [/deno\.land\/x\/redis|jsr:@db\/redis/, 'redis'],
  [/deno\.land\/x\/amqp/, 'rabbitmq'],
];

const DEV_TASK = /--watch\b|\bdev\.ts\b|\bvite(\s|$)/;

function readDenoJson(source: SourceView, file: string): DenoJson | undefined {
  const text = source.readText(file);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(file.endsWith('.jsonc') ? stripJsonc(text.replace(/^\uFEFF/, '')) : text.replace(/^\uFEFF/, '')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as DenoJson;
    source.warn(file, 'not a JSON object; ignored');
  } catch (err) {
    // Let the shared reader record the warning with its line and column.
    if (!file.endsWith('.jsonc')) source.readJson(file);
    else source.warn(file, `invalid JSONC: ${(err as Error).message.replace(/ in JSON at position \d+.*$/s, '')}`);
  }
  return undefined;
}

function tasksOf(json: DenoJson): Record<string, string> {
  const out: Record<string, string> = {};
  if (json.tasks && typeof json.tasks === 'object') {
    for (const [k, v] of Object.entries(json.tasks)) {
      if (typeof v === 'string') out[k] = v;
      else if (v && typeof v === 'object' && typeof (v as { command?: unknown }).command === 'string') out[k] = (v as { command: string }).command;
    }
  }
  return out;
}

/** Import specifiers: the import map values plus `npm:`/`jsr:`/URL imports written inline in the sources. */
function specifiers(source: SourceView, json: DenoJson, files: string[]): Array<{ spec: string; file: string; line?: number }> {
  const out: Array<{ spec: string; file: string; line?: number }> = [];
  if (json.imports && typeof json.imports === 'object') {
    for (const [k, v] of Object.entries(json.imports)) if (typeof v === 'string') out.push({ spec: `${k} ${v}`, file: '' });
  }
  for (const f of files.slice(0, 100)) {
    const lines = (source.readText(f) ?? '').split('\n');
    lines.forEach((l, i) => {
      const m = /from\s+["']((?:npm:|jsr:|https:\/\/)[^"']+)["']/.exec(l);
      if (m?.[1]) out.push({ spec: m[1], file: f, line: i + 1 });
    });
  }
  return out;
}

/** Where an import was seen: the source line, else its line in the import map. */
function importFact(source: SourceView, manifest: string, s: { spec: string; file: string; line?: number }, re: RegExp, what: string): Fact {
  const line = s.file ? s.line : source.lineOf(manifest, re);
  return { file: s.file || manifest, ...(line ? { line } : {}), signal: `${what} import \`${clip(s.spec, 60)}\``, kind: 'framework' };
}

/** The standard library's HTTP server module (`serve(handler)` listens on 8000 by default). */
const STD_HTTP = /["'](?:https:\/\/deno\.land\/std(?:@[^/"']+)?\/http\/|jsr:@std\/http|@std\/http)/;

/** An entry file and the relative modules it imports, transitively (bounded). */
function localImports(source: SourceView, entry: string): string[] {
  const out = [entry];
  for (let i = 0; i < out.length && out.length < 50; i++) {
    const text = source.readText(out[i]!) ?? '';
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const f = path.posix.normalize(path.posix.join(path.posix.dirname(out[i]!), m[1]!));
      if (source.has(f) && !out.includes(f)) out.push(f);
    }
  }
  return out;
}

const DENO_KEEPS_RUNNING = /\bsetInterval\(|\bDeno\.cron\(|\.listenQueue\(|\bfor\s+await\s*\(|\bDeno\.addSignalListener\(|\.subscribe\(|\.consume\(/;
const DENO_IMPORT = /^\s*(?:import|export)\b[^"']*["'](?:npm:|jsr:|https:\/\/)[^"']+["']/;
const DENO_API = /\bDeno\.(?:serve|readTextFile|writeTextFile|env|args|exit|cron|openKv|listen|Command)\b/;

/**
 * Folders (up to two levels deep) that no manifest claims, holding a TypeScript/JavaScript file
 * that imports through `npm:`, `jsr:` or `https://` specifiers or calls the `Deno` namespace: Deno
 * programs without deno.json. The entry is main.ts/mod.ts/… when present, else the one such file.
 */
function manifestlessPrograms(source: SourceView, claimed: string[]): Array<{ file: string; fact: Fact }> {
  const byDir = new Map<string, string[]>();
  for (const f of source.files) {
    if (!/\.(?:ts|tsx|js|mjs)$/.test(f) || /\.d\.ts$|(^|\/)(node_modules|vendor|dist|build|test|tests)\//.test(f) || f.split('/').length > 3) continue;
    const d = path.posix.dirname(f);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const out: Array<{ file: string; fact: Fact }> = [];
  for (const [dir, files] of [...byDir.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (claimed.some((c) => c === '.' || c === dir || dir.startsWith(`${c}/`)) || ecosystemManifestAbove(source, dir)) continue;
    // Browser modules import from URLs too: a folder with a web page is a site, not a Deno program.
    if (source.has(inDir(dir, 'index.html')) || (dir !== '.' && source.has('index.html'))) continue;
    if (out.some((o) => { const od = path.posix.dirname(o.file); return od === '.' || dir.startsWith(`${od}/`); })) continue;
    const hits = files
      .map((file) => {
        const lines = (source.readText(file) ?? '').split('\n');
        let i = lines.findIndex((l) => DENO_IMPORT.test(l));
        if (i < 0) i = lines.findIndex((l) => !/^\s*\/\//.test(l) && DENO_API.test(l));
        return i >= 0 ? { file, line: i + 1, text: lines[i]!.trim() } : undefined;
      })
      .filter((h): h is { file: string; line: number; text: string } => h !== undefined);
    if (hits.length === 0) continue;
    const named = ['main.ts', 'main.tsx', 'mod.ts', 'server.ts', 'app.ts', 'index.ts', 'main.js'].map((n) => inDir(dir, n)).find((f) => hits.some((h) => h.file === f));
    const hit = hits.find((h) => h.file === named) ?? (hits.length === 1 ? hits[0] : undefined);
    if (!hit) continue;
    out.push({ file: hit.file, fact: { file: hit.file, line: hit.line, signal: `\`${clip(hit.text, 80)}\`: a Deno program without deno.json`, kind: 'manifest' } });
  }
  return out;
}

function npmName(spec: string): string | undefined {
  const m = /npm:(@[\w.-]+\/[\w.-]+|[\w.-]+)/.exec(spec);
  return m?.[1];
}

interface DenoCtx {
  others: string[];
  memberOf?: string;
  isRoot: boolean;
  /** A program without deno.json: its entry file (`file` is then that file too). */
  program?: { file: string; fact: Fact };
}

function describeDeno(source: SourceView, file: string, json: DenoJson, ctx: DenoCtx): Candidate {
  const dir = path.posix.dirname(file);
  const tasks = tasksOf(json);
  const facts: Fact[] = ctx.program ? [ctx.program.fact] : [{ file, signal: path.posix.basename(file), kind: 'manifest' }];
  const lock = [inDir(dir, 'deno.lock'), ...(ctx.memberOf ? [inDir(ctx.memberOf, 'deno.lock')] : [])].find((f) => source.has(f));
  if (lock) facts.push({ file: lock, signal: 'lockfile deno.lock', kind: 'lockfile' });

  // Fresh 1's `start` task is a dev server; `preview` runs main.ts as production does.
  const startTask = ['start', 'preview', 'serve', 'prod'].find((k) => tasks[k] && !DEV_TASK.test(tasks[k]!));
  const entries = entryFiles(source, dir, [startTask ? tasks[startTask] : undefined, tasks.dev, tasks.start], undefined).filter(ownedBy(dir, ctx.others));
  if (ctx.program && !entries.includes(ctx.program.file)) entries.unshift(ctx.program.file);
  for (const e of ['main.ts', 'main.tsx', 'server.ts', 'src/main.ts', 'mod.ts', 'app.ts', 'src/index.ts', '_fresh/server.js']) {
    const f = inDir(dir, e);
    if (source.has(f) && !entries.includes(f)) entries.push(f);
  }
  // A program without deno.json is its entry file and the local modules it imports, not every script beside it.
  const files = ctx.program ? localImports(source, ctx.program.file) : ownSources(source, dir, ctx.others, entries);
  const specs = specifiers(source, json, files);

  let framework: Framework | null = null;
  const fresh = specs.find((s) => /\$fresh\/|@fresh\/core|deno\.land\/x\/fresh@/.test(s.spec)) ?? (source.has(inDir(dir, 'fresh.gen.ts')) ? { spec: 'fresh.gen.ts', file: inDir(dir, 'fresh.gen.ts') } : undefined);
  const hono = specs.find((s) => /(^|[\s:/])(@hono\/hono|hono)(@|\/|$)|deno\.land\/x\/hono/.test(s.spec));
  if (fresh) {
    framework = 'fresh';
    facts.push(importFact(source, file, fresh, /fresh/, 'Fresh'));
  } else if (hono) {
    framework = 'hono';
    facts.push(importFact(source, file, hono, /hono/, 'Hono'));
  }

  let start: string | null = null;
  if (startTask) {
    start = tasks[startTask]!;
    facts.push({ file, ...keyLine(source, file, startTask), signal: `task ${startTask} \`${clip(start, 60)}\``, kind: 'start' });
  } else {
    const entry = entries.find((f) => SERVER_CALL.test(source.readText(f) ?? ''));
    if (entry) {
      const rel = dir === '.' ? entry : entry.slice(dir.length + 1);
      start = rel.startsWith('_fresh/') ? `deno serve -A ${rel}` : `deno run -A ${rel}`;
      facts.push({ file: entry, signal: `entry point ${rel} starts a server`, kind: 'entrypoint' });
    }
  }
  // No task and no server: the program itself (main.ts, or the entry of a folder without deno.json), unless it is a published module (`exports`).
  if (start === null && !ctx.isRoot && json.exports === undefined) {
    const main = ctx.program?.file ?? entries.find((f) => /(^|\/)main\.[jt]sx?$/.test(f));
    if (main) {
      const rel = dir === '.' ? main : main.slice(dir.length + 1);
      start = `deno run -A ${rel}`;
      facts.push({ file: main, signal: `entry point ${rel}: a program`, kind: 'entrypoint' });
    }
  }
  const stdServe = files.some((f) => STD_HTTP.test(source.readText(f) ?? '')) ? findInFiles(source, files, [/\b(?:serve|listenAndServe)\(/], 150) : undefined;
  const serverCall = findInFiles(source, files, [SERVER_CALL, /\bdeno\s+serve\b/], 150) ?? stdServe ?? (start && /\bdeno\s+serve\b/.test(start) ? { file, line: 1, text: start } : undefined);
  let role: Role = start !== null && (serverCall || framework) ? 'web' : start !== null ? 'worker' : 'library';
  if (role === 'worker') {
    // Not listening: a worker when something keeps it running, else a job that runs to completion.
    const keeps = findInFiles(source, files, [DENO_KEEPS_RUNNING], 150);
    if (keeps) facts.push({ file: keeps.file, line: keeps.line, signal: `\`${clip(keeps.text)}\` keeps it running: a worker`, kind: 'usage' });
    else {
      role = 'job';
      facts.push({ file: entries[0] ?? file, signal: 'no listener and no loop: a job that runs to completion', kind: 'heuristic' });
    }
  }
  if (ctx.isRoot && role !== 'web') role = 'workspace';

  const c = candidate({ path: dir, language: 'deno', packageManager: 'deno', role, framework, facts });
  if (typeof json.name === 'string' && json.name.trim() !== '') c.name = json.name;
  const pin = versionFilePin(source, dir, '.dvmrc') ?? versionFilePin(source, dir, '.deno-version') ?? runtimePin(source, dir, ['deno']);
  const version = pin ? /(\d+(?:\.\d+){0,2})/.exec(pin.version)?.[1] : undefined;
  if (pin && version) {
    c.runtimeVersion = version;
    facts.push({ file: pin.file, ...(pin.line ? { line: pin.line } : {}), signal: `deno ${pin.version}`, kind: 'version' });
  }
  const mainEntry = entries.find((f) => /\.(ts|tsx|js)$/.test(f) && !f.includes('/_fresh/'));
  const relMain = mainEntry ? (dir === '.' ? mainEntry : mainEntry.slice(dir.length + 1)) : undefined;
  c.commands = {
    install: relMain ? `deno cache ${relMain}` : null,
    build: tasks.build ? 'deno task build' : null,
    start: role === 'web' || role === 'worker' || role === 'job' ? start : null,
  };

  if (role === 'web') {
    const fromTask = scriptPort(start);
    const found = fromTask === undefined ? sourcePort(source, files) : undefined;
    const env = scanEnvFiles(source, dir);
    if (fromTask !== undefined) {
      c.port = fromTask;
      facts.push({ file, ...keyLine(source, file, startTask ?? 'start'), signal: `start task sets port ${fromTask}`, kind: 'port' });
    } else if (found) {
      c.port = found.port;
      facts.push(found.fact);
    } else if (env.port !== null && env.portFact) {
      c.port = env.port;
      facts.push(env.portFact);
    } else {
      // Deno.serve, `deno serve` and Fresh all default to 8000.
      c.port = 8000;
      facts.push({ file, signal: `${framework ?? 'Deno.serve'} default port 8000`, kind: 'heuristic' });
    }
    const health = healthPath(source, dir, files);
    if (health) {
      c.healthPath = health.path;
      facts.push(health.fact);
    }
  }

  const backing: BackingUse[] = [];
  for (const s of specs) {
    const name = npmName(s.spec);
    const kind = (name && backingFromDependency('npm', name)) || DENO_BACKING.find(([re]) => re.test(s.spec))?.[1];
    if (kind && !backing.some((b) => b.kind === kind)) {
      const where = s.file ? { file: s.file, ...(s.line ? { line: s.line } : {}) } : { file, ...keyLine(source, file, s.spec.split(' ')[0] ?? s.spec) };
      backing.push({ kind, evidence: { ...where, signal: `import \`${clip(s.spec, 60)}\`` } });
    }
  }
  c.backing = backing;
  if (specs.some((s) => /npm:prom-client|deno\.land\/x\/ts_prometheus/.test(s.spec))) c.metricsPath = '/metrics';
  return c;
}

export const denoProvider: Provider = {
  name: 'deno',
  detect(source) {
    const manifests = source.manifests(['deno.json', 'deno.jsonc']);
    const parsed: Array<{ file: string; dir: string; json: DenoJson }> = [];
    for (const file of manifests) {
      const dir = path.posix.dirname(file);
      if (parsed.some((p) => p.dir === dir)) continue;
      const json = readDenoJson(source, file);
      if (json) parsed.push({ file, dir, json });
    }
    const memberOf = new Map<string, string>();
    const roots = new Set<string>();
    for (const p of parsed) {
      if (!Array.isArray(p.json.workspace)) continue;
      roots.add(p.dir);
      for (const m of p.json.workspace) {
        if (typeof m !== 'string') continue;
        memberOf.set(path.posix.normalize(inDir(p.dir, m.replace(/^\.\//, '').replace(/\/$/, ''))), p.dir);
      }
    }
    const others = [...parsed.map((p) => p.dir), ...source.manifests('package.json').map((f) => path.posix.dirname(f))];
    const out = parsed.map((p) => {
      const ctx: DenoCtx = { others, isRoot: roots.has(p.dir) };
      const root = memberOf.get(p.dir);
      if (root !== undefined) ctx.memberOf = root;
      return describeDeno(source, p.file, p.json, ctx);
    });
    // A Deno program without deno.json, known by its `npm:`, `jsr:` or URL imports (or `Deno.` calls).
    for (const program of manifestlessPrograms(source, others)) {
      out.push(describeDeno(source, program.file, {}, { others, isRoot: false, program }));
    }
    return out;
  },
};
