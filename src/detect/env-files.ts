/**
 * Env files (`.env.example`, `.env`, …) next to a service: the default `PORT`, connection URLs of
 * backing services, and URLs of sibling services. Shared by every ecosystem.
 */
import type { SourceView } from '../source/source-view.js';
import { backingFromEnvName, backingFromUrl } from './backing.js';
import { inDir, type BackingUse, type Fact, type LinkHint } from './provider.js';

/** Committed examples first: they are what the authors meant; a local `.env` may be stale. */
export const ENV_FILE_NAMES = ['.env.example', '.env.sample', '.env.template', '.env.defaults', '.env.dist', '.env', '.env.development', '.env.local', '.env.production'];

export interface EnvEntry {
  key: string;
  value: string;
  file: string;
  line: number;
}

export interface EnvFindings {
  entries: EnvEntry[];
  port: number | null;
  portFact?: Fact;
  backing: BackingUse[];
  links: LinkHint[];
}

export function parseEnvText(text: string, file: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*(.*?)\s*$/.exec(lines[i] ?? '');
    if (!m?.[1]) continue;
    let value = m[2] ?? '';
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out.push({ key: m[1], value, file, line: i + 1 });
  }
  return out;
}

const PORT_KEYS = ['PORT', 'APP_PORT', 'HTTP_PORT', 'SERVER_PORT', 'ASPNETCORE_HTTP_PORTS'];

export function scanEnvFiles(source: SourceView, dir: string): EnvFindings {
  const entries: EnvEntry[] = [];
  for (const name of ENV_FILE_NAMES) {
    const file = inDir(dir, name);
    if (!source.has(file)) continue;
    const text = source.readText(file);
    if (text !== undefined) entries.push(...parseEnvText(text, file));
  }
  const found: EnvFindings = { entries, port: null, backing: [], links: [] };
  for (const e of entries) {
    if (found.port === null && PORT_KEYS.includes(e.key.toUpperCase())) {
      const p = Number(/\d+/.exec(e.value)?.[0]);
      if (Number.isInteger(p) && p > 0 && p < 65536) {
        found.port = p;
        found.portFact = { file: e.file, line: e.line, signal: `${e.key}=${e.value}`, kind: 'port' };
      }
    }
    const byUrl = backingFromUrl(e.value);
    const kind = byUrl ?? (e.value !== '' ? backingFromEnvName(e.key) : undefined);
    if (kind) {
      if (!found.backing.some((b) => b.kind === kind)) {
        found.backing.push({ kind, evidence: { file: e.file, line: e.line, signal: byUrl ? `${e.key} is a ${kind} URL` : `env ${e.key}` } });
      }
      continue;
    }
    if (/^https?:\/\//i.test(e.value) && /(URL|URI|HOST|ENDPOINT|ORIGIN|API|BACKEND|SERVER)/i.test(e.key)) {
      found.links.push({ url: e.value, evidence: { file: e.file, line: e.line, signal: `${e.key}=${e.value}` } });
    }
  }
  return found;
}
