/**
 * Python dependency declarations, wherever a project keeps them: requirements files (following
 * `-r` includes), PEP 621 `[project]`, Poetry, PDM, Pipfile, setup.py and setup.cfg. Only runtime
 * dependencies count: dev groups and test requirement files describe the developer's machine.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { inDir } from '../../provider.js';

export interface PyDep {
  /** Normalised name (PEP 503: lower case, runs of -_. as one dash). */
  name: string;
  /** Extras as written, e.g. ["standard"] for `uvicorn[standard]`. */
  extras: string[];
  file: string;
  line?: number;
}

export type Toml = Record<string, unknown>;

export function normName(n: string): string {
  return n.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/** `Django>=4.2 ; python_version>"3.8"` → {name: django}; URLs, options and blanks → undefined. */
export function parseRequirement(spec: string): { name: string; extras: string[] } | undefined {
  const s = spec.replace(/\s+#.*$/, '').trim();
  if (s === '' || s.startsWith('#') || s.startsWith('-') || /^(git\+|https?:|file:|\.|\/)/.test(s)) {
    // `-e git+https://…#egg=name` still names the package.
    const egg = /#egg=([A-Za-z0-9_.-]+)/.exec(s)?.[1];
    return egg ? { name: normName(egg), extras: [] } : undefined;
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?/.exec(s);
  if (!m?.[1]) return undefined;
  return { name: normName(m[1]), extras: (m[2] ?? '').split(',').map((e) => e.trim()).filter(Boolean) };
}

const DEV_REQ = /(^|[-_/.])(dev|devel|develop|development|test|tests|testing|lint|docs?|ci|local|typing|mypy)([-_.]|$)/i;

/** Requirement files that describe the running app: requirements.txt and its includes, else production-ish files. */
export function requirementFiles(source: SourceView, dir: string): string[] {
  const main = inDir(dir, 'requirements.txt');
  if (source.has(main)) return [main];
  const inReqDir = source.list(inDir(dir, 'requirements')).filter((f) => f.endsWith('.txt') || f.endsWith('.in'));
  const prod = ['prod.txt', 'production.txt', 'base.txt', 'common.txt', 'main.txt', 'requirements.txt'].map((n) => inDir(dir, `requirements/${n}`)).find((f) => source.has(f));
  if (prod) return [prod];
  const siblings = source.list(dir).filter((f) => /^requirements[\w.-]*\.(txt|in)$/.test(path.posix.basename(f)) && !DEV_REQ.test(path.posix.basename(f).replace(/^requirements/, '')));
  if (siblings.length > 0) return siblings.sort().slice(0, 1);
  return inReqDir.filter((f) => !DEV_REQ.test(path.posix.basename(f))).sort().slice(0, 1);
}

/** Dependencies of requirement files, following `-r`/`-c` includes (bounded, cycle-safe). */
export function readRequirements(source: SourceView, files: string[]): PyDep[] {
  const out: PyDep[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number) => {
    if (seen.has(file) || depth > 4) return;
    seen.add(file);
    const text = source.readText(file);
    if (text === undefined) return;
    text.split(/\r?\n/).forEach((raw, i) => {
      const l = raw.trim();
      const inc = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(l);
      if (inc?.[1]) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), inc[1]));
        if (!DEV_REQ.test(path.posix.basename(target).replace(/^requirements/, ''))) visit(target, depth + 1);
        return;
      }
      const r = parseRequirement(l);
      if (r) out.push({ ...r, file, line: i + 1 });
    });
  };
  for (const f of files) visit(f, 0);
  return out;
}

/** 1-based line of a dependency name in a manifest's text (the first mention after `after`, if any). */
export function depLine(text: string, name: string, after?: RegExp): number | undefined {
  const lines = text.split('\n');
  let start = 0;
  if (after) {
    const i = lines.findIndex((l) => after.test(l));
    if (i >= 0) start = i;
  }
  const pat = name.split('-').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[-_.]');
  const re = new RegExp(`(^|["'\\s])${pat}\\s*(\\[|["'\\s=<>~!;@,]|$)`, 'i');
  for (let i = start; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i + 1;
  return undefined;
}

function obj(v: unknown): Toml | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Toml) : undefined;
}

export function tomlPath(t: Toml | undefined, ...keys: string[]): unknown {
  let cur: unknown = t;
  for (const k of keys) cur = obj(cur)?.[k];
  return cur;
}

/** Runtime dependencies declared in pyproject.toml: PEP 621, Poetry's main group, and nothing from dev groups. */
export function pyprojectDeps(pyproject: Toml, file: string, text: string): PyDep[] {
  const out: PyDep[] = [];
  const pep = tomlPath(pyproject, 'project', 'dependencies');
  if (Array.isArray(pep)) {
    for (const d of pep) {
      if (typeof d !== 'string') continue;
      const r = parseRequirement(d);
      if (r) out.push({ ...r, file, ...lineOpt(depLine(text, r.name, /^\s*dependencies\s*=/)) });
    }
  }
  const poetry = obj(tomlPath(pyproject, 'tool', 'poetry', 'dependencies'));
  if (poetry) {
    for (const [k, v] of Object.entries(poetry)) {
      if (normName(k) === 'python') continue;
      const extras = Array.isArray(obj(v)?.extras) ? (obj(v)!.extras as unknown[]).filter((e): e is string => typeof e === 'string') : [];
      out.push({ name: normName(k), extras, file, ...lineOpt(depLine(text, normName(k), /^\s*\[tool\.poetry\.dependencies\]/)) });
    }
  }
  return out;
}

/** Pipfile `[packages]` (not `[dev-packages]`). */
export function pipfileDeps(pipfile: Toml, file: string, text: string): PyDep[] {
  const pk = obj(pipfile.packages);
  if (!pk) return [];
  return Object.entries(pk).map(([k, v]) => {
    const extras = Array.isArray(obj(v)?.extras) ? (obj(v)!.extras as unknown[]).filter((e): e is string => typeof e === 'string') : [];
    return { name: normName(k), extras, file, ...lineOpt(depLine(text, normName(k), /^\s*\[packages\]/)) };
  });
}

/** `install_requires=[…]` in setup.py and `install_requires =` in setup.cfg, read as text (never executed). */
export function setupDeps(source: SourceView, dir: string): PyDep[] {
  const out: PyDep[] = [];
  const py = inDir(dir, 'setup.py');
  const pyText = source.has(py) ? source.readText(py) : undefined;
  if (pyText) {
    const block = /install_requires\s*=\s*\[([\s\S]*?)\]/.exec(pyText);
    if (block?.[1]) {
      const startLine = pyText.slice(0, block.index).split('\n').length;
      for (const m of block[1].matchAll(/["']([^"']+)["']/g)) {
        const r = parseRequirement(m[1]!);
        if (!r) continue;
        const line = startLine + block[1].slice(0, m.index).split('\n').length - 1;
        out.push({ ...r, file: py, line });
      }
    }
  }
  const cfg = inDir(dir, 'setup.cfg');
  const cfgText = source.has(cfg) ? source.readText(cfg) : undefined;
  if (cfgText) {
    const lines = cfgText.split(/\r?\n/);
    let inReq = false;
    lines.forEach((l, i) => {
      if (/^install_requires\s*=/.test(l)) {
        inReq = true;
        const rest = l.replace(/^install_requires\s*=/, '');
        const r = parseRequirement(rest);
        if (r) out.push({ ...r, file: cfg, line: i + 1 });
        return;
      }
      if (inReq) {
        if (!/^\s+\S/.test(l)) {
          if (l.trim() !== '') inReq = false;
          return;
        }
        const r = parseRequirement(l);
        if (r) out.push({ ...r, file: cfg, line: i + 1 });
      }
    });
  }
  return out;
}

export function lineOpt(line: number | undefined): { line?: number } {
  return line ? { line } : {};
}
