/**
 * The in-memory output tree (after nx's Tree and projen's synth): renderers write here, lint reads
 * here, and `flush` is the only code that writes to the user's disk. A second render that produces
 * the same bytes reports no changes; files stackgen did not write, or that the user edited since,
 * are never overwritten without `force`.
 */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { StackgenError } from '../errors.js';
import { hasMarker, supportsMarker, withMarker } from './marker.js';
import { MANIFEST_PATH, readManifest, serializeManifest, sha256, type Manifest } from './manifest.js';
import { ProjectFs, relativePathProblem } from './project-fs.js';

export type FileOwner = 'stackgen' | 'user';

export interface WriteOptions {
  /** File mode to set (e.g. 0o600 for secrets). Default: keep the existing file's mode, else 0o644. */
  mode?: number;
  /** Write only when the file is missing; never update, diff the content of, or delete it later. Default false. */
  createOnly?: boolean;
  /**
   * `stackgen` (default): a generated file, marked and recorded in the manifest. `user`: a deliberate
   * edit of a file the user owns (e.g. one line appended to `.gitignore`), not marked, not recorded.
   */
  owner?: FileOwner;
}

export type ChangeKind = 'create' | 'update' | 'delete' | 'unchanged' | 'conflict' | 'skip';

export interface Change {
  path: string;
  kind: ChangeKind;
  /** Why a file is a conflict or skipped, or what --force would do. */
  reason?: string;
}

export interface TreeEntry {
  path: string;
  content: string;
  mode?: number;
  createOnly: boolean;
  owner: FileOwner;
}

export interface FlushOptions {
  /** Overwrite conflicts: generated files the user edited and files stackgen did not write. Default false. */
  force?: boolean;
  /** Delete files no longer generated even when the user edited them since. Default false (they are kept as the user's). */
  pruneEdited?: boolean;
  /** Compute what would happen, write nothing. Default false. */
  dryRun?: boolean;
}

/** The tree after flush: what happened. It has no write method on purpose. */
export interface FlushedTree {
  readonly rootDir: string;
  readonly dryRun: boolean;
  /** Every change as decided at flush time (conflicts overwritten under force are reported as updates). */
  readonly changes: readonly Change[];
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** Files kept as they were because writing them would have overwritten the user's work. */
  readonly conflicts: readonly Change[];
}

/** Something the person running stackgen should know about what filled the tree (e.g. ignored repository templates). */
export interface TreeWarning {
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The file or folder it is about (absolute). */
  file?: string;
}

function normalize(p: string): string {
  const posix = p.replace(/\\/g, '/').replace(/^\.\/+/, '');
  const norm = path.posix.normalize(posix);
  if (norm === '.' || relativePathProblem(norm) !== undefined) {
    throw new StackgenError('E_INTERNAL', `tree paths are relative to the root and inside it: ${p}`);
  }
  return norm;
}

/** Whether this file's diff must not show values (secrets). */
export function isSecretFile(p: string): boolean {
  const base = path.posix.basename(p);
  return base === '.env' || (base.startsWith('.env.') && base !== '.env.example');
}

function redact(content: string): string {
  return content
    .split('\n')
    .map((l) => l.replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=).*$/, (_m, k: string) => `${k}<redacted>`))
    .join('\n');
}

export class VirtualTree {
  readonly rootDir: string;
  /** Warnings from whoever filled the tree (render), for the caller to show. */
  readonly warnings: TreeWarning[] = [];
  private readonly disk: ProjectFs;
  private readonly entries = new Map<string, TreeEntry>();
  private flushed = false;
  private manifestCache: Manifest | undefined;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
    this.disk = new ProjectFs(this.rootDir);
  }

  write(file: string, content: string, options: WriteOptions = {}): void {
    if (this.flushed) throw new StackgenError('E_INTERNAL', `tree already flushed; cannot write ${file}`);
    const p = normalize(file);
    if (p === MANIFEST_PATH) throw new StackgenError('E_INTERNAL', `${MANIFEST_PATH} is written by flush only`);
    const owner = options.owner ?? 'stackgen';
    const createOnly = options.createOnly ?? false;
    const body = owner === 'stackgen' && !createOnly ? withMarker(p, content) : content;
    const entry: TreeEntry = { path: p, content: body, createOnly, owner };
    if (options.mode !== undefined) entry.mode = options.mode;
    this.entries.set(p, entry);
  }

  /** Virtual content first, then the disk; undefined when neither has the file. */
  read(file: string): string | undefined {
    const p = normalize(file);
    const e = this.entries.get(p);
    if (e) return e.content;
    return this.readDisk(p);
  }

  exists(file: string): boolean {
    return this.read(file) !== undefined;
  }

  /** Every file written to the tree, sorted by path (what linters read). */
  files(): TreeEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  listChanges(): Change[] {
    const manifest = this.manifest();
    const changes: Change[] = [];
    for (const e of this.files()) changes.push(this.decide(e, manifest));
    for (const p of Object.keys(manifest.files).sort()) {
      if (this.entries.has(p)) continue;
      const disk = this.readDisk(p);
      if (disk === undefined) continue;
      if (sha256(disk) === manifest.files[p]!.sha256) changes.push({ path: p, kind: 'delete', reason: 'no longer generated' });
      else changes.push({ path: p, kind: 'skip', reason: 'no longer generated, but edited since stackgen wrote it: kept (--prune-edited deletes it)' });
    }
    return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** True when a flush would write or delete nothing. */
  isClean(): boolean {
    return this.listChanges().every((c) => c.kind === 'unchanged' || c.kind === 'skip');
  }

  /** A unified diff of every change, `--- a/x` / `+++ b/x`; secret files show names, never values. */
  diff(): string {
    const out: string[] = [];
    for (const c of this.listChanges()) {
      if (c.kind === 'unchanged' || c.kind === 'skip') continue;
      const entry = this.entries.get(c.path);
      const secret = isSecretFile(c.path) || entry?.createOnly === true;
      const show = (s: string) => (secret ? redact(s) : s);
      const before = c.kind === 'create' ? '' : show(this.readDisk(c.path) ?? '');
      const after = c.kind === 'delete' ? '' : show(entry?.content ?? '');
      const oldName = c.kind === 'create' ? '/dev/null' : `a/${c.path}`;
      const newName = c.kind === 'delete' ? '/dev/null' : `b/${c.path}`;
      const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context: 3 })
        .split('\n')
        .filter((l) => !/^={10,}$/.test(l))
        .map((l) => (l.startsWith('--- ') || l.startsWith('+++ ') ? l.replace(/\t$/, '') : l))
        .join('\n');
      if (c.kind === 'conflict') out.push(`# conflict: ${c.reason ?? ''} (kept unless --force)\n`);
      out.push(patch.endsWith('\n') ? patch : `${patch}\n`);
    }
    return out.join('');
  }

  /**
   * The only writer. Atomic per file (temp file + rename in the same folder), every path through the
   * file layer (nothing outside the root, nothing through a link). Locks the tree.
   */
  flush(options: FlushOptions = {}): FlushedTree {
    if (this.flushed) throw new StackgenError('E_INTERNAL', 'tree already flushed');
    const force = options.force ?? false;
    const pruneEdited = options.pruneEdited ?? false;
    const dryRun = options.dryRun ?? false;
    const manifest = this.manifest();
    const next: Manifest = { version: 1, files: { ...manifest.files } };
    const decided = this.listChanges();
    const changes: Change[] = [];
    const written: string[] = [];
    const deleted: string[] = [];
    const conflicts: Change[] = [];

    for (const c of decided) {
      const entry = this.entries.get(c.path);
      let kind = c.kind;
      if (kind === 'conflict' && force) kind = 'update';
      if (kind === 'skip' && !entry && pruneEdited) kind = 'delete';
      changes.push(kind === c.kind ? c : { path: c.path, kind, reason: `${c.reason ?? ''} (${kind === 'delete' ? '--prune-edited' : 'forced'})` });

      if (kind === 'conflict') {
        conflicts.push(c);
        continue;
      }
      if (!entry) {
        // A stale manifest entry: deleted, or kept as the user's from now on.
        delete next.files[c.path];
        if (kind === 'delete') {
          if (!dryRun) this.disk.remove(c.path);
          deleted.push(c.path);
        }
        continue;
      }
      if (entry.owner === 'stackgen' && !entry.createOnly) next.files[c.path] = { sha256: sha256(entry.content) };
      if (kind === 'create' || kind === 'update') {
        if (!dryRun) this.disk.writeAtomic(c.path, entry.content, entry.mode);
        written.push(c.path);
      }
    }

    if (!dryRun) {
      const text = serializeManifest(next);
      const hasGenerated = Object.keys(next.files).length > 0;
      if ((hasGenerated || this.readDisk(MANIFEST_PATH) !== undefined) && this.readDisk(MANIFEST_PATH) !== text) this.disk.writeAtomic(MANIFEST_PATH, text);
    }
    this.flushed = true;
    return { rootDir: this.rootDir, dryRun, changes, written, deleted, conflicts };
  }

  private decide(e: TreeEntry, manifest: Manifest): Change {
    const disk = this.readDisk(e.path);
    if (disk === undefined) return { path: e.path, kind: 'create' };
    if (e.createOnly) return { path: e.path, kind: 'skip', reason: 'exists; created once, yours since' };
    if (disk === e.content) return { path: e.path, kind: 'unchanged' };
    if (e.owner === 'user') return { path: e.path, kind: 'update' };
    const recorded = manifest.files[e.path];
    if (!recorded || (supportsMarker(e.path) && !hasMarker(disk))) {
      return { path: e.path, kind: 'conflict', reason: 'not written by stackgen' };
    }
    if (sha256(disk) !== recorded.sha256) return { path: e.path, kind: 'conflict', reason: 'edited since stackgen wrote it' };
    return { path: e.path, kind: 'update' };
  }

  private manifest(): Manifest {
    this.manifestCache ??= readManifest(this.rootDir, this.disk);
    return this.manifestCache;
  }

  private readDisk(p: string): string | undefined {
    return this.disk.read(p);
  }
}
