/**
 * The providers, in order. Order only breaks ties between candidates of equal role and confidence
 * at the same folder: ecosystem providers come first, the generic ones (existing Dockerfiles and
 * compose files, static sites, shell scripts) last, because they describe a folder less precisely.
 *
 * Each provider module loads only when the repository holds a file that can wake it (`marks`): a
 * one-service repository needs two or three of the 21, and loading all of them was a fifth of what
 * `stackgen detect` cost to start. A provider's marks are the base names its `detect` starts from
 * (its manifests, or the files it scans when there is none); without one of them it finds nothing
 * and reads nothing. Widen them with the provider: test/detect/registry.test.ts runs every fixture
 * both ways and every provider against its marks.
 */
import type { Provider } from './provider.js';
import type { Language } from './types.js';

export interface ProviderEntry {
  /** The provider's `name`. */
  readonly name: string;
  /** Base names (anywhere in the tree, test folders included) that can make the provider find something. */
  readonly marks: RegExp;
  /** Base names of files directly in the root folder that can too (the shell provider's root program). */
  readonly rootMarks?: RegExp;
  readonly load: () => Promise<Provider>;
}

export const PROVIDER_ENTRIES: readonly ProviderEntry[] = [
  // Ecosystem providers (one file each under providers/) are added here.
  { name: 'elixir', marks: /^mix\.exs$/, load: async () => (await import('./providers/elixir.js')).elixirProvider },
  { name: 'dotnet', marks: /\.(csproj|fsproj|vbproj|slnx?)$/, load: async () => (await import('./providers/dotnet.js')).dotnetProvider },
  { name: 'php', marks: /^(composer\.json|index\.php)$/, load: async () => (await import('./providers/php.js')).phpProvider },
  { name: 'ruby', marks: /^(Gemfile|config\.ru)$/, load: async () => (await import('./providers/ruby.js')).rubyProvider },
  {
    name: 'jvm',
    marks: /^(pom\.xml|(build|settings)\.gradle(\.kts)?|build\.sbt|project\.clj|deps\.edn)$/,
    load: async () => (await import('./providers/jvm.js')).jvmProvider,
  },
  { name: 'gleam', marks: /^gleam\.toml$/, load: async () => (await import('./providers/gleam.js')).gleamProvider },
  { name: 'crystal', marks: /^shard\.yml$/, load: async () => (await import('./providers/crystal.js')).crystalProvider },
  { name: 'dart', marks: /^pubspec\.yaml$/, load: async () => (await import('./providers/dart.js')).dartProvider },
  { name: 'swift', marks: /^Package\.swift$/, load: async () => (await import('./providers/swift.js')).swiftProvider },
  { name: 'haskell', marks: /^package\.yaml$|\.cabal$/, load: async () => (await import('./providers/haskell.js')).haskellProvider },
  { name: 'zig', marks: /^build\.zig$/, load: async () => (await import('./providers/zig.js')).zigProvider },
  { name: 'cpp', marks: /^(CMakeLists\.txt|meson\.build)$/, load: async () => (await import('./providers/cpp.js')).cppProvider },
  {
    name: 'python',
    marks: /^(pyproject\.toml|Pipfile|setup\.py|setup\.cfg|manage\.py|uv\.lock|poetry\.lock|pdm\.lock)$|^requirements[\w.-]*\.(txt|in)$/,
    load: async () => (await import('./providers/python.js')).pythonProvider,
  },
  // A `package main` without go.mod is a program too: any .go file wakes the provider.
  { name: 'go', marks: /^go\.(mod|work)$|\.go$/, load: async () => (await import('./providers/go.js')).goProvider },
  { name: 'rust', marks: /^Cargo\.toml$/, load: async () => (await import('./providers/rust.js')).rustProvider },
  // Deno before Node: a deno.json folder with a package.json for npm interop is a Deno app.
  // Scripts wake it too: a Deno program needs no deno.json (`npm:`/`jsr:` imports say what it is).
  { name: 'deno', marks: /^deno\.jsonc?$|\.(ts|tsx|js|mjs)$/, load: async () => (await import('./providers/deno.js')).denoProvider },
  { name: 'node', marks: /^package\.json$/, load: async () => (await import('./providers/node.js')).nodeProvider },
  // Generic providers stay last (add ecosystem providers above): they describe a folder less precisely.
  { name: 'static', marks: /^(index\.html|Staticfile)$/, load: async () => (await import('./providers/static.js')).staticProvider },
  {
    name: 'shell',
    marks: /^(start|run|serve|server|entrypoint|docker-entrypoint)\.sh$/,
    // With no server script, an executable at the root (`*.sh`, `*.bash` or no extension) is the program.
    rootMarks: /^[^.]+$|^[^.].*\.(sh|bash)$/,
    load: async () => (await import('./providers/shell.js')).shellProvider,
  },
  { name: 'dockerfile', marks: /Dockerfile|dockerfile|^Containerfile$/, load: async () => (await import('./providers/dockerfile.js')).dockerfileProvider },
  { name: 'compose', marks: /^(docker-)?compose\..*ya?ml$/, load: async () => (await import('./providers/compose.js')).composeProvider },
];

/** The entries a repository with these files (root-relative posix paths) can wake, in registry order. */
export function entriesFor(files: readonly string[]): ProviderEntry[] {
  const names = new Set<string>();
  const rootNames: string[] = [];
  for (const f of files) {
    const cut = f.lastIndexOf('/');
    names.add(f.slice(cut + 1));
    if (cut < 0) rootNames.push(f);
  }
  const any = (re: RegExp, list: Iterable<string>): boolean => {
    for (const n of list) if (re.test(n)) return true;
    return false;
  };
  return PROVIDER_ENTRIES.filter((e) => any(e.marks, names) || (e.rootMarks !== undefined && any(e.rootMarks, rootNames)));
}

/** The providers a repository with these files can wake, loaded, in registry order. */
export async function providersFor(files: readonly string[]): Promise<Provider[]> {
  return Promise.all(entriesFor(files).map((e) => e.load()));
}

/** Every provider, loaded, in registry order. */
export async function allProviders(): Promise<Provider[]> {
  return Promise.all(PROVIDER_ENTRIES.map((e) => e.load()));
}

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
