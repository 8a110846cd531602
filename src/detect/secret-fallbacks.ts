/**
 * Secrets with a literal fallback in the code: `os.environ.get("SECRET_KEY", "insecure-…")`,
 * `process.env.JWT_SECRET || 'secret'`, `ENV.fetch("SECRET_KEY_BASE", "…")`, `env('APP_KEY', '…')`,
 * or a Django settings file that sets `SECRET_KEY = "…"` outright. Unset in production, the app
 * signs sessions and tokens with a key anyone who reads the code has. Each one is reported with
 * its file and line; the spec then declares the variable as a secret, so `.env` gets a random value
 * and compose passes it to the service.
 */
import type { SourceView } from '../source/source-view.js';

export interface SecretFallback {
  /** The environment variable the code reads. */
  name: string;
  file: string;
  line: number;
}

/** Variable names that hold signing or encryption keys (not every *_KEY is secret: API_KEY_HEADER…). */
export const SECRET_NAME = /^(?:[A-Z0-9_]*_)?(?:SECRET(?:_KEY)?(?:_BASE)?|JWT(?:_SECRET|_KEY|_SIGNING_KEY)?|SESSION_(?:SECRET|KEY)|APP_KEY|SIGNING_KEY|COOKIE_SECRET|ENCRYPTION_KEY|TOKEN_SECRET|AUTH_SECRET)$/;

const CODE = /\.(py|js|mjs|cjs|ts|mts|cts|jsx|tsx|rb|php)$/;
const TESTS = /(^|\/)(tests?|__tests__|spec|specs|fixtures|e2e)\/|\.(test|spec)\.[a-z]+$|(^|\/)test_[^/]+\.py$/;
/** Enough for any app folder; a monorepo's vendored code beyond it is not where its keys are read. */
const MAX_FILES = 3000;

/** A non-empty string literal whose opening quote is capture group `n`. */
const Q = (n: number) => `(['"\`])((?:(?!\\${n}).){1,200})\\${n}`;
const PATTERNS: RegExp[] = [
  // Python: os.environ.get / os.getenv / environ.get / env(…, default=…) (django-environ).
  new RegExp(`(?:environ\\.get|getenv|\\benv)\\(\\s*['"]([A-Z][A-Z0-9_]*)['"]\\s*,\\s*(?:default\\s*=\\s*)?${Q(2)}`, 'g'),
  // JavaScript / TypeScript: process.env.X || 'lit', process.env['X'] ?? "lit".
  new RegExp(`process\\.env(?:\\.([A-Z][A-Z0-9_]*)|\\[\\s*['"]([A-Z][A-Z0-9_]*)['"]\\s*\\])\\s*(?:\\|\\||\\?\\?)\\s*${Q(3)}`, 'g'),
  // Ruby: ENV.fetch("X", "lit"), ENV.fetch("X") { "lit" }, ENV["X"] || "lit".
  new RegExp(`ENV(?:\\.fetch\\(\\s*['"]([A-Z][A-Z0-9_]*)['"]\\s*(?:,|\\)\\s*\\{)|\\[\\s*['"]([A-Z][A-Z0-9_]*)['"]\\s*\\]\\s*\\|\\|)\\s*${Q(3)}`, 'g'),
];
/** Django: a settings module that sets the key to a literal, with no environment lookup at all. */
const DJANGO_LITERAL = /^SECRET_KEY\s*=\s*[rRbBuU]?(['"])(?!\1)[^'"\n]+\1\s*(#.*)?$/;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Literal secret fallbacks in the code under `dir` (minus the `nested` service folders), in file and line order. */
export function scanSecretFallbacks(source: SourceView, dir: string, nested: readonly string[] = []): SecretFallback[] {
  const out: SecretFallback[] = [];
  const seen = new Set<string>();
  const files = source
    .under(dir)
    .filter((f) => CODE.test(f) && !TESTS.test(f) && !nested.some((n) => f.startsWith(`${n}/`)))
    .slice(0, MAX_FILES);
  for (const file of files) {
    const text = source.readText(file);
    if (text === undefined) continue;
    const add = (name: string, index: number) => {
      if (!SECRET_NAME.test(name) || seen.has(name)) return;
      seen.add(name);
      out.push({ name, file, line: lineOf(text, index) });
    };
    for (const re of PATTERNS) {
      for (const m of text.matchAll(re)) {
        // The captures are the name (one of two alternatives), then the quote, then the literal.
        const name = m[1] ?? m[2];
        if (name) add(name, m.index);
      }
    }
    if (/(^|\/)settings(\/[^/]+|[^/]*)\.py$/.test(file)) {
      const lines = text.split('\n');
      lines.forEach((l, i) => {
        if (DJANGO_LITERAL.test(l) && !seen.has('SECRET_KEY')) {
          seen.add('SECRET_KEY');
          out.push({ name: 'SECRET_KEY', file, line: i + 1 });
        }
      });
    }
  }
  return out;
}
