/** templates/dockerfile/bun: a Bun service on Bun's image, for build and runtime alike. */
import { IMAGES } from '../../../images/catalog.js';
import { installDownloads, type InstallDownloads } from '../install-downloads.js';
import { exists, join } from '../repo.js';
import { firstExisting, hasScript, type BuildInput, type BuildRuntimeImages, type TemplateContext } from './base.js';
import { resolveScript } from './node.js';

export interface BunX {
  /** package.json and Bun's lockfile. */
  manifests: string[];
  /** Whether a lockfile pins the install (`--frozen-lockfile`). */
  frozen: boolean;
  installDownloads: InstallDownloads;
}

export type BunContext = TemplateContext<'bun', BuildRuntimeImages, BunX>;

export function bunContext({ model: m, rootDir, img, base }: BuildInput): BunContext {
  const dir = m.dir;
  const start = m.spec.commands.start;
  const lock = ['bun.lock', 'bun.lockb'].filter((f) => exists(rootDir, join(dir, f)));
  const entry = firstExisting(rootDir, dir, ['src/index.ts', 'index.ts', 'src/index.js', 'index.js', 'server.ts', 'server.js']) ?? 'index.ts';
  const run = bunForNode(start ? resolveScript(rootDir, dir, start, ['bun', 'run', entry]) : ['bun', 'run', entry]);
  return {
    ...base,
    template: 'bun',
    images: { build: img(IMAGES.bun.ref), runtime: img(IMAGES.bun.ref) },
    start: run,
    dev: hasScript(rootDir, dir, 'dev') ? ['bun', 'run', 'dev'] : ['bun', '--watch', ...run.slice(run[0] === 'bun' && run[1] === 'run' ? 2 : 1)],
    devDirs: ['/app/node_modules'],
    env: [['NODE_ENV', 'production'], ...base.env],
    x: { manifests: ['package.json', ...lock], frozen: lock.length > 0, installDownloads: installDownloads(rootDir, [join(dir, 'package.json')], join(dir, 'package.json')) },
  };
}

/**
 * The Bun image has no `node`. A start command that names it (`node dist/index.js`, often what a
 * `start` script says) runs with bun instead, which implements Node's CLI and APIs for most scripts;
 * shipping a Node image as well would double the runtime for a project that chose Bun. (`bun run`
 * already puts a `node` shim on PATH for package scripts, so only a direct command needs this.)
 */
function bunForNode(cmd: string[]): string[] {
  if (cmd[0] !== 'node') return cmd;
  // `node build` (SvelteKit's adapter-node) loads ./build; to bun a bare word is a subcommand
  // (`bun build` bundles), so the path gets its `./`.
  const [first, ...rest] = cmd.slice(1);
  return first !== undefined && /^[\w-]+$/.test(first) && !first.startsWith('-') ? ['bun', `./${first}`, ...rest] : ['bun', ...cmd.slice(1)];
}
