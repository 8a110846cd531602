/**
 * Runtime version pins of Node and Bun: `.nvmrc`, `.node-version`, `.bun-version`, asdf/mise,
 * `volta`, `engines` and the `packageManager` field, nearest folder first, normalised to a major
 * ("20") or an exact version ("20.11.1"). A range says which major it chose and why.
 */
import type { SourceView } from '../../../source/source-view.js';
import type { Fact } from '../../provider.js';
import { versionFilePin } from '../../readers.js';
import { runtimePin } from '../others-util.js';
import { inDir } from '../../provider.js';
import { allDeps, keyLine, str, type Pkg } from './package-json.js';

/** Newest LTS line when this was written; `lts/*` means "whatever is LTS now". */
const CURRENT_LTS = '24';
const LTS_NAMES: Record<string, string> = {
  argon: '4', boron: '6', carbon: '8', dubnium: '10', erbium: '12', fermium: '14', gallium: '16', hydrogen: '18', iron: '20', jod: '22', krypton: '24',
};

export interface Normalized {
  version: string;
  /** How a non-exact pin was read, for the evidence. */
  note?: string;
}

/** The lowest major satisfying one `||`-free comparator set, or undefined when it has no lower bound. */
function lowestMajor(set: string): number | undefined {
  let low: number | undefined;
  const parts = set.replace(/([<>=~^]+)\s+/g, '$1').trim().split(/\s+/);
  // "1.2.3 - 2.3.4" hyphen ranges: the left side is the bound.
  if (parts.length === 3 && parts[1] === '-') return Number(/\d+/.exec(parts[0]!)?.[0]);
  for (const p of parts) {
    const m = /^(>=|>|\^|~|=|v)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(p);
    if (!m) continue;
    const op = m[1] ?? '';
    const major = Number(m[2]);
    const rest = [m[3], m[4]].filter((x) => x !== undefined && x !== 'x' && x !== '*');
    let v = major;
    // ">16" excludes all of 16.x; ">16.3" still allows 16.
    if (op === '>' && rest.length === 0) v = major + 1;
    if (p.startsWith('<')) continue;
    low = low === undefined ? v : Math.max(low, v);
  }
  return low;
}

/** "20", "v20.11.1", "lts/iron", ">=18 <21", "^18 || ^20", "20.x" → a major or an exact version. */
export function normalizeNodeVersion(raw: string): Normalized | undefined {
  const v = raw.trim().replace(/^(node|nodejs)@/i, '').replace(/^v(?=\d)/, '');
  if (v === '') return undefined;
  const lts = /^lts\/(\*|-?[a-z]+)$/i.exec(v);
  if (lts?.[1]) {
    const name = lts[1].toLowerCase();
    if (name === '*') return { version: CURRENT_LTS, note: `lts/* read as the current LTS line, ${CURRENT_LTS}` };
    const major = LTS_NAMES[name];
    return major ? { version: major, note: `lts/${name} is Node ${major}` } : undefined;
  }
  if (/^(node|stable|latest|current)$/i.test(v)) return undefined;
  if (/^\d+\.\d+\.\d+$/.test(v)) return { version: v };
  if (/^\d+(\.\d+)?(\.[x*])?$/.test(v) || /^\d+\.[x*](\.[x*])?$/.test(v)) return { version: v.split('.')[0]! };
  const lows = v
    .split('||')
    .map((s) => lowestMajor(s))
    .filter((n): n is number => n !== undefined && Number.isFinite(n));
  if (lows.length === 0) return undefined;
  const major = String(Math.min(...lows));
  return { version: major, note: `lowest major satisfying "${raw.trim()}"` };
}

export interface VersionFound {
  version: string;
  fact: Fact;
}

function fromPin(pin: { version: string; file: string; line?: number }, label: string, norm: (s: string) => Normalized | undefined): VersionFound | undefined {
  const n = norm(pin.version);
  if (!n) return undefined;
  return { version: n.version, fact: { file: pin.file, ...(pin.line ? { line: pin.line } : {}), signal: `${label} ${pin.version}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
}

/** Node version: version files (nearest first), asdf/mise, then volta and engines of the package and its workspace root. */
export function nodeVersionOf(source: SourceView, pkg: Pkg, root: Pkg | undefined): VersionFound | undefined {
  for (const name of ['.nvmrc', '.node-version']) {
    const pin = versionFilePin(source, pkg.dir, name);
    const found = pin && fromPin(pin, name, normalizeNodeVersion);
    if (found) return found;
  }
  const pin = runtimePin(source, pkg.dir, ['nodejs', 'node']);
  const found = pin && fromPin(pin, pin.file.endsWith('.tool-versions') ? '.tool-versions nodejs' : 'mise node', normalizeNodeVersion);
  if (found) return found;
  for (const p of [pkg, root]) {
    if (!p) continue;
    const volta = str(p.json.volta?.node);
    if (volta) {
      const n = normalizeNodeVersion(volta);
      if (n) return { version: n.version, fact: { file: p.file, ...keyLine(source, p.file, 'volta'), signal: `volta.node ${volta}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
    }
    const engines = str(p.json.engines?.node);
    if (engines) {
      const n = normalizeNodeVersion(engines);
      // A range says what the project's own code needs; the tools it locked may need a newer major
      // (vite 7 wants ^20.19 || >=22.12): the lowest major both allow.
      const floor = n?.note ? lockedEnginesFloor(source, pkg, root) : undefined;
      if (n && floor && floor.major > Number(n.version) && allowsMajor(engines, floor.major)) {
        return { version: String(floor.major), fact: { file: p.file, ...keyLine(source, p.file, 'node'), signal: `engines.node ${engines}, raised to Node ${floor.major} by the locked ${floor.dep} (engines.node ${floor.range}, ${floor.file})`, kind: 'version' } };
      }
      if (n) return { version: n.version, fact: { file: p.file, ...keyLine(source, p.file, 'node'), signal: `engines.node ${engines}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
    }
  }
  return undefined;
}

/** Whether some release of Node `major` satisfies the range, at the granularity of majors. */
export function allowsMajor(range: string, major: number): boolean {
  return range.split('||').some((set) => {
    const low = lowestMajor(set);
    if (low === undefined || low > major) return false;
    for (const p of set.replace(/([<>=~^]+)\s+/g, '$1').trim().split(/\s+/)) {
      const m = /^(<=|<|\^|~)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(p);
      if (!m) continue;
      const n = Number(m[2]);
      const minorPatchZero = (m[3] ?? '0') === '0' && (m[4] ?? '0') === '0';
      if ((m[1] === '^' || m[1] === '~' || m[1] === undefined) && n !== major && !/^[x*]$/.test(p)) return false;
      if (m[1] === '<' && (minorPatchZero ? major >= n : major > n)) return false;
      if (m[1] === '<=' && major > n) return false;
    }
    return true;
  });
}

/**
 * The lowest Node major that every direct dependency's locked version accepts: the `engines.node`
 * that package-lock.json (v2/v3) and pnpm-lock.yaml (v9) record per package, in the package's
 * folder or its workspace root. Undefined without such a lockfile or when no dependency asks.
 */
function lockedEnginesFloor(source: SourceView, pkg: Pkg, root: Pkg | undefined): { major: number; dep: string; range: string; file: string } | undefined {
  const deps = Object.keys(allDeps(pkg.json));
  const ranges: Array<{ dep: string; range: string; file: string }> = [];
  for (const dir of [...new Set([pkg.dir, root?.dir].filter((d): d is string => d !== undefined))]) {
    const npmLock = inDir(dir, 'package-lock.json');
    const pnpmLock = inDir(dir, 'pnpm-lock.yaml');
    if (source.has(npmLock)) {
      const packages = (source.readJson<{ packages?: Record<string, { engines?: unknown }> }>(npmLock).value?.packages ?? {}) as Record<string, { engines?: unknown }>;
      const member = dir === pkg.dir ? '' : `${pkg.dir.slice(dir === '.' ? 0 : dir.length + 1)}/`;
      for (const d of deps) {
        const entry = packages[`${member}node_modules/${d}`] ?? packages[`node_modules/${d}`];
        const node = (entry?.engines as { node?: unknown } | undefined)?.node;
        if (typeof node === 'string') ranges.push({ dep: d, range: node, file: npmLock });
      }
      break;
    }
    if (source.has(pnpmLock)) {
      type Importer = Record<string, Record<string, { version?: unknown }> | undefined>;
      const lock = source.readYaml<{ importers?: Record<string, Importer>; packages?: Record<string, { engines?: { node?: unknown } }> }>(pnpmLock).value;
      const importer = lock?.importers?.[dir === pkg.dir ? '.' : pkg.dir.slice(dir === '.' ? 0 : dir.length + 1)];
      for (const d of deps) {
        const version = ['dependencies', 'devDependencies', 'optionalDependencies'].map((k) => importer?.[k]?.[d]?.version).find((v) => typeof v === 'string') as string | undefined;
        // "8.14.0" or "5.4.1(@types/node@20.19.0)": the package key drops the peer suffix.
        const node = version ? lock?.packages?.[`${d}@${version.replace(/\(.*$/, '')}`]?.engines?.node : undefined;
        if (typeof node === 'string') ranges.push({ dep: d, range: node, file: pnpmLock });
      }
      break;
    }
  }
  let best: { major: number; dep: string; range: string; file: string } | undefined;
  for (const r of ranges) {
    const n = normalizeNodeVersion(r.range);
    const major = n ? Number(n.version.split('.')[0]) : NaN;
    if (Number.isFinite(major) && (!best || major > best.major)) best = { major, ...r };
  }
  return best;
}

function normalizeBun(raw: string): Normalized | undefined {
  const v = raw.trim().replace(/^bun@/, '').replace(/^v/, '');
  if (/^\d+\.\d+(\.\d+)?$/.test(v)) return { version: v };
  const m = /(\d+\.\d+(?:\.\d+)?)/.exec(v);
  return m?.[1] ? { version: m[1], note: `lowest version satisfying "${raw.trim()}"` } : undefined;
}

/** Bun version: `packageManager: bun@x`, `.bun-version`, asdf/mise, `engines.bun`. */
export function bunVersionOf(source: SourceView, pkg: Pkg, root: Pkg | undefined): VersionFound | undefined {
  for (const p of [pkg, root]) {
    const field = p && str(p.json.packageManager);
    const m = field ? /^bun@(\d+\.\d+(?:\.\d+)?)/.exec(field) : null;
    if (p && m?.[1]) return { version: m[1], fact: { file: p.file, ...keyLine(source, p.file, 'packageManager'), signal: `packageManager ${field}`, kind: 'version' } };
  }
  const file = versionFilePin(source, pkg.dir, '.bun-version');
  const fromFile = file && fromPin(file, '.bun-version', normalizeBun);
  if (fromFile) return fromFile;
  const pin = runtimePin(source, pkg.dir, ['bun']);
  const fromTools = pin && fromPin(pin, 'bun', normalizeBun);
  if (fromTools) return fromTools;
  for (const p of [pkg, root]) {
    const engines = p && str(p.json.engines?.bun);
    const n = engines ? normalizeBun(engines) : undefined;
    if (p && n) return { version: n.version, fact: { file: p.file, ...keyLine(source, p.file, 'bun'), signal: `engines.bun ${engines}${n.note ? ` (${n.note})` : ''}`, kind: 'version' } };
  }
  return undefined;
}
