/**
 * The one Nunjucks environment. Configured once: no autoescape (we write YAML, shell and
 * Dockerfiles, not HTML), undefined variables throw (a typo in a template is a bug, not an empty
 * string), and block tags leave no stray whitespace. Templates come from the built-in
 * `templates/` folder, shadowed path-by-path by a user folder (`.stackgen/templates/` or
 * `--templates DIR`). Strings from a user's spec are only ever values, never templates.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { stringify } from 'yaml';
import { StackgenError } from '../errors.js';
import { hasUnsafeChars, replaceUnsafeChars } from '../safe-text.js';

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

/**
 * A YAML scalar that parses back to exactly `value` at any indentation: plain when that is safe,
 * else a double-quoted flow scalar (escapes for every control character), never a block scalar,
 * whose meaning depends on the column it lands in.
 */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  if (hasUnsafeChars(text)) return JSON.stringify(text);
  return stringify(text, { lineWidth: 0, blockQuote: false }).trimEnd();
}

/** A YAML scalar for a file compose reads: `$` is escaped, so compose interpolates nothing in it. */
export function composeScalar(value: unknown): string {
  return typeof value === 'string' ? yamlScalar(value.replace(/\$/g, '$$$$')) : yamlScalar(value);
}

/**
 * A YAML scalar for a GitHub workflow: `${{` would be evaluated as an expression (and can read
 * secrets), so a value's own `${{` is written as an expression that yields the literal text.
 */
export function githubScalar(value: unknown): string {
  return typeof value === 'string' ? yamlScalar(value.replace(/\$\{\{/g, "${{ '${{' }}")) : yamlScalar(value);
}

/** A YAML scalar for a GitLab CI `variables:` value: GitLab expands `$NAME` there, `$$` is a literal `$`. */
export function gitlabScalar(value: unknown): string {
  return typeof value === 'string' ? yamlScalar(value.replace(/\$/g, '$$$$')) : yamlScalar(value);
}

/** Text for a comment line: whatever could end the line (or hide text) becomes a space. */
export function commentText(value: unknown): string {
  return replaceUnsafeChars(String(value));
}

/**
 * A Dockerfile `ENV`/`LABEL` value: a double-quoted string (JSON escapes are the parser's escapes)
 * with `$` escaped, since Docker substitutes variables in these instructions.
 */
export function dockerfileString(value: unknown): string {
  return JSON.stringify(String(value)).replace(/\$/g, '\\$');
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

/** The environment's options; the build compiles the built-in templates with these same ones. */
export const NUNJUCKS_OPTIONS = { autoescape: false, throwOnUndefined: true, trimBlocks: true, lstripBlocks: true } as const;

/** Where the build writes the precompiled built-in templates, beside this module. */
export const PRECOMPILED_TEMPLATES_NAME = 'templates.precompiled.cjs';

/** A template's compiled form as the build stored it: the hash of the source it was compiled from. */
export interface PrecompiledTemplate {
  sha256: string;
  /** Returns the props nunjucks' `Template` runs (`root` and the blocks). */
  props: () => object;
}

/** The hash the build and the loader compare: a template is used precompiled only if its source is unchanged. */
export function templateSourceHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

const require = createRequire(import.meta.url);
let precompiled: Record<string, PrecompiledTemplate> | undefined;
const compiledProps = new Map<string, object>();

/**
 * Compiling the templates was most of a render (~0.2 s of a one-service stack), so `npm run build`
 * compiles the built-in ones once (scripts/precompile-templates.mjs). A template is served
 * precompiled only when the file found (built-in or a user's, same resolution as before) hashes to
 * the source it was compiled from; anything else — an edited template, a user's, a run from source
 * without the build — compiles at run time, once per process (`compiledAtRunTime`).
 */
function precompiledFor(name: string, source: string): object | undefined {
  if (precompiled === undefined) {
    try {
      precompiled = require(`./${PRECOMPILED_TEMPLATES_NAME}`) as Record<string, PrecompiledTemplate>;
    } catch {
      precompiled = {};
    }
  }
  const entry = precompiled[name];
  if (!entry || entry.sha256 !== templateSourceHash(source)) return undefined;
  let props = compiledProps.get(name);
  if (!props) compiledProps.set(name, (props = entry.props()));
  return props;
}

/** nunjucks' compiler, as `Template` calls it (not in @types/nunjucks). */
const compiler = (nunjucks as unknown as { compiler: { compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string } }).compiler;
const runTimeProps = new Map<string, object>();

/**
 * A template the build did not precompile (a user's, an edited one, a run from source), compiled
 * exactly as nunjucks' `Template` would (same compiler, file path and options), once per process:
 * each render builds a fresh engine, and compiling every template again was most of a render.
 * Keyed by the file and the hash of its source, so an edited file compiles again.
 */
function compiledAtRunTime(file: string, source: string, env: nunjucks.Environment): object | undefined {
  const key = `${file}\0${templateSourceHash(source)}`;
  let props = runTimeProps.get(key);
  if (!props) {
    const e = env as unknown as { asyncFilters: string[]; extensionsList: unknown[]; opts: object };
    try {
      // eslint-disable-next-line no-new-func -- what nunjucks' Template does with its compiled source
      props = new Function(compiler.compile(source, e.asyncFilters, e.extensionsList, file, e.opts))() as object;
    } catch {
      // A template that does not compile: left to nunjucks, whose error names the file and line.
      return undefined;
    }
    runTimeProps.set(key, props);
  }
  return props;
}

export function createTemplateEngine(options: TemplateEngineOptions = {}): TemplateEngine {
  const overrideDirs = (options.overrideDirs ?? []).filter((d) => fs.existsSync(d));
  const searchPaths = [...overrideDirs, BUILTIN_TEMPLATES_DIR];
  const loader = new nunjucks.FileSystemLoader(searchPaths, { noCache: false });
  const readSource = loader.getSource.bind(loader);
  loader.getSource = (name: string) => {
    const found = readSource(name);
    if (!found) return found;
    const props = precompiledFor(name, found.src) ?? compiledAtRunTime(found.path, found.src, env);
    return props ? ({ ...found, src: { type: 'code', obj: props } } as unknown as nunjucks.LoaderSource) : found;
  };
  const env = new nunjucks.Environment(loader, { ...NUNJUCKS_OPTIONS });
  env.addFilter('yaml', yamlScalar);
  env.addFilter('composeYaml', composeScalar);
  env.addFilter('githubYaml', githubScalar);
  env.addFilter('gitlabYaml', gitlabScalar);
  env.addFilter('composeJson', (v: unknown) => JSON.stringify(v).replace(/\$/g, '$$$$'));
  env.addFilter('comment', commentText);
  env.addFilter('dockerString', dockerfileString);
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
