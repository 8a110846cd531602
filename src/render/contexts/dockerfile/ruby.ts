/** templates/dockerfile/ruby: Bundler in deployment mode, compilers in the build stage only. */
import { IMAGES } from '../../../images/catalog.js';
import { toExec } from '../commands.js';
import { join, readText } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface RubyX {
  /** Whether Gemfile.lock exists (deployment mode needs it). */
  lock: boolean;
  rails: boolean;
  /** apt packages the gems compile against (the database clients' headers among them). */
  buildPackages: string[];
  /** Shared libraries those gems load at run time. */
  runtimePackages: string[];
}

export type RubyContext = TemplateContext<'ruby', BuildRuntimeImages, RubyX>;

export function rubyContext({ model: m, rootDir, img, base }: BuildInput): RubyContext {
  const s = m.spec;
  const lock = readText(rootDir, join(m.dir, 'Gemfile.lock')) ?? '';
  const rails = s.framework === 'rails';
  const pg = /^\s{4}pg \(/m.test(lock);
  const mysql = /^\s{4}mysql2 \(/m.test(lock);
  const railsServer = ['bin/rails', 'server', '-b', '0.0.0.0'];
  const start = s.commands.start ? toExec(s.commands.start) : rails ? railsServer : ['bundle', 'exec', 'rackup', '-o', '0.0.0.0', '-p', String(m.port ?? 8080)];
  return {
    ...base,
    template: 'ruby',
    images: { build: img(IMAGES.ruby.ref), runtime: img(IMAGES.ruby.ref) },
    start,
    dev: rails ? railsServer : start,
    devDirs: [],
    env: [...base.env, ['RAILS_ENV', 'production'], ['RACK_ENV', 'production'], ['RAILS_LOG_TO_STDOUT', '1'], ['RAILS_SERVE_STATIC_FILES', '1']],
    x: {
      lock: lock !== '',
      rails,
      buildPackages: ['build-essential', 'git', ...(pg ? ['libpq-dev'] : []), ...(mysql ? ['default-libmysqlclient-dev'] : [])],
      runtimePackages: [...(pg ? ['libpq5'] : []), ...(mysql ? ['libmariadb3'] : [])],
    },
  };
}
