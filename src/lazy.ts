/**
 * Parsers load on first use: `stackgen detect` on a Node repository never reads XML, TOML or a
 * Dockerfile, and loading those parsers up front was a fifth of its run. The CommonJS build of each
 * is loaded (one file each, where the ESM builds are dozens of modules), synchronously, so the code
 * that parses stays synchronous. The same holds for the glob matcher (only globs and `exclude` need
 * it, six modules) and the `.gitignore` reader (only when the repository has one).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `load()` on the first call, its value after. */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

export const tomlParser = lazy(() => require('smol-toml') as typeof import('smol-toml'));
export const yamlLib = lazy(() => require('yaml') as typeof import('yaml'));
export const xmlParser = lazy(() => require('fast-xml-parser') as typeof import('fast-xml-parser'));
export const dockerfileAst = lazy(() => require('dockerfile-ast') as typeof import('dockerfile-ast'));
export const picomatchLib = lazy(() => require('picomatch') as typeof import('picomatch'));
export const ignoreLib = lazy(() => require('ignore') as typeof import('ignore'));
