/**
 * A read-only view of a Docker build context, for checking COPY/ADD sources before a build: the
 * files a rendered tree is about to write plus what is already on disk, with `.dockerignore` applied
 * the way the Docker docs describe it (Go `filepath.Match` patterns, `**` for any number of folders,
 * `!` exceptions, the last matching line wins, a pattern that matches a folder removes what is in it).
 * This is the one place the Dockerfile linter reads the disk; it never writes.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface IgnoreRule {
  /** The line as written, for messages. */
  text: string;
  /** 1-based line in the ignore file. */
  line: number;
  exception: boolean;
  re: RegExp;
}

export interface IgnoreFile {
  /** Path of the ignore file as linted (posix). */
  path: string;
  rules: IgnoreRule[];
}

/** `.dockerignore` pattern → regular expression over context-relative posix paths. */
function compilePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^\^/, '!');
        re += '[' + (body.startsWith('!') ? '^' + body.slice(1) : body).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[i + 1]!.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
      i++;
    } else re += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function parseDockerignore(content: string, file: string): IgnoreFile {
  const rules: IgnoreRule[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const exception = text.startsWith('!');
    let p = (exception ? text.slice(1) : text).trim();
    p = path.posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '');
    if (p === '' || p === '.') return;
    rules.push({ text, line: i + 1, exception, re: compilePattern(p) });
  });
  return { path: file, rules };
}

/** The rule that decides whether `rel` (or a folder above it) is excluded, or undefined when it is kept. */
export function excludedBy(ignore: IgnoreFile | undefined, rel: string): IgnoreRule | undefined {
  if (!ignore) return undefined;
  const parts = rel.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let decided: IgnoreRule | undefined;
  for (const rule of ignore.rules) {
    if (prefixes.some((p) => rule.re.test(p))) decided = rule.exception ? undefined : rule;
  }
  return decided;
}

export interface BuildContextOptions {
  /** The context folder as linted paths spell it (posix, relative to `root` or absolute). */
  dir: string;
  /** Folder that relative linted paths resolve against on disk. */
  root: string;
  /** Files about to be written (the rendered tree), posix paths as linted. */
  pending: ReadonlyMap<string, string>;
  /** The Dockerfile, whose `<name>.dockerignore` beside it wins over the context's `.dockerignore`. */
  dockerfile?: string;
}

export interface SourceCheck {
  /** `missing`: nothing at that path; `ignored`: present but removed by a .dockerignore rule. */
  problem: 'missing' | 'ignored';
  /** Context-relative path. */
  rel: string;
  rule?: IgnoreRule;
  ignoreFile?: string;
}

const GLOB = /[*?[]/;

/** What a build will see of one context folder; cheap to create, reads the disk only when asked. */
export class BuildContext {
  readonly dir: string;
  private readonly abs: string;
  private readonly pendingUnder: string[];
  private ignoreLoaded = false;
  private ignore: IgnoreFile | undefined;

  constructor(private readonly options: BuildContextOptions) {
    this.dir = path.posix.normalize(options.dir);
    this.abs = path.resolve(options.root, this.dir);
    const prefix = this.dir === '.' ? '' : `${this.dir}/`;
    this.pendingUnder = [...options.pending.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
  }

  private read(rel: string): string | undefined {
    const linted = this.dir === '.' ? rel : `${this.dir}/${rel}`;
    const pending = this.options.pending.get(linted);
    if (pending !== undefined) return pending;
    try {
      return fs.readFileSync(path.join(this.abs, rel), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** `<Dockerfile>.dockerignore` beside the Dockerfile (BuildKit) or the context's `.dockerignore`. */
  ignoreFile(): IgnoreFile | undefined {
    if (this.ignoreLoaded) return this.ignore;
    this.ignoreLoaded = true;
    const df = this.options.dockerfile;
    if (df) {
      const own = `${df}.dockerignore`;
      const text = this.options.pending.get(own) ?? readOrUndefined(path.resolve(this.options.root, own));
      if (text !== undefined) return (this.ignore = parseDockerignore(text, own));
    }
    const text = this.read('.dockerignore');
    const shown = this.dir === '.' ? '.dockerignore' : `${this.dir}/.dockerignore`;
    return (this.ignore = text === undefined ? undefined : parseDockerignore(text, shown));
  }

  private existsOnDisk(rel: string): boolean {
    return fs.existsSync(path.join(this.abs, rel));
  }

  private existsPending(rel: string): boolean {
    return this.pendingUnder.some((p) => p === rel || p.startsWith(`${rel}/`));
  }

  /**
   * Why the source cannot be copied, or null when it can. Measured with BuildKit (Engine 20.10): a
   * glob that matches nothing copies nothing and succeeds (`COPY poetry.lock* ./` copies an optional
   * file), so globs are never reported; `..` cannot leave the context (`../a` is the context's `a`).
   */
  check(source: string): SourceCheck | null {
    const rel = path.posix.resolve('/', source).slice(1);
    if (rel === '' || GLOB.test(rel)) return null;
    if (!this.existsPending(rel) && !this.existsOnDisk(rel)) return { problem: 'missing', rel };
    const ignore = this.ignoreFile();
    const rule = excludedBy(ignore, rel);
    return rule ? { problem: 'ignored', rel, rule, ignoreFile: ignore!.path } : null;
  }
}

function readOrUndefined(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}
