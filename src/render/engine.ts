/**
 * The one Nunjucks environment. Configured once: no autoescape (we write YAML, shell and
 * Dockerfiles, not HTML), undefined variables throw (a typo in a template is a bug, not an empty
 * string), and block tags leave no stray whitespace. Templates come from the built-in
 * `templates/` folder, shadowed path-by-path by a user folder (`.stackgen/templates/` or
 * `--templates DIR`). Strings from a user's spec are only ever values, never templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { stringify } from 'yaml';
import { StackgenError } from '../errors.js';

/** templates/ ships next to src/ and dist/ alike. */
export const BUILTIN_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates');

export interface TemplateEngineOptions {
  /** Folders whose files shadow built-in templates of the same relative path; first wins. */
  overrideDirs?: string[];
}

export interface TemplateEngine {
  /** Renders `templates/<name>` with a typed context built by the artifact's context builder. */
  render(name: string, context: object): string;
  /** Which folder a template resolves from (for `stackgen templates list`). */
  resolve(name: string): { file: string; overridden: boolean };
}

/** A YAML scalar that parses back to exactly `value` (quoted when needed). */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return stringify(String(value), { lineWidth: 0 }).trimEnd();
}

/** One argument quoted for POSIX sh. */
export function shellQuote(value: unknown): string {
  const s = String(value);
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A JSON array for exec-form CMD/ENTRYPOINT/HEALTHCHECK. */
export function execForm(args: readonly string[]): string {
  return JSON.stringify(args);
}

export function createTemplateEngine(options: TemplateEngineOptions = {}): TemplateEngine {
  const overrideDirs = (options.overrideDirs ?? []).filter((d) => fs.existsSync(d));
  const searchPaths = [...overrideDirs, BUILTIN_TEMPLATES_DIR];
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(searchPaths, { noCache: false }), {
    autoescape: false,
    throwOnUndefined: true,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('yaml', yamlScalar);
  env.addFilter('shell', shellQuote);
  env.addFilter('json', (v: unknown) => JSON.stringify(v));
  env.addFilter('exec', (v: string[]) => execForm(v));
  // A GitHub Actions expression: `{{ 'github.ref' | gha }}` → `${{ github.ref }}`, without raw blocks.
  env.addFilter('gha', (expr: string) => `\${{ ${expr} }}`);
  // The folder of a relative path with a trailing slash ('' for a top-level file): `COPY a/b/go.mod ./{{ f | dirname }}`.
  env.addFilter('dirname', (p: string) => (path.posix.dirname(p) === '.' ? '' : `${path.posix.dirname(p)}/`));
  env.addFilter('indentLines', (s: string, n: number) => s.split('\n').map((l, i) => (i === 0 || l === '' ? l : ' '.repeat(n) + l)).join('\n'));

  return {
    render(name, context) {
      try {
        return env.render(name, context as object);
      } catch (err) {
        const msg = (err as Error).message;
        const user = overrideDirs.find((d) => fs.existsSync(path.join(d, name)));
        throw new StackgenError(user ? 'E_INVALID' : 'E_INTERNAL', `template ${name}: ${msg.replace(/\s+/g, ' ').trim()}`, {
          hint: user ? `Fix your template ${path.join(user, name)} or remove it to use the built-in one.` : undefined,
          locations: [{ file: user ? path.join(user, name) : path.join(BUILTIN_TEMPLATES_DIR, name) }],
          cause: err,
        });
      }
    },
    resolve(name) {
      for (const d of overrideDirs) {
        const f = path.join(d, name);
        if (fs.existsSync(f)) return { file: f, overridden: true };
      }
      return { file: path.join(BUILTIN_TEMPLATES_DIR, name), overridden: false };
    },
  };
}
