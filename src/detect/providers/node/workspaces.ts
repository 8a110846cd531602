/**
 * Monorepo layout: which package.json folders are workspace roots and which packages belong to
 * them. Members come from npm/yarn/bun `workspaces` (array or `{packages}`), `pnpm-workspace.yaml`,
 * `lerna.json` and, for Nx repositories without any of those, the conventional apps/libs/packages.
 */
import type { SourceView } from '../../../source/source-view.js';
import { inDir, type Fact } from '../../provider.js';
import { picomatchLib } from '../../../lazy.js';
import { clip } from '../others-util.js';
import { keyLine, type Pkg } from './package-json.js';

export interface WorkspaceRoot {
  pkg: Pkg;
  patterns: string[];
  facts: Fact[];
  /** Turborepo drives the builds (turbo.json or a `turbo` dependency at the root). */
  turbo: boolean;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function rootPatterns(source: SourceView, pkg: Pkg): { patterns: string[]; facts: Fact[] } {
  const ws = pkg.json.workspaces;
  const listed = Array.isArray(ws) ? strings(ws) : ws && typeof ws === 'object' ? strings((ws as { packages?: unknown }).packages) : [];
  if (listed.length > 0) return { patterns: listed, facts: [{ file: pkg.file, ...keyLine(source, pkg.file, 'workspaces'), signal: `workspaces ${clip(listed.join(', '), 60)}`, kind: 'heuristic' }] };
  const pnpm = inDir(pkg.dir, 'pnpm-workspace.yaml');
  if (source.has(pnpm)) {
    const { value } = source.readYaml<{ packages?: unknown }>(pnpm);
    const p = strings((value as { packages?: unknown } | undefined)?.packages);
    return { patterns: p, facts: [{ file: pnpm, signal: `pnpm workspace ${clip(p.join(', '), 60)}`, kind: 'heuristic' }] };
  }
  const lerna = inDir(pkg.dir, 'lerna.json');
  if (source.has(lerna)) {
    const { value } = source.readJson<{ packages?: unknown }>(lerna);
    const p = strings(value?.packages);
    const patterns = p.length > 0 ? p : ['packages/*'];
    return { patterns, facts: [{ file: lerna, signal: `lerna packages ${clip(patterns.join(', '), 60)}`, kind: 'heuristic' }] };
  }
  const nx = inDir(pkg.dir, 'nx.json');
  if (source.has(nx)) return { patterns: ['apps/*', 'libs/*', 'packages/*', 'apps/*/*', 'libs/*/*', 'packages/*/*'], facts: [{ file: nx, signal: 'Nx workspace', kind: 'heuristic' }] };
  return { patterns: [], facts: [] };
}

/** Workspace roots (shallowest first) and, for each member folder, its root. */
export function findWorkspaces(source: SourceView, pkgs: Pkg[]): { roots: Map<string, WorkspaceRoot>; rootOf: Map<string, WorkspaceRoot> } {
  const roots = new Map<string, WorkspaceRoot>();
  const rootOf = new Map<string, WorkspaceRoot>();
  for (const p of pkgs) {
    if (rootOf.has(p.dir)) continue;
    const { patterns, facts } = rootPatterns(source, p);
    if (facts.length === 0) continue;
    const turboFile = inDir(p.dir, 'turbo.json');
    const turbo = source.has(turboFile) || Boolean((p.json.devDependencies as Record<string, unknown> | undefined)?.turbo);
    if (source.has(turboFile)) facts.push({ file: turboFile, signal: 'Turborepo (turbo.json)', kind: 'heuristic' });
    const root: WorkspaceRoot = { pkg: p, patterns, facts, turbo };
    roots.set(p.dir, root);
    const clean = (x: string) => x.replace(/^\.\//, '').replace(/\/+$/, '').replace(/\/\*\*$/, '/**');
    const positive = patterns.filter((x) => !x.startsWith('!')).map(clean);
    const negative = patterns.filter((x) => x.startsWith('!')).map((x) => clean(x.slice(1)));
    const picomatch = picomatchLib();
    const isIn = picomatch(positive.length > 0 ? positive : ['__none__']);
    const isOut = negative.length > 0 ? picomatch(negative) : () => false;
    for (const m of pkgs) {
      if (m === p || rootOf.has(m.dir)) continue;
      if (p.dir !== '.' && !m.dir.startsWith(`${p.dir}/`)) continue;
      const rel = p.dir === '.' ? m.dir : m.dir.slice(p.dir.length + 1);
      if (isIn(rel) && !isOut(rel)) rootOf.set(m.dir, root);
    }
  }
  return { roots, rootOf };
}
