/**
 * The providers, in order. Order only breaks ties between candidates of equal role and confidence
 * at the same folder: ecosystem providers come first, the generic ones (existing Dockerfiles and
 * compose files, static sites, shell scripts) last, because they describe a folder less precisely.
 */
import type { Provider } from './provider.js';
import { elixirProvider } from './providers/elixir.js';
import { dotnetProvider } from './providers/dotnet.js';
import { phpProvider } from './providers/php.js';
import { rubyProvider } from './providers/ruby.js';
import { jvmProvider } from './providers/jvm.js';
import { gleamProvider } from './providers/gleam.js';
import { crystalProvider } from './providers/crystal.js';
import { dartProvider } from './providers/dart.js';
import { swiftProvider } from './providers/swift.js';
import { haskellProvider } from './providers/haskell.js';
import { zigProvider } from './providers/zig.js';
import { cppProvider } from './providers/cpp.js';
import { staticProvider } from './providers/static.js';
import { shellProvider } from './providers/shell.js';
import { dockerfileProvider } from './providers/dockerfile.js';
import { composeProvider } from './providers/compose.js';
import { pythonProvider } from './providers/python.js';
import { goProvider } from './providers/go.js';
import { rustProvider } from './providers/rust.js';
import { denoProvider } from './providers/deno.js';
import { nodeProvider } from './providers/node.js';
import type { Language } from './types.js';

export const PROVIDERS: readonly Provider[] = [
  // Ecosystem providers (one file each under providers/) are added here.
  elixirProvider,
  dotnetProvider,
  phpProvider,
  rubyProvider,
  jvmProvider,
  gleamProvider,
  crystalProvider,
  dartProvider,
  swiftProvider,
  haskellProvider,
  zigProvider,
  cppProvider,
  pythonProvider,
  goProvider,
  rustProvider,
  // Deno before Node: a deno.json folder with a package.json for npm interop is a Deno app.
  denoProvider,
  nodeProvider,
  // Generic providers stay last (add ecosystem providers above): they describe a folder less precisely.
  staticProvider,
  shellProvider,
  dockerfileProvider,
  composeProvider,
];

/** What each ecosystem is recognised by, for the "nothing detected" message. */
export const KNOWN_MANIFESTS: ReadonlyArray<{ language: Language; files: string[] }> = [
  { language: 'node', files: ['package.json'] },
  { language: 'bun', files: ['bun.lockb', 'bun.lock', 'bunfig.toml'] },
  { language: 'deno', files: ['deno.json', 'deno.jsonc'] },
  { language: 'python', files: ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'manage.py'] },
  { language: 'go', files: ['go.mod', 'go.work'] },
  { language: 'rust', files: ['Cargo.toml'] },
  { language: 'java', files: ['pom.xml', 'build.gradle', 'build.gradle.kts'] },
  { language: 'kotlin', files: ['build.gradle.kts'] },
  { language: 'scala', files: ['build.sbt'] },
  { language: 'clojure', files: ['project.clj', 'deps.edn'] },
  { language: 'ruby', files: ['Gemfile', 'config.ru'] },
  { language: 'php', files: ['composer.json', 'index.php'] },
  { language: 'dotnet', files: ['*.csproj', '*.fsproj', '*.sln'] },
  { language: 'elixir', files: ['mix.exs'] },
  { language: 'gleam', files: ['gleam.toml'] },
  { language: 'crystal', files: ['shard.yml'] },
  { language: 'dart', files: ['pubspec.yaml'] },
  { language: 'swift', files: ['Package.swift'] },
  { language: 'haskell', files: ['stack.yaml', '*.cabal'] },
  { language: 'zig', files: ['build.zig'] },
  { language: 'cpp', files: ['CMakeLists.txt', 'meson.build'] },
  { language: 'static', files: ['index.html', 'Staticfile', 'public/index.html'] },
  { language: 'shell', files: ['start.sh', 'run.sh'] },
];
