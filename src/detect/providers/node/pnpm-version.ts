/**
 * Which pnpm installs a project. pnpm refuses a lockfile written by another major under
 * `--frozen-lockfile` (ERR_PNPM_LOCKFILE_BREAKING_CHANGE), so "the newest pnpm" is wrong for any
 * project that has not upgraded. In order of authority:
 *   1. `packageManager: pnpm@X.Y.Z` — the project's own pin (what corepack would run);
 *   2. the lockfile's `lockfileVersion`: 5.x → pnpm 7, 6.x → pnpm 8, 9.x → pnpm 9 or 10;
 *   3. `engines.pnpm`, the highest major it allows (it also picks between 9 and 10 for a 9.0 lockfile);
 *   4. pnpm 10.
 * Pure (strings in, a choice out), so detect's evidence and the rendered Dockerfile cannot disagree.
 */

export interface PnpmChoice {
  /** What `npm install --global pnpm@…` gets: an exact pin or a major. */
  version: string;
  /** Where it came from, for `detect --explain`. */
  because: string;
}

/** Majors stackgen chooses between; the newest is the default. */
const MAJORS: readonly number[] = [7, 8, 9, 10];
const DEFAULT_MAJOR = 10;

/** `lockfileVersion: '6.0'` (or unquoted `5.4`) at the top of pnpm-lock.yaml. */
export function pnpmLockfileVersion(lockText: string | undefined): string | undefined {
  return /^lockfileVersion:\s*['"]?(\d+(?:\.\d+)?)/m.exec(lockText?.slice(0, 2000) ?? '')?.[1];
}

/** The pnpm majors that read a lockfile of this version without rewriting it. */
function majorsForLockfile(lockfileVersion: string): number[] {
  const major = Number(lockfileVersion.split('.')[0]);
  if (major === 5) return [7];
  if (major === 6) return [8];
  if (major === 9) return [9, 10];
  return [];
}

export function choosePnpm(input: { packageManager?: string | undefined; lockfileVersion?: string | undefined; enginesPnpm?: string | undefined }): PnpmChoice {
  const pinned = /^pnpm@v?(\d+(?:\.\d+){0,2})/.exec(input.packageManager ?? '')?.[1];
  if (pinned) return { version: pinned, because: `packageManager pnpm@${pinned}` };
  const allowed = input.enginesPnpm ? MAJORS.filter((m) => satisfiesMajor(m, input.enginesPnpm!)) : [];
  if (input.lockfileVersion) {
    const fits = majorsForLockfile(input.lockfileVersion);
    if (fits.length > 0) {
      const narrowed = fits.filter((m) => allowed.includes(m));
      if (narrowed.length > 0 && narrowed.length < fits.length) {
        return { version: String(Math.max(...narrowed)), because: `lockfileVersion ${input.lockfileVersion} and engines.pnpm ${input.enginesPnpm}` };
      }
      return { version: String(Math.max(...fits)), because: `lockfileVersion ${input.lockfileVersion}` };
    }
  }
  if (allowed.length > 0) return { version: String(Math.max(...allowed)), because: `engines.pnpm ${input.enginesPnpm}` };
  return { version: String(DEFAULT_MAJOR), because: 'default (no packageManager, lockfile version or engines.pnpm)' };
}

/**
 * Whether some release of pnpm `major` satisfies a semver range — at the granularity of majors,
 * which is all the choice needs (`>=8.6` allows 8, `<9` excludes 9, `^8 || ^9` allows both).
 */
export function satisfiesMajor(major: number, range: string): boolean {
  return range.split('||').some((set) => {
    const comparators = set.trim().replace(/\s+-\s+/g, ' - ').split(/\s+/).filter(Boolean);
    if (comparators.length === 0) return true;
    // `A - B` (inclusive hyphen range).
    const dash = comparators.indexOf('-');
    if (dash === 1 && comparators.length === 3) {
      const lo = parts(comparators[0]!);
      const hi = parts(comparators[2]!);
      return lo !== null && hi !== null && major >= lo[0] && major <= hi[0];
    }
    return comparators.every((c) => compare(major, c));
  });
}

function parts(v: string): [number, number, number] | null {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?/.exec(v);
  if (!m || !/\d/.test(m[1]!)) return null;
  const n = (s: string | undefined) => (s === undefined || /[xX*]/.test(s) ? 0 : Number(s));
  return [Number(m[1]), n(m[2]), n(m[3])];
}

function compare(major: number, comparator: string): boolean {
  if (comparator === '*' || /^[xX]$/.test(comparator)) return true;
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  if (!m) return false;
  const v = parts(m[2]!);
  if (!v) return false;
  const [maj, min, patch] = v;
  const exactMajor = min === 0 && patch === 0;
  switch (m[1]) {
    case '>=':
      return major >= maj;
    case '>':
      // `>8` means 9 or later; `>8.1` still allows later 8.x releases.
      return exactMajor && !/\.\d/.test(m[2]!) ? major > maj : major >= maj;
    case '<':
      // `<9` excludes 9; `<9.2` allows 9.0 and 9.1.
      return exactMajor ? major < maj : major <= maj;
    case '<=':
      return major <= maj;
    default:
      // `^8`, `~8.6`, `8`, `8.x`, `=8.6.0`: releases of that major only.
      return major === maj;
  }
}
