/**
 * Which package manager installs a package: the `packageManager` field (of the package, else of its
 * workspace root) wins, then the nearest lockfile up to the root. Yarn 2+ ("berry") is told apart
 * from classic by the field's version, `.yarnrc.yml` or the lockfile's `__metadata` block.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { inDir, type Fact } from '../../provider.js';
import type { PackageManager } from '../../types.js';
import { upTo } from '../../readers.js';
import { keyLine, str, type Pkg } from './package-json.js';
import { choosePnpm, pnpmLockfileVersion, type PnpmChoice } from './pnpm-version.js';

export type JsPackageManager = Extract<PackageManager, 'npm' | 'pnpm' | 'yarn' | 'bun'>;

export interface PmInfo {
  pm: JsPackageManager;
  /** Yarn 2 or later. */
  berry: boolean;
  /** The lockfile in use, when there is one. */
  lockfile?: string;
  /** Version from the `packageManager` field. */
  version?: string;
  /** For pnpm: the release the image installs, and why (see pnpm-version.ts). */
  pnpm?: PnpmChoice;
  facts: Fact[];
}

const LOCKFILES: ReadonlyArray<readonly [string, JsPackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export function packageManagerOf(source: SourceView, pkg: Pkg, root: Pkg | undefined): PmInfo {
  const facts: Fact[] = [];
  let lock: { file: string; pm: JsPackageManager } | undefined;
  for (const d of upTo(pkg.dir)) {
    const hit = LOCKFILES.find(([name]) => source.has(inDir(d, name)));
    if (hit) {
      lock = { file: inDir(d, hit[0]), pm: hit[1] };
      break;
    }
  }
  const owner = [pkg, root].find((p): p is Pkg => p !== undefined && str(p.json.packageManager) !== undefined);
  const field = owner ? /^(npm|pnpm|yarn|bun)@v?(\d[^\s+]*)/.exec(String(owner.json.packageManager)) : null;
  let pm: JsPackageManager = lock?.pm ?? 'npm';
  let version: string | undefined;
  if (owner && field?.[1]) {
    pm = field[1] as JsPackageManager;
    version = field[2];
    facts.push({ file: owner.file, ...keyLine(source, owner.file, 'packageManager'), signal: `packageManager ${String(owner.json.packageManager).replace(/\+sha\S+$/, '')}`, kind: 'lockfile' });
  }
  // A lockfile of another manager next to the field is still evidence of pinned dependencies.
  if (lock) facts.push({ file: lock.file, signal: `lockfile ${path.posix.basename(lock.file)}`, kind: 'lockfile' });
  const lockfile = lock && lock.pm === pm ? lock.file : undefined;
  let berry = false;
  if (pm === 'yarn') {
    if (version) berry = !/^1\./.test(version);
    else {
      const rc = upTo(pkg.dir).map((d) => inDir(d, '.yarnrc.yml')).find((f) => source.has(f));
      const meta = lockfile && /^__metadata:/m.test(source.readText(lockfile)?.slice(0, 4000) ?? '');
      berry = rc !== undefined || Boolean(meta);
      if (rc) facts.push({ file: rc, signal: 'Yarn 2+ (.yarnrc.yml)', kind: 'heuristic' });
      else if (meta) facts.push({ file: lockfile!, ...keyLine(source, lockfile!, '__metadata'), signal: 'Yarn 2+ lockfile (__metadata)', kind: 'heuristic' });
    }
  }
  let pnpm: PnpmChoice | undefined;
  if (pm === 'pnpm') {
    const lockfileVersion = lockfile ? pnpmLockfileVersion(source.readText(lockfile)) : undefined;
    const withEngines = [pkg, root].find((p): p is Pkg => typeof (p?.json.engines as Record<string, unknown> | undefined)?.pnpm === 'string');
    const enginesPnpm = withEngines ? String((withEngines.json.engines as Record<string, unknown>).pnpm) : undefined;
    pnpm = choosePnpm({ packageManager: owner ? String(owner.json.packageManager) : undefined, lockfileVersion, enginesPnpm });
    // The evidence points at the file that decided.
    let from: { file: string; line?: number } = { file: pkg.file };
    if (pnpm.because.startsWith('packageManager') && owner) from = { file: owner.file, ...keyLine(source, owner.file, 'packageManager') };
    else if (pnpm.because.startsWith('lockfileVersion') && lockfile) {
      const line = source.lineOf(lockfile, 'lockfileVersion');
      from = line ? { file: lockfile, line } : { file: lockfile };
    } else if (withEngines) from = { file: withEngines.file, ...keyLine(source, withEngines.file, 'engines') };
    facts.push({ ...from, signal: `pnpm ${pnpm.version} (${pnpm.because})`, kind: 'version' });
  }
  const out: PmInfo = { pm, berry, facts };
  if (pnpm) out.pnpm = pnpm;
  if (lockfile) out.lockfile = lockfile;
  if (version) out.version = version;
  return out;
}

export function installCommand(pm: PmInfo): string {
  switch (pm.pm) {
    case 'pnpm':
      return pm.lockfile ? 'pnpm install --frozen-lockfile' : 'pnpm install';
    case 'yarn':
      if (pm.berry) return pm.lockfile ? 'yarn install --immutable' : 'yarn install';
      return pm.lockfile ? 'yarn install --frozen-lockfile' : 'yarn install';
    case 'bun':
      return pm.lockfile ? 'bun install --frozen-lockfile' : 'bun install';
    default:
      return pm.lockfile ? 'npm ci' : 'npm install';
  }
}

/** How to run a command of an installed package (`node_modules/.bin`) with the project's package manager. */
export function execBin(pm: PmInfo, command: string): string {
  switch (pm.pm) {
    case 'pnpm':
      return `pnpm exec ${command}`;
    case 'yarn':
      return `yarn ${command}`;
    case 'bun':
      // `bun run` puts a `node` shim on PATH, so a CLI with a node shebang runs in Bun's image.
      return `bun run ${command}`;
    default:
      return `npx --no-install ${command}`;
  }
}

/** How to run one script of a package: at its own folder, or from the workspace root for a member. */
export function runScript(pm: PmInfo, script: string, member: { name: string; turbo: boolean } | undefined): string {
  if (member && script === 'build' && member.turbo) return `turbo run build --filter=${member.name}`;
  if (member) {
    switch (pm.pm) {
      case 'pnpm':
        return `pnpm --filter ${member.name} run ${script}`;
      case 'yarn':
        return `yarn workspace ${member.name} run ${script}`;
      case 'bun':
        return `bun run --filter ${member.name} ${script}`;
      default:
        return `npm run ${script} -w ${member.name}`;
    }
  }
  return pm.pm === 'npm' ? `npm run ${script}` : `${pm.pm} run ${script}`;
}
