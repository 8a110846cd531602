/** templates/dockerfile/deno: dependencies cached into DENO_DIR at build time. */
import { IMAGES } from '../../../images/catalog.js';
import { toExec } from '../commands.js';
import { exists, join } from '../repo.js';
import { firstExisting, type BuildInput, type BuildRuntimeImages, type TemplateContext } from './base.js';

export interface DenoX {
  /** deno.json(c), deno.lock and package.json, those present. */
  manifests: string[];
  /** The module `deno cache` warms. */
  entry: string;
  /** Whether deno.lock pins the install (`--frozen`). */
  lock: boolean;
}

export type DenoContext = TemplateContext<'deno', BuildRuntimeImages, DenoX>;

export function denoContext({ model: m, rootDir, img, base }: BuildInput): DenoContext {
  const s = m.spec;
  const dir = m.dir;
  const manifests = ['deno.json', 'deno.jsonc', 'deno.lock', 'package.json'].filter((f) => exists(rootDir, join(dir, f)));
  // The file the start (or install) command names — a program without deno.json is its own entry — else the conventional ones.
  const named = [s.commands.start, s.commands.install].map((c) => /^deno\s+(?:run|cache|serve)\s+(?:-\S+\s+)*([\w./@-]+\.[cm]?[jt]sx?)\s*$/.exec(c ?? '')?.[1]).find((f) => f !== undefined && exists(rootDir, join(dir, f)));
  const entry = named ?? firstExisting(rootDir, dir, ['main.ts', 'src/main.ts', 'server.ts', 'mod.ts', 'main.js']) ?? 'main.ts';
  const start = s.commands.start ? toExec(s.commands.start) : ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', entry];
  return {
    ...base,
    template: 'deno',
    images: { build: img(IMAGES.deno.ref), runtime: img(IMAGES.deno.ref) },
    start,
    dev: start[0] === 'deno' && start[1] === 'run' ? ['deno', 'run', '--watch', ...start.slice(2)] : start,
    devDirs: [],
    x: { manifests, entry, lock: manifests.includes('deno.lock') },
  };
}
