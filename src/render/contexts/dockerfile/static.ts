/**
 * templates/dockerfile/static (and its nginx.conf): files served by unprivileged nginx, built first
 * by the Node (or Bun) install of node.ts when the spec has a build command.
 */
import { IMAGES } from '../../../images/catalog.js';
import type { InstallDownloads } from '../install-downloads.js';
import { exists, join } from '../repo.js';
import { hasScript, type BuildInput, type TemplateContext } from './base.js';
import { nodeContext, runner, type NodeInstall, type NodePm, type NodeX } from './node.js';

/** Files copied as they are: no build stage. */
export interface StaticPlainX {
  build: null;
  staticDir: string;
}

/** A build stage first (Node's package managers, or Bun's); only its output folder ships. */
export interface StaticBuiltX extends Pick<NodeX, 'configMounts' | 'serviceDir'> {
  build: string;
  staticDir: string;
  pm: NodePm | 'bun';
  installDownloads: InstallDownloads;
  manifests: string[];
  memberManifests: string[];
  toolFiles: string[];
  workspace: boolean;
  install: NodeInstall;
  pnpmVersion: string | null;
  yarnPnp: boolean;
}

export type StaticContext = TemplateContext<'static', { runtime: string; build: string | null }, StaticPlainX | StaticBuiltX>;

export function staticContext(input: BuildInput): StaticContext {
  const { model: m, rootDir, img, base } = input;
  const s = m.spec;
  const build = s.commands.build;
  const staticDir = (s.staticDir ?? (build ? 'dist' : '.')).replace(/\/+$/, '') || '.';
  const plain: StaticContext = {
    ...base,
    template: 'static',
    images: { runtime: img(IMAGES.staticServer.ref), build: null },
    start: [],
    dev: [],
    devDirs: ['/app/node_modules'],
    env: [],
    x: { build: null, staticDir },
  };
  if (build === null) return plain;
  const node = nodeContext({ ...input, base: { ...base, env: [] } });
  const { pm, installDownloads, manifests, configMounts, memberManifests, toolFiles, workspace, serviceDir, install, pnpmVersion, yarnPnp } = node.x;
  // Vite-based dev servers listen on localhost:5173 unless told otherwise.
  const viteLike = s.framework === 'vite' || s.framework === 'astro' || s.framework === 'sveltekit';
  const args = viteLike ? ['--host', '0.0.0.0', '--port', String(m.port ?? 8080)] : [];
  const dev = hasScript(rootDir, m.dir, 'dev') ? [runner(pm), 'run', 'dev', ...(pm === 'npm' && args.length ? ['--'] : []), ...args] : [];
  const x: StaticBuiltX = { pm, installDownloads, manifests, configMounts, memberManifests, toolFiles, workspace, serviceDir, install, pnpmVersion, yarnPnp, build: build.trim(), staticDir };
  if (s.packageManager !== 'bun') return { ...plain, images: { ...plain.images, build: node.images.build }, dev, x };
  // A Bun project's static build: Bun's image installs from its lockfile and runs the build
  // (`bun run` puts a `node` shim on PATH for tools such as vite); npm would ignore bun.lock.
  const lock = ['bun.lock', 'bun.lockb'].filter((f) => exists(rootDir, join(m.dir, f)));
  const frozen = lock.length ? ' --frozen-lockfile' : '';
  return {
    ...plain,
    images: { ...plain.images, build: img(IMAGES.bun.ref) },
    dev: dev.length ? ['bun', ...dev.slice(1).filter((a) => a !== '--')] : dev,
    x: {
      ...x,
      pm: 'bun',
      manifests: ['package.json', ...lock],
      memberManifests: [],
      toolFiles: [],
      workspace: false,
      pnpmVersion: null,
      yarnPnp: false,
      install: { all: `bun install${frozen}`, prod: `bun install${frozen} --production`, cache: '/root/.bun/install/cache', setup: null },
    },
  };
}
