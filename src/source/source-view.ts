/**
 * A read-only, hermetic view of the folder being scanned. Every file detect reads goes through here,
 * so detection can never depend on the working directory or the machine that runs it, and so the
 * "nothing detected" message can list exactly which files were looked at.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';
import type { Document } from 'yaml';
import { ignoreLib, picomatchLib, tomlParser, yamlLib } from '../lazy.js';
import { StackgenError } from '../errors.js';
import { jsonErrorPosition } from './json-position.js';

/** Folders read at once while listing: enough to keep the disk busy, few enough for any fd limit. */
const LIST_CONCURRENCY = 16;

/**
 * Every regular file under `root`, root-relative with `/`, in no particular order. Links are never
 * followed nor listed (a link is a way out of the folder, or a loop); `ignoreDirs` are not entered;
 * `exclude` globs (dot files included) leave files out. A folder that cannot be read is skipped;
 * the root failing to list throws. One readdir per folder and no glob library: listing is most of
 * what a small detect costs, and fast-glob alone loaded 65 modules. `readdir` is async (detect) or
 * sync (render, whose artifacts are synchronous).
 */
function lister(exclude: readonly string[], ignoreDirs: readonly string[]) {
  const excluded = exclude.length > 0 ? picomatchLib()([...exclude], { dot: true }) : undefined;
  const names = new Set<string>(ignoreDirs.filter((d) => !d.includes('/')));
  const paths = ignoreDirs.filter((d) => d.includes('/'));
  const skipDir = (rel: string, name: string) => names.has(name) || paths.some((p) => rel === p || rel.endsWith(`/${p}`));
  return (rel: string, entries: fs.Dirent[], out: string[], queue: string[]): void => {
    for (const e of entries) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        // An excluded folder is not entered (`exclude: ['tmp']` leaves out all of tmp/, as a glob walker does).
        if (!skipDir(r, e.name) && !excluded?.(r)) queue.push(r);
      } else if (e.isFile() && !excluded?.(r)) out.push(r);
    }
  };
}

async function listFiles(root: string, exclude: readonly string[], ignoreDirs: readonly string[]): Promise<string[]> {
  const take = lister(exclude, ignoreDirs);
  const out: string[] = [];
  const queue: string[] = [''];
  const readOne = async (rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw err;
      return;
    }
    take(rel, entries, out, queue);
  };
  await readOne(queue.shift()!);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await readOne(next);
  };
  // Workers drain the queue while folders they read add to it; one that finds it empty ends, so
  // start them again until nothing is left.
  while (queue.length > 0) await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, queue.length) }, worker));
  return out;
}

function listFilesSync(root: string, exclude: readonly string[], ignoreDirs: readonly string[]): string[] {
  const take = lister(exclude, ignoreDirs);
  const out: string[] = [];
  const queue: string[] = [''];
  for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(rel === '' ? root : path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw err;
      continue;
    }
    take(rel, entries, out, queue);
  }
  return out;
}

/** The absolute folder to list, or an error that says what `dir` is instead. */
function checkedRoot(dir: string): string {
  const root = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (cause) {
    throw new StackgenError('E_INPUT', `${dir}: no such folder`, {
      hint: 'Pass the path of your application repository, e.g. `stackgen detect .`',
      locations: [{ file: dir }],
      cause,
    });
  }
  if (!stat.isDirectory()) {
    throw new StackgenError('E_INPUT', `${dir}: is a file, not a folder`, {
      hint: `Pass the folder that contains it instead: ${path.dirname(dir) || '.'}`,
      locations: [{ file: dir }],
    });
  }
  return root;
}

/** Folders that never hold application sources worth reading: dependencies, VCS data, caches, build output. */
export const ALWAYS_IGNORED_DIRS = [
  'node_modules', '.git', '.hg', '.svn', 'vendor', 'target', '.venv', 'venv', 'env', '.tox', '.nox',
  '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.cache', '.parcel-cache', '.turbo',
  '.next', '.nuxt', '.svelte-kit', '.output', '.vercel', '.netlify', '.angular', '.expo', '.yarn',
  '.pnpm-store', '.gradle', '.idea', '.vscode', 'dist', 'build', 'out', 'coverage', '_build', 'deps',
  '.dart_tool', '.stack-work', 'dist-newstyle', '.build', 'zig-cache', '.zig-cache', 'zig-out',
  'bin/Debug', 'bin/Release', 'obj', '.terraform', '.stackgen',
] as const;

/**
 * Folders whose manifests describe test data, fuzz targets or examples, not services of this repository
 * (a `package.json` under `test/fixtures/` is not an app to containerise, nor ripgrep's cargo-fuzz `fuzz/` crate).
 */
const NON_SERVICE_DIRS = ['test', 'tests', '__tests__', 'spec', 'fixtures', 'testdata', 'examples', 'example', 'samples', 'e2e', 'cypress', 'playwright', 'fuzz', 'docs/examples'];

export interface SourceViewOptions {
  /** Largest file read in full, in bytes; larger files are read up to this size. Default 1 MiB. */
  maxFileBytes?: number;
  /** Most files listed; a larger tree is cut with a warning. Default 200 000. */
  maxFiles?: number;
  /** Honour `.gitignore` files (root and nested). Default true. */
  gitignore?: boolean;
  /** Extra glob patterns (relative to the root) to leave out. */
  exclude?: string[];
  /** Folder names (or `a/b` paths) never entered. Default ALWAYS_IGNORED_DIRS. */
  ignoreDirs?: readonly string[];
}

export interface SourceWarning {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface Parsed<T> {
  value?: T;
  /** Set when the file exists but could not be parsed; a warning was recorded too. */
  error?: SourceWarning;
}

export class SourceView {
  /** Absolute, resolved root folder. */
  readonly root: string;
  /** Every listed file, posix paths relative to the root, sorted. */
  readonly files: readonly string[];
  readonly warnings: SourceWarning[] = [];
  private readonly fileSet: Set<string>;
  private readonly dirSet: Set<string>;
  /** Base name → files with that name: manifest lookups must not scan a 100k-file listing per provider. */
  private readonly byBaseName = new Map<string, string[]>();
  private readonly textCache = new Map<string, string | null>();
  private readonly looked = new Set<string>();
  private readonly maxFileBytes: number;

  private constructor(root: string, files: string[], maxFileBytes: number) {
    this.root = root;
    this.files = files;
    this.fileSet = new Set(files);
    this.dirSet = new Set(['.']);
    for (const f of files) {
      const base = f.slice(f.lastIndexOf('/') + 1);
      const same = this.byBaseName.get(base);
      if (same) same.push(f);
      else this.byBaseName.set(base, [f]);
      let d = path.posix.dirname(f);
      while (d !== '.' && !this.dirSet.has(d)) {
        this.dirSet.add(d);
        d = path.posix.dirname(d);
      }
    }
    this.maxFileBytes = maxFileBytes;
  }

  /** Lists the folder once; all later reads are served from that listing. */
  static async open(dir: string, options: SourceViewOptions = {}): Promise<SourceView> {
    const root = checkedRoot(dir);
    let listed: string[];
    try {
      listed = await listFiles(root, options.exclude ?? [], options.ignoreDirs ?? ALWAYS_IGNORED_DIRS);
    } catch (cause) {
      throw new StackgenError('E_INPUT', `${dir}: cannot list folder`, { cause, hint: 'Check the folder permissions.' });
    }
    return SourceView.fromListing(root, listed, options);
  }

  /** `open`, synchronously: for render, whose artifacts read the repository while building their contexts. */
  static openSync(dir: string, options: SourceViewOptions = {}): SourceView {
    const root = checkedRoot(dir);
    let listed: string[];
    try {
      listed = listFilesSync(root, options.exclude ?? [], options.ignoreDirs ?? ALWAYS_IGNORED_DIRS);
    } catch (cause) {
      throw new StackgenError('E_INPUT', `${dir}: cannot list folder`, { cause, hint: 'Check the folder permissions.' });
    }
    return SourceView.fromListing(root, listed, options);
  }

  private static fromListing(root: string, files: string[], options: SourceViewOptions): SourceView {
    let listed = files;
    const maxFiles = options.maxFiles ?? 200_000;
    const warnings: SourceWarning[] = [];
    if (options.gitignore ?? true) listed = applyGitignores(root, listed, warnings);
    listed.sort();
    if (listed.length > maxFiles) {
      warnings.push({ file: '.', message: `repository has ${listed.length} files; only the first ${maxFiles} were considered (set maxFiles to raise the cap)` });
      listed = listed.slice(0, maxFiles);
    }
    return new SourceView(root, listed, options.maxFileBytes ?? 1024 * 1024).withWarnings(warnings);
  }

  private withWarnings(warnings: SourceWarning[]): this {
    this.warnings.push(...warnings);
    return this;
  }

  /** Files that were read (or probed) through this view, for "nothing detected" reports. */
  get lookedAt(): string[] {
    return [...this.looked].sort();
  }

  has(file: string): boolean {
    return this.fileSet.has(norm(file));
  }

  /** Whether a listed file has an execute bit (a link is not followed and never counts). */
  isExecutable(file: string): boolean {
    const f = norm(file);
    if (!this.fileSet.has(f)) return false;
    this.looked.add(f);
    try {
      const st = fs.lstatSync(path.join(this.root, f));
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  }

  isDir(dir: string): boolean {
    return this.dirSet.has(norm(dir));
  }

  /** Every file with this exact base name, anywhere (including test and example folders). */
  named(name: string): string[] {
    return [...(this.byBaseName.get(name) ?? [])];
  }

  /** Files directly inside `dir` (not recursive). */
  list(dir: string): string[] {
    const d = norm(dir);
    return this.under(d).filter((f) => f.indexOf('/', d === '.' ? 0 : d.length + 1) === -1);
  }

  /** Files under `dir` (recursive): one contiguous range of the sorted listing, found by binary search. */
  under(dir: string): string[] {
    const d = norm(dir);
    if (d === '.') return [...this.files];
    const prefix = `${d}/`;
    const start = lowerBound(this.files, prefix);
    // '0' is the code point after '/': every path starting with `${d}/` sorts before `${d}0`.
    const end = lowerBound(this.files, `${d}0`, start);
    return this.files.slice(start, end);
  }

  /** Files matching glob pattern(s), relative to the root (or to `cwd` when given; results stay root-relative). */
  glob(patterns: string | string[], cwd = '.'): string[] {
    const base = norm(cwd);
    const pats = (Array.isArray(patterns) ? patterns : [patterns]).map((p) => (base === '.' ? p : `${base}/${p}`));
    const isMatch = picomatchLib()(pats, { dot: true });
    return this.files.filter((f) => isMatch(f));
  }

  /**
   * Manifest files with one of these base names anywhere in the tree, except in folders that hold
   * tests, fixtures or examples. Shallowest first, so a provider sees a workspace root before its members.
   */
  manifests(names: string | string[]): string[] {
    const wanted = Array.isArray(names) ? names : [names];
    return wanted
      .flatMap((n) => this.byBaseName.get(n) ?? [])
      .filter((f) => !inNonServiceDir(f))
      .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  }

  /**
   * Text of a file, or undefined when it is missing, binary or unreadable (a warning says which).
   * Files above `maxFileBytes` are read up to that size.
   */
  readText(file: string): string | undefined {
    const f = norm(file);
    this.looked.add(f);
    if (this.textCache.has(f)) return this.textCache.get(f) ?? undefined;
    if (!this.fileSet.has(f)) {
      this.textCache.set(f, null);
      return undefined;
    }
    const text = this.readFromDisk(f);
    this.textCache.set(f, text);
    return text ?? undefined;
  }

  private readFromDisk(f: string): string | null {
    const abs = path.join(this.root, f);
    let fd: number | undefined;
    try {
      fd = fs.openSync(abs, 'r');
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, this.maxFileBytes);
      const buf = Buffer.alloc(len);
      let read = 0;
      while (read < len) {
        const n = fs.readSync(fd, buf, read, len - read, read);
        if (n === 0) break;
        read += n;
      }
      const bytes = buf.subarray(0, read);
      if (bytes.subarray(0, 8000).includes(0)) {
        this.warn(f, 'binary file (contains NUL bytes); not read');
        return null;
      }
      if (size > this.maxFileBytes) this.warn(f, `file is ${size} bytes; only the first ${this.maxFileBytes} were read`);
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
      } catch {
        // A cut at maxFileBytes can split a multi-byte character; only warn for real encoding problems.
        if (size <= this.maxFileBytes) this.warn(f, 'not valid UTF-8; read as Latin-1 (save the file as UTF-8)');
        return bytes.toString('latin1');
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      this.warn(f, code === 'EACCES' || code === 'EPERM' ? 'unreadable (permission denied)' : `unreadable (${code ?? String(err)})`);
      return null;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** Parsed JSON; a syntax error becomes a warning with line and column. */
  readJson<T = unknown>(file: string): Parsed<T> {
    const text = this.readText(file);
    if (text === undefined) return {};
    try {
      return { value: JSON.parse(stripBom(text)) as T };
    } catch (err) {
      const pos = jsonErrorPosition(text, (err as Error).message);
      return { error: this.warn(file, `invalid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/s, '')}`, pos.line, pos.column) };
    }
  }

  /** Parsed TOML; a syntax error becomes a warning with line and column. */
  readToml<T = Record<string, unknown>>(file: string): Parsed<T> {
    const text = this.readText(file);
    if (text === undefined) return {};
    try {
      return { value: tomlParser().parse(stripBom(text)) as T };
    } catch (err) {
      const e = err as Error & { line?: number; column?: number };
      const first = e.message.split('\n')[0] ?? e.message;
      return { error: this.warn(file, `invalid TOML: ${first}`, e.line, e.column) };
    }
  }

  /** Parsed YAML (first document); a syntax error becomes a warning with line and column. */
  readYaml<T = unknown>(file: string): Parsed<T> & { doc?: Document } {
    const text = this.readText(file);
    if (text === undefined) return {};
    const { parseDocument, isMap, isSeq } = yamlLib();
    const doc = parseDocument(stripBom(text), { uniqueKeys: false });
    const first = doc.errors[0];
    if (first) {
      const lp = first.linePos?.[0];
      return { error: this.warn(file, `invalid YAML: ${first.message.split('\n')[0]}`, lp?.line, lp?.col) };
    }
    const contents = doc.contents;
    const value = isMap(contents) || isSeq(contents) ? doc.toJS({ maxAliasCount: 100 }) : doc.toJS();
    return { value: value as T, doc };
  }

  /** 1-based line of the first line matching `pattern` in `file`, if any. */
  lineOf(file: string, pattern: RegExp | string): number | undefined {
    const text = this.readText(file);
    if (text === undefined) return undefined;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (typeof pattern === 'string' ? l.includes(pattern) : pattern.test(l)) return i + 1;
    }
    return undefined;
  }

  /** Records a problem with a file the user owns; detection goes on. */
  warn(file: string, message: string, line?: number, column?: number): SourceWarning {
    const w: SourceWarning = { file: norm(file), message };
    if (line !== undefined) w.line = line;
    if (column !== undefined) w.column = column;
    if (!this.warnings.some((x) => x.file === w.file && x.message === w.message && x.line === w.line)) this.warnings.push(w);
    return w;
  }
}

function norm(p: string): string {
  const n = path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
  return n === '' ? '.' : n;
}

/** First index in sorted `list` whose entry is ≥ `key` (code-point order, as Array.prototype.sort). */
function lowerBound(list: readonly string[], key: string, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function depth(f: string): number {
  return f.split('/').length;
}

/** A folder of examples by its suffix: `push-examples`, `code_samples` (uptime-kuma's extra/push-examples/*). */
const EXAMPLES_SUFFIX = /^[\w.]+[-_](examples?|samples?)$/i;

function inNonServiceDir(f: string): boolean {
  const segs = f.split('/').slice(0, -1);
  return segs.some((s, i) => NON_SERVICE_DIRS.includes(s) || EXAMPLES_SUFFIX.test(s) || NON_SERVICE_DIRS.includes(segs.slice(0, i + 1).slice(-2).join('/')));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Applies every `.gitignore` in the listing to the paths below it, as git does. */
function applyGitignores(root: string, files: string[], warnings: SourceWarning[]): string[] {
  const gitignores = files.filter((f) => f === '.gitignore' || f.endsWith('/.gitignore'));
  if (gitignores.length === 0) return files;
  const rules: Array<{ dir: string; ig: Ignore }> = [];
  for (const g of gitignores) {
    try {
      const text = fs.readFileSync(path.join(root, g), 'utf8');
      rules.push({ dir: path.posix.dirname(g), ig: ignoreLib()().add(text) });
    } catch (err) {
      warnings.push({ file: g, message: `unreadable .gitignore (${(err as NodeJS.ErrnoException).code ?? String(err)}); not applied` });
    }
  }
  return files.filter((f) => {
    for (const { dir, ig } of rules) {
      if (dir === '.') {
        if (ig.ignores(f)) return false;
      } else if (f.startsWith(`${dir}/`) && ig.ignores(f.slice(dir.length + 1))) {
        return false;
      }
    }
    return true;
  });
}
