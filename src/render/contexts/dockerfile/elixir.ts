/** templates/dockerfile/elixir: a `mix release` run on Debian slim. */
import { IMAGES } from '../../../images/catalog.js';
import { exists, join, readText } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface ElixirX {
  /** The OTP application name: the release's folder and start script. */
  app: string;
  /** Whether mix.lock pins the dependencies. */
  lock: boolean;
  /** Compile-time config files copied before the dependencies compile. */
  configs: string[];
  /** Phoenix assets to deploy before the release. */
  assets: boolean;
}

export type ElixirContext = TemplateContext<'elixir', BuildRuntimeImages, ElixirX>;

export function elixirContext({ model: m, rootDir, img, base }: BuildInput): ElixirContext {
  const s = m.spec;
  const dir = m.dir;
  const phoenix = s.framework === 'phoenix';
  const mix = readText(rootDir, join(dir, 'mix.exs')) ?? '';
  const app = /app:\s*:([a-z_][a-z0-9_]*)/.exec(mix)?.[1] ?? m.name.replace(/-/g, '_');
  return {
    ...base,
    template: 'elixir',
    images: { build: img(IMAGES.elixir.ref), runtime: img(IMAGES.debian.ref) },
    start: [`/app/bin/${app}`, 'start'],
    dev: ['mix', phoenix ? 'phx.server' : 'run', ...(phoenix ? [] : ['--no-halt'])],
    devDirs: [],
    env: [...base.env, ['MIX_ENV', 'prod'], ['LANG', 'C.UTF-8'], ...(phoenix ? [['PHX_SERVER', 'true'] as [string, string]] : [])],
    x: {
      app,
      lock: exists(rootDir, join(dir, 'mix.lock')),
      configs: ['config/config.exs', 'config/prod.exs'].filter((f) => exists(rootDir, join(dir, f))),
      assets: exists(rootDir, join(dir, 'assets')) && phoenix,
    },
  };
}
