/**
 * JVM readers: Java-style config (`.properties` and YAML) flattened to dotted keys with their line
 * numbers, port values with Spring placeholders, and JDK majors from version pins. The readers other
 * ecosystems share live in ../../readers.ts.
 */
import type { SourceView } from '../../../source/source-view.js';

export interface ConfigEntry {
  key: string;
  value: string;
  file: string;
  line: number;
}

/** `key=value` / `key: value` lines of a Java `.properties` file (continuations are rare in app config and ignored). */
export function parseProperties(textIn: string, file: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  textIn.split(/\r?\n/).forEach((l, i) => {
    const t = l.trim();
    if (t === '' || t.startsWith('#') || t.startsWith('!')) return;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(t);
    if (m?.[1]) out.push({ key: m[1], value: (m[2] ?? '').trim(), file, line: i + 1 });
  });
  return out;
}

/**
 * Block YAML flattened to dotted keys (`server:\n  port: 8081` → `server.port`), with lines. Every
 * document of a multi-document file is read; flow collections and lists are kept as raw text. A
 * line reader rather than a YAML parser, because Spring files are multi-document and we need lines.
 */
export function flattenYaml(textIn: string, file: string): ConfigEntry[] {
  const out: ConfigEntry[] = [];
  const stack: Array<{ indent: number; key: string }> = [];
  textIn.split(/\r?\n/).forEach((raw, i) => {
    if (/^(---|\.\.\.)\s*$/.test(raw)) {
      stack.length = 0;
      return;
    }
    const l = raw.replace(/\s+#.*$/, '');
    if (l.trim() === '' || l.trim().startsWith('#') || l.trim().startsWith('-')) return;
    const m = /^(\s*)("[^"]*"|'[^']*'|[^\s#'"][^:]*?)\s*:(?:\s+(.*))?$/.exec(l);
    if (!m?.[2]) return;
    const indent = m[1]!.length;
    const name = unquote(m[2].trim());
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const key = [...stack.map((s) => s.key), name].join('.');
    const value = (m[3] ?? '').trim();
    if (value === '' || value === '|' || value === '>') stack.push({ indent, key: name });
    else out.push({ key, value: unquote(value), file, line: i + 1 });
  });
  return out;
}

function unquote(v: string): string {
  const q = v[0];
  return (q === '"' || q === "'") && v.endsWith(q) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** Reads `.properties` or YAML config as flattened entries; absent files give nothing. */
export function readConfig(source: SourceView, file: string): ConfigEntry[] {
  if (!source.has(file)) return [];
  const t = source.readText(file);
  if (t === undefined) return [];
  return /\.ya?ml$/.test(file) ? flattenYaml(t, file) : parseProperties(t, file);
}

/** A port value, resolving `${PORT:8080}` / `${PORT}` placeholders to their default. */
export function portValue(v: string): number | undefined {
  const s = v.trim().replace(/^["']|["']$/g, '');
  const ph = /^\$\{[^}:]+:(\d+)\}$/.exec(s);
  const n = Number(ph ? ph[1] : /^\d+$/.test(s) ? s : NaN);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** A major JDK version from a pin: "1.8" → "8", "17.0.2" → "17", "temurin-21.0.1+12" → "21", "21.0.2-tem" → "21". */
export function javaMajor(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = /(\d+)(?:\.(\d+))?/.exec(v.replace(/^[a-z-]*?(?=\d)/i, ''));
  if (!m?.[1]) return undefined;
  if (m[1] === '1' && m[2]) return m[2];
  return m[1];
}
