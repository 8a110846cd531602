/**
 * The repository files render reads (lockfile names, package.json scripts, workspace manifests),
 * all through one `SourceView` of the project: the same no-follow rule (a link is not a file here),
 * the same size cap and binary check as detect. One listing serves a whole render; `render()` opens it
 * (`withRepository`), and a context built outside a render (a unit test) gets a view for the current
 * synchronous pass, listed again on the next one so it never reads a stale tree.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { tomlParser } from '../../lazy.js';
import { SourceView } from '../../source/source-view.js';
import { readManifest } from '../../tree/manifest.js';

/**
 * Only dependency and VCS folders are left out: render asks about build output names detect skips
 * (a Go `vendor/`, Gradle's `gradle/wrapper`, Phoenix's `priv/`), and the workspace globs below
 * ignore what they always ignored.
 */
const RENDER_IGNORED_DIRS = ['node_modules', '.git', '.hg', '.svn'];
/** Lockfiles run to megabytes and render reads their ends (Gemfile.lock's BUNDLED WITH). */
const RENDER_MAX_FILE_BYTES = 64 * 1024 * 1024;

const views = new Map<string, SourceView>();
const scoped = new Set<string>();

function open(rootDir: string): SourceView {
  return SourceView.openSync(rootDir, { gitignore: false, ignoreDirs: RENDER_IGNORED_DIRS, maxFileBytes: RENDER_MAX_FILE_BYTES, maxFiles: Number.MAX_SAFE_INTEGER });
}

/** Runs `fn` with one fresh view of `rootDir` for every read it makes. */
export async function withRepository<T>(rootDir: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(rootDir);
  views.set(key, open(key));
  scoped.add(key);
  try {
    return await fn();
  } finally {
    scoped.delete(key);
    views.delete(key);
  }
}

/** The view of `rootDir` this render (or this synchronous pass) reads through. */
export function repository(rootDir: string): SourceView {
  const key = path.resolve(rootDir);
  let view = views.get(key);
  if (!view) {
    view = open(key);
    views.set(key, view);
    setImmediate(() => {
      if (!scoped.has(key)) views.delete(key);
    }).unref();
  }
  return view;
}

export function join(dir: string, file: string): string {
  return dir === '.' ? file : path.posix.join(dir, file);
}

/** A path that stays inside the repository, normalised; undefined for one that leaves it. */
function inside(rel: string): string | undefined {
  const n = path.posix.normalize(rel.split(path.sep).join('/'));
  return n === '..' || n.startsWith('../') || path.posix.isAbsolute(n) ? undefined : n.replace(/\/+$/, '') || '.';
}

export function readText(rootDir: string, rel: string): string | undefined {
  const file = inside(rel);
  return file === undefined ? undefined : repository(rootDir).readText(file);
}

/** The text of a repository file stackgen did not write (none in its manifest): the user's own; else undefined. */
export function userFileText(rootDir: string, rel: string): string | undefined {
  const text = readText(rootDir, rel);
  return text !== undefined && !readManifest(rootDir).files[rel] ? text : undefined;
}

/** A file or a folder (holding files) of the repository. */
export function exists(rootDir: string, rel: string): boolean {
  const p = inside(rel);
  if (p === undefined) return false;
  const view = repository(rootDir);
  return view.has(p) || view.isDir(p);
}

export function readJson(rootDir: string, rel: string): Record<string, unknown> | undefined {
  const text = readText(rootDir, rel);
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function readToml(rootDir: string, rel: string): Record<string, unknown> | undefined {
  const text = readText(rootDir, rel);
  if (text === undefined) return undefined;
  try {
    return tomlParser().parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Files under `dir` matching `patterns` (relative to `dir`), minus `ignore`; results relative to `dir`. */
export function globIn(rootDir: string, dir: string, patterns: string[], ignore: string[] = []): string[] {
  const base = inside(dir);
  if (base === undefined) return [];
  const isMatch = picomatch(patterns);
  const ignored = ignore.length > 0 ? picomatch(ignore, { dot: true }) : () => false;
  const under = base === '.' ? repository(rootDir).files : repository(rootDir).under(base);
  return under.map((f) => (base === '.' ? f : f.slice(base.length + 1))).filter((f) => isMatch(f) && !ignored(f));
}
