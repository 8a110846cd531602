/**
 * Readers every provider may use: folders up to the root, version pins in `.tool-versions` and
 * one-line version files up the tree, capped source scans with line numbers, and XML manifests
 * (pom.xml, *.csproj) with located parse errors.
 */
import path from 'node:path';
import type { SourceView } from '../source/source-view.js';
import { inDir } from './provider.js';
import { lazy, xmlParser } from '../lazy.js';

/** Folders from `dir` up to the root, nearest first. */
export function upTo(dir: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== '.') {
    d = path.posix.dirname(d);
    out.push(d);
  }
  return out;
}

export interface Pin {
  version: string;
  file: string;
  line?: number;
}

/**
 * A version pin from asdf/mise `.tool-versions` (or `.mise.toml`-less fallbacks handled by callers),
 * searched from `dir` up to the root. `tools` are the names the pin may use (e.g. java, ruby).
 */
export function toolVersionsPin(source: SourceView, dir: string, tools: string[]): Pin | undefined {
  for (const d of upTo(dir)) {
    const file = inDir(d, '.tool-versions');
    if (!source.has(file)) continue;
    const lines = (source.readText(file) ?? '').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*([A-Za-z0-9_-]+)\s+(\S+)/.exec(lines[i] ?? '');
      if (m?.[1] && m[2] && tools.includes(m[1].toLowerCase())) return { version: m[2], file, line: i + 1 };
    }
  }
  return undefined;
}

/** The first non-comment line of a one-line version file (`.java-version`, `.ruby-version`), searched up the tree. */
export function versionFilePin(source: SourceView, dir: string, name: string): Pin | undefined {
  for (const d of upTo(dir)) {
    const file = inDir(d, name);
    if (!source.has(file)) continue;
    const lines = (source.readText(file) ?? '').split(/\r?\n/);
    const i = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (i >= 0) return { version: lines[i]!.trim(), file, line: i + 1 };
  }
  return undefined;
}

/** Reads at most `limit` files' text, for source scans that must stay cheap on big trees. */
export function sourceTexts(source: SourceView, files: string[], limit = 200): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const f of files.slice(0, limit)) {
    const t = source.readText(f);
    if (t !== undefined) out.push({ file: f, text: t });
  }
  return out;
}

/** 1-based line of the first match of `re` in `text`. */
export function lineIn(textIn: string, re: RegExp): number | undefined {
  const lines = textIn.split('\n');
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i + 1;
  return undefined;
}

export type XmlNode = Record<string, unknown>;

// Elements that may repeat; forcing arrays keeps callers free of "one or many" checks.
const REPEATED = new Set([
  'dependency', 'module', 'plugin', 'profile', 'execution', 'PackageReference', 'ProjectReference',
  'FrameworkReference', 'PropertyGroup', 'ItemGroup', 'Import', 'repository',
]);

const parser = lazy(() => new (xmlParser().XMLParser)({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  isArray: (name) => REPEATED.has(name),
}));

/** Parsed XML, or undefined; a syntax error becomes a warning naming the line. */
export function readXml(source: SourceView, file: string): XmlNode | undefined {
  const text = source.readText(file);
  if (text === undefined) return undefined;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const valid = xmlParser().XMLValidator.validate(body);
  if (valid !== true) {
    source.warn(file, `invalid XML: ${valid.err.msg}`, valid.err.line, valid.err.col);
    return undefined;
  }
  try {
    return parser().parse(body) as XmlNode;
  } catch (err) {
    source.warn(file, `invalid XML: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Child element as an object (first when repeated), or undefined. */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

/** Child elements as objects (repeated or not). */
export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is XmlNode => !!x && typeof x === 'object');
}

/** Text of a child element (or attribute with "@name"), trimmed; undefined when absent or not text. */
export function text(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  const first = Array.isArray(v) ? v[0] : v;
  if (typeof first === 'string') return first.trim() || undefined;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  if (first && typeof first === 'object' && typeof (first as XmlNode)['#text'] === 'string') return ((first as XmlNode)['#text'] as string).trim() || undefined;
  return undefined;
}
