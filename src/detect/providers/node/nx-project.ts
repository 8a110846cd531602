/**
 * An Nx standalone Node application: `project.json` beside `package.json` (create-nx-workspace's
 * `node-standalone` preset) whose `build` target compiles a server for Node. Its package scripts are
 * `nx serve` (a dev server) and `nx build`; what production runs is the built entry, which the build
 * executor's options name:
 * - bundlers (`@nx/esbuild:esbuild`, `@nx/webpack:webpack`, `@nx/rspack:rspack`) write
 *   `<outputPath>/<main's base name>.js`;
 * - compilers (`@nx/js:tsc`, `@nx/js:swc`) keep the source layout: `<outputPath>/src/main.js` for
 *   `main: src/main.ts` (relative to `rootDir` when the target sets one);
 * - `outputFileName` overrides both, as `@nx/js:node` (the `serve` executor) reads it.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { inDir, type Fact } from '../../provider.js';

type Obj = Record<string, unknown>;

const BUNDLERS = /^@(?:nx|nrwl)\/(?:esbuild:esbuild|webpack:webpack|node:webpack|rspack:rspack)$/;
const COMPILERS = /^@(?:nx|nrwl)\/js:(?:tsc|swc)$/;

export interface NxNodeApp {
  /** The built entry, relative to the package folder: `dist/api/main.js`. */
  entry: string;
  /** The source entry the build starts from, repository-relative. */
  main: string;
  /** The project's name (`api`), when project.json gives one. */
  name?: string;
  fact: Fact;
}

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Nx's path tokens: in a standalone project the workspace root and the project root are the package folder. */
function rel(p: string): string {
  return path.posix.normalize(p.replace(/\{(?:workspaceRoot|projectRoot)\}\/?/g, '').replace(/^\.\//, '')).replace(/\/$/, '');
}

/** The Node application an Nx `project.json` in `dir` builds, or undefined (a library, a browser app, another executor). */
export function nxNodeApp(source: SourceView, dir: string): NxNodeApp | undefined {
  const file = inDir(dir, 'project.json');
  if (!source.has(file)) return undefined;
  const project = obj(source.readJson(file).value);
  if (project.projectType !== undefined && project.projectType !== 'application') return undefined;
  const build = obj(obj(project.targets).build);
  const executor = str(build.executor) ?? '';
  const options = obj(build.options);
  const outputPath = str(options.outputPath);
  const main = str(options.main);
  if (!outputPath || !main || !/\.[cm]?[jt]s$/.test(main)) return undefined;
  const named = str(options.outputFileName);
  let entry: string;
  if (BUNDLERS.test(executor)) {
    // webpack's default target is the browser; esbuild's platform defaults to node.
    const esbuild = executor.endsWith(':esbuild');
    const platform = str(options.platform) ?? (esbuild ? 'node' : undefined);
    const target = str(options.target) ?? (esbuild ? undefined : 'web');
    if ((platform !== undefined && platform !== 'node') || (target !== undefined && target !== 'node')) return undefined;
    entry = path.posix.join(rel(outputPath), named ?? `${path.posix.basename(main).replace(/\.[cm]?[jt]s$/, '')}.js`);
  } else if (COMPILERS.test(executor)) {
    const root = str(options.rootDir);
    const fromRoot = root ? path.posix.relative(rel(root) || '.', rel(main)) : rel(main);
    entry = path.posix.join(rel(outputPath), named ?? fromRoot.replace(/\.[cm]?[jt]s$/, '.js'));
  } else return undefined;
  if (entry === '..' || entry.startsWith('../') || path.posix.isAbsolute(entry)) return undefined;
  const line = source.lineOf(file, `"${executor}"`);
  return {
    entry,
    main: inDir(dir, rel(main)),
    ...(str(project.name) ? { name: str(project.name)! } : {}),
    fact: { file, ...(line ? { line } : {}), signal: `Nx build target \`${executor}\` (main ${main}): runs ${entry}`, kind: 'start' },
  };
}
