/** The parts of a package.json the Node provider reads, and small typed accessors over them. */
import type { SourceView } from '../../../source/source-view.js';

export interface PackageJson {
  name?: unknown;
  main?: unknown;
  module?: unknown;
  bin?: unknown;
  types?: unknown;
  typings?: unknown;
  exports?: unknown;
  scripts?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  optionalDependencies?: unknown;
  workspaces?: unknown;
  packageManager?: unknown;
  /** Prisma CLI settings (`schema`: where schema.prisma lives). */
  prisma?: unknown;
  engines?: { node?: unknown; bun?: unknown } | null;
  volta?: { node?: unknown } | null;
  proxy?: unknown;
}

/** One package.json that parsed, with its folder. */
export interface Pkg {
  dir: string;
  file: string;
  json: PackageJson;
}

function record(r: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (r && typeof r === 'object' && !Array.isArray(r)) for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

/** Runtime dependencies (dependencies + optionalDependencies). */
export function runtimeDeps(json: PackageJson): Record<string, string> {
  return { ...record(json.optionalDependencies), ...record(json.dependencies) };
}

/** Every declared dependency, dev included: build tools (vite, astro, react-scripts) often sit in devDependencies. */
export function allDeps(json: PackageJson): Record<string, string> {
  return { ...record(json.devDependencies), ...runtimeDeps(json) };
}

export function scriptsOf(json: PackageJson): Record<string, string> {
  const out: Record<string, string> = {};
  if (json.scripts && typeof json.scripts === 'object') for (const [k, v] of Object.entries(json.scripts)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** `{ line }` of a `"key"` in a JSON file, or `{}`. */
export function keyLine(source: SourceView, file: string, key: string): { line?: number } {
  const line = source.lineOf(file, `"${key}"`);
  return line ? { line } : {};
}

/** Comments and trailing commas out, so deno.jsonc / tsconfig-style files parse as JSON. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  let inStr = false;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (inStr) {
      out += ch;
      if (ch === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (ch === '"') inStr = false;
      i++;
      continue;
    }
    if (ch === '"') {
      inStr = true;
      out += ch;
      i++;
    } else if (ch === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const chunk = text.slice(i, end < 0 ? text.length : end + 2);
      out += chunk.replace(/[^\n]/g, ' ');
      i = end < 0 ? text.length : end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
