/**
 * The one file layer every write and delete goes through. stackgen runs on repositories its user did
 * not write (a pull request in CI, a fresh clone), so a path is never trusted to stay where it says:
 * each folder on the way is resolved on disk, segment by segment, and a symbolic link that leads out
 * of the root — or any link in place of the file itself — is refused, naming the link and where it
 * points (OWASP path traversal: a symlinked folder is a way out, not a folder). Reads of files
 * stackgen compares against go through here too, so a dry run refuses what the write would.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackgenError } from '../errors.js';

const DEFAULT_MODE = 0o644;

/**
 * Why `p` is not a normalized relative POSIX path inside a root, or undefined when it is: no absolute
 * path or drive letter, no `..`, `.` or empty segment, no backslash, no control character.
 */
export function relativePathProblem(p: string): string | undefined {
  if (typeof p !== 'string' || p === '') return 'is empty';
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'contains a control character';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute';
  const segments = p.split('/');
  if (segments.includes('..')) return 'leaves its folder (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return undefined;
}

function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

function lstat(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Files under one root folder; nothing it does can reach outside that folder. */
export class ProjectFs {
  /** The root as given (resolved to an absolute path). */
  readonly rootDir: string;
  private realRootCache: string | undefined;

  constructor(rootDir: string) {
    this.rootDir = path.resolve(rootDir);
  }

  /** Content of a file under the root; undefined when it (or a folder on the way) is missing or not a file. */
  read(rel: string): string | undefined {
    const file = this.locate(rel, false);
    if (!file) return undefined;
    const st = this.checkTarget(rel, file);
    if (!st?.isFile()) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Whether a file or folder is at `rel` (a link there is refused, not followed). */
  exists(rel: string): boolean {
    const file = this.locate(rel, false);
    return file !== undefined && this.checkTarget(rel, file) !== undefined;
  }

  /**
   * Writes atomically: a temp file created exclusively in the same (resolved) folder, then renamed over
   * the target, so a reader sees the old or the new bytes, never half. Missing folders are created one
   * at a time, each checked. `mode` default: the existing file's, else 0644.
   */
  writeAtomic(rel: string, content: string | Buffer, mode?: number): void {
    const target = this.locate(rel, true)!;
    const st = this.checkTarget(rel, target);
    if (st?.isDirectory()) throw new StackgenError('E_INPUT', `cannot write ${rel}: a folder is in the way`, { locations: [{ file: target }], hint: 'Move the folder away or change the spec so nothing is rendered at this path.' });
    const finalMode = mode ?? (st ? st.mode & 0o7777 : DEFAULT_MODE);
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
    try {
      // `wx`: the temp file must be new, so a link planted under its name cannot redirect the write.
      fs.writeFileSync(tmp, content, { mode: finalMode, flag: 'wx' });
      fs.chmodSync(tmp, finalMode);
      fs.renameSync(tmp, target);
    } catch (cause) {
      fs.rmSync(tmp, { force: true });
      throw new StackgenError('E_INPUT', `cannot write ${rel}: ${(cause as Error).message}`, { locations: [{ file: target }], cause });
    }
  }

  /** Deletes one file; false when it was not there. A folder or a link is never deleted. */
  remove(rel: string): boolean {
    const target = this.locate(rel, false);
    if (!target) return false;
    const st = this.checkTarget(rel, target);
    if (!st) return false;
    if (!st.isFile()) throw new StackgenError('E_INPUT', `will not delete ${rel}: not a regular file`, { locations: [{ file: target }] });
    fs.rmSync(target, { force: true });
    return true;
  }

  /** The root's real path; created (with its parents, as the caller named it) when `create`. */
  private realRoot(create: boolean): string | undefined {
    if (this.realRootCache) return this.realRootCache;
    if (create) fs.mkdirSync(this.rootDir, { recursive: true });
    try {
      this.realRootCache = fs.realpathSync(this.rootDir);
    } catch (err) {
      if (errno(err) === 'ENOENT') return undefined;
      throw err;
    }
    return this.realRootCache;
  }

  /**
   * The absolute path `rel` names, every folder on the way resolved on disk: a link to a folder inside
   * the root is followed, one leading outside (or nowhere) is an error. Undefined when a folder on the
   * way is missing and `create` is false; with `create`, missing folders are made.
   */
  private locate(rel: string, create: boolean): string | undefined {
    const problem = relativePathProblem(rel);
    if (problem) throw new StackgenError('E_INTERNAL', `path ${JSON.stringify(rel)} ${problem}`);
    const root = this.realRoot(create);
    if (!root) return undefined;
    const segments = rel.split('/');
    let cur = root;
    for (let i = 0; i < segments.length - 1; i++) {
      const shown = segments.slice(0, i + 1).join('/');
      const next = path.join(cur, segments[i]!);
      let st = lstat(next);
      if (!st) {
        if (!create) return undefined;
        try {
          fs.mkdirSync(next);
        } catch (err) {
          if (errno(err) !== 'EEXIST') throw err;
        }
        // Checked again: something may have appeared under that name since the first look.
        st = fs.lstatSync(next);
      }
      if (st.isSymbolicLink()) {
        const real = this.realOf(next);
        if (real === undefined || !isInside(root, real)) throw this.linkError(shown, next, real);
        if (!fs.statSync(real).isDirectory()) throw this.notFolder(shown, next, create);
        cur = real;
        continue;
      }
      if (!st.isDirectory()) {
        if (!create) return undefined;
        throw this.notFolder(shown, next, create);
      }
      cur = next;
    }
    return path.join(cur, segments[segments.length - 1]!);
  }

  /** The target's own status; a link in its place is refused wherever it points. */
  private checkTarget(rel: string, abs: string): fs.Stats | undefined {
    const st = lstat(abs);
    if (st?.isSymbolicLink()) throw this.linkError(rel, abs, this.realOf(abs), true);
    return st;
  }

  private realOf(abs: string): string | undefined {
    try {
      return fs.realpathSync(abs);
    } catch {
      return undefined;
    }
  }

  private linkError(shown: string, abs: string, real: string | undefined, isTarget = false): StackgenError {
    let to = '?';
    try {
      to = fs.readlinkSync(abs);
    } catch {
      /* reported as '?' */
    }
    const where = real === undefined ? `${to} (which does not exist)` : real === to ? to : `${to} (${real})`;
    const what = isTarget
      ? `${shown} is a symbolic link to ${where}; stackgen does not write, read or delete through a link`
      : `${shown} is a symbolic link to ${where}, outside ${this.rootDir}; stackgen does not write or delete through it`;
    return new StackgenError('E_INVALID', what, {
      hint: isTarget
        ? `Replace the link ${shown} with a regular file (or remove it) and run again.`
        : `Replace the link ${shown} with a real folder (or remove it) and run again; a repository cannot make stackgen write outside its own folder.`,
      locations: [{ file: abs, message: `links to ${where}` }],
      details: { link: shown, target: to, ...(real === undefined ? {} : { resolved: real }) },
    });
  }

  private notFolder(shown: string, abs: string, create: boolean): StackgenError {
    return new StackgenError('E_INPUT', `cannot ${create ? 'write' : 'read'} under ${shown}: it is a file, not a folder`, { locations: [{ file: abs }], hint: `Move ${shown} away or change the spec so nothing is rendered under it.` });
  }
}
