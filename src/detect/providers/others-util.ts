/**
 * Small readers shared by the providers of the smaller ecosystems (Gleam, Crystal, Dart, Swift,
 * Haskell, Zig, C/C++) and the generic ones (static sites, shell scripts, Dockerfiles, compose):
 * version pins from asdf/mise files, ports found in source with their line, and "does another
 * ecosystem claim this folder".
 */
import path from 'node:path';
import { tomlParser } from '../../lazy.js';
import type { SourceView } from '../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact, type Provider } from '../provider.js';
import { toolVersionsPin, upTo, type Pin } from '../readers.js';
import { KNOWN_MANIFESTS } from '../registry.js';

/** A pin for one of `tools` from `.tool-versions`, then `mise.toml` / `.mise.toml` (`[tools] name = "1.2"`), nearest folder first. */
export function runtimePin(source: SourceView, dir: string, tools: string[]): Pin | undefined {
  const tv = toolVersionsPin(source, dir, tools);
  if (tv) return tv;
  for (const d of upTo(dir)) {
    for (const name of ['mise.toml', '.mise.toml']) {
      const file = inDir(d, name);
      if (!source.has(file)) continue;
      const text = source.readText(file);
      if (text === undefined) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = tomlParser().parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      const toolsTable = parsed.tools;
      if (!toolsTable || typeof toolsTable !== 'object') continue;
      for (const t of tools) {
        const v = (toolsTable as Record<string, unknown>)[t];
        const version = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : typeof v === 'object' && v && typeof (v as { version?: unknown }).version === 'string' ? (v as { version: string }).version : undefined;
        if (version) {
          const line = source.lineOf(file, new RegExp(`^\\s*["']?${t}["']?\\s*=`));
          return { version, file, ...(line ? { line } : {}) };
        }
      }
    }
  }
  return undefined;
}

/** The first version number in a constraint: ">= 1.4.0 and < 2.0.0" → "1.4.0", "^3.3.0" → "3.3.0", "lts-22.7" stays as is elsewhere. */
export function firstVersion(v: string | undefined): string | undefined {
  if (!v) return undefined;
  return /(\d+(?:\.\d+){0,2})/.exec(v)?.[1];
}

export function pinFact(pin: Pin, signal: string): Fact {
  return { file: pin.file, ...(pin.line ? { line: pin.line } : {}), signal, kind: 'version' };
}

/** A provider with one candidate per folder holding `manifest`. */
export function manifestProvider(name: string, manifest: string, describe: (source: SourceView, dir: string) => Candidate): Provider {
  return {
    name,
    detect(source: SourceView): Candidate[] {
      return source.manifests(manifest).map((f) => describe(source, path.posix.dirname(f)));
    },
  };
}

export interface OpeningOptions {
  /** Manifest base name in `dir`; its fact opens the evidence. */
  manifest: string;
  language: Candidate['language'];
  packageManager?: Candidate['packageManager'];
  /** Lock file base name recorded as evidence when present in `dir`. */
  lockfile?: string;
}

/** The candidate every small ecosystem starts from: its manifest as evidence, and its lock file when there is one. */
export function openCandidate(source: SourceView, dir: string, o: OpeningOptions): { c: Candidate; facts: Fact[]; manifest: string } {
  const manifest = inDir(dir, o.manifest);
  const facts: Fact[] = [{ file: manifest, signal: o.manifest, kind: 'manifest' }];
  const c = candidate({ path: dir, language: o.language, ...(o.packageManager ? { packageManager: o.packageManager } : {}), facts });
  const lock = o.lockfile ? inDir(dir, o.lockfile) : undefined;
  if (lock && source.has(lock)) facts.push({ file: lock, signal: o.lockfile!, kind: 'lockfile' });
  return { c, facts, manifest };
}

/** A declared runtime version and where it was read, tried when no asdf/mise pin names the tool. */
export type DeclaredVersion = [version: string | undefined, fact: () => Omit<Fact, 'kind'>];

/**
 * Sets the candidate's runtime version: an asdf/mise pin for `tool` first, else the first
 * declaration in `declared` that holds a version number.
 */
export function pinRuntime(source: SourceView, c: Candidate, tool: string, declared: DeclaredVersion[]): void {
  const pin = runtimePin(source, c.path, [tool]);
  if (pin && firstVersion(pin.version)) {
    c.runtimeVersion = firstVersion(pin.version)!;
    c.facts.push(pinFact(pin, `${tool} ${pin.version}`));
    return;
  }
  for (const [version, fact] of declared) {
    const v = firstVersion(version);
    if (!v) continue;
    c.runtimeVersion = v;
    c.facts.push({ ...fact(), kind: 'version' });
    return;
  }
}

export interface Hit {
  file: string;
  line: number;
  text: string;
  match: RegExpExecArray;
}

/**
 * The first line matching one of `patterns` in `files` (in order), skipping whole-line comments.
 * At most `limit` files are read so a huge tree stays cheap.
 */
export function findInFiles(source: SourceView, files: string[], patterns: RegExp[], limit = 200): Hit | undefined {
  for (const file of files.slice(0, limit)) {
    const text = source.readText(file);
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    for (const re of patterns) {
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i] ?? '';
        if (/^\s*(\/\/|#|--|;)/.test(l)) continue;
        const m = re.exec(l);
        if (m) return { file, line: i + 1, text: l.trim(), match: m };
      }
    }
  }
  return undefined;
}

/** A TCP port number, or undefined when the text is not one. */
export function asPort(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,5}\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** A port found in source: the hit's first capture group that is a valid port. */
export function portHit(source: SourceView, files: string[], patterns: RegExp[]): { port: number; fact: Fact } | undefined {
  for (const re of patterns) {
    const hit = findInFiles(source, files, [re]);
    if (!hit) continue;
    const port = asPort(hit.match.slice(1).find((g) => g !== undefined));
    if (port) return { port, fact: { file: hit.file, line: hit.line, signal: `\`${clip(hit.text)}\``, kind: 'port' } };
  }
  return undefined;
}

export function clip(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Source files with one of these extensions under `dir` (not in dependency folders), shallow first. */
export function sourcesUnder(source: SourceView, dir: string, exts: string[], subdirs: string[] = ['']): string[] {
  const out: string[] = [];
  for (const sub of subdirs) {
    const base = sub === '' ? dir : inDir(dir, sub);
    for (const f of source.under(base)) if (exts.some((e) => f.endsWith(e)) && !out.includes(f)) out.push(f);
  }
  return out.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/**
 * Base names (and simple `*.ext` globs) of every ecosystem's manifest, except the generic static and
 * shell ones: registry.ts's KNOWN_MANIFESTS, in its order (the first found in a folder is the one named).
 */
export const ECOSYSTEM_MANIFESTS: readonly string[] = [
  ...new Set(KNOWN_MANIFESTS.filter((m) => m.language !== 'static' && m.language !== 'shell').flatMap((m) => m.files)),
];

function ecosystemManifests(): readonly string[] {
  return ECOSYSTEM_MANIFESTS;
}

const dirIndexes = new WeakMap<SourceView, Map<string, string[]>>();

/** Base names of the files directly in `dir`, from an index built once per view (list() scans every file). */
export function namesIn(source: SourceView, dir: string): readonly string[] {
  let index = dirIndexes.get(source);
  if (!index) {
    index = new Map();
    for (const f of source.files) {
      const cut = f.lastIndexOf('/');
      const d = cut < 0 ? '.' : f.slice(0, cut);
      const list = index.get(d);
      if (list) list.push(f.slice(cut + 1));
      else index.set(d, [f.slice(cut + 1)]);
    }
    dirIndexes.set(source, index);
  }
  return index.get(dir) ?? [];
}

/** The manifest of another ecosystem directly in `dir`, if any (`package.json`, `*.csproj`, …). */
export function ecosystemManifestIn(source: SourceView, dir: string): string | undefined {
  for (const name of ecosystemManifests()) {
    if (name.startsWith('*')) {
      const hit = namesIn(source, dir).find((f) => f.endsWith(name.slice(1)));
      if (hit) return inDir(dir, hit);
    } else if (source.has(inDir(dir, name))) return inDir(dir, name);
  }
  return undefined;
}

/** The nearest folder from `dir` up to the root that holds another ecosystem's manifest. */
export function ecosystemManifestAbove(source: SourceView, dir: string): string | undefined {
  for (const d of upTo(dir)) {
    const hit = ecosystemManifestIn(source, d);
    if (hit) return hit;
  }
  return undefined;
}

/** Every ecosystem manifest in the repository outside test/example folders. */
export function anyEcosystemManifest(source: SourceView): string[] {
  const all = ecosystemManifests();
  const plain = all.filter((n) => !n.startsWith('*'));
  const globbed = all.filter((n) => n.startsWith('*')).flatMap((n) => source.glob(`**/${n}`).map((f) => path.posix.basename(f)));
  return source.manifests([...plain, ...new Set(globbed)]);
}

/** Unique executables first; a name used as a command is kept as typed. */
export function exeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** `{ line }` of the first line matching `re`, or `{}`: spreads into a Fact or Evidence. */
export function lineOf(source: SourceView, file: string, re: RegExp | string): { line?: number } {
  const line = source.lineOf(file, re);
  return line ? { line } : {};
}

/** Escapes a literal for use inside a RegExp. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HEALTH_NAMES = '(healthz?|health-check|healthcheck|readyz?|readiness|livez?|liveness|ping|up|status)';
/** A route definition naming a health endpoint: `get "/health"`, `..get('/healthz'`, `app.get("health")`, `CROW_ROUTE(app, "/health")`. */
const HEALTH_ROUTE = new RegExp(`(?:\\b(?:get|GET|Get|route|ROUTE|Route|handle|HandleFunc|on)\\b[^"'\`\\n]{0,40}|\\[\\s*)["'\`]/?(?:api/)?${HEALTH_NAMES}/?["'\`]`);

/** The first health route found in `files`, as a path with a leading slash. */
export function healthRoute(source: SourceView, files: string[]): { path: string; fact: Fact } | undefined {
  const hit = findInFiles(source, files, [HEALTH_ROUTE]);
  if (!hit) return undefined;
  const quoted = /["'`](\/?(?:api\/)?[a-z-]+)\/?["'`]/.exec(hit.match[0]);
  const raw = quoted?.[1];
  if (!raw) return undefined;
  const p = raw.startsWith('/') ? raw : `/${raw}`;
  return { path: p, fact: { file: hit.file, line: hit.line, signal: `health route \`${clip(hit.text)}\``, kind: 'usage' } };
}
