/**
 * The spec's YAML with source positions: parsing that refuses what a spec must never be (huge,
 * not UTF-8, tab-indented, duplicate keys, alias bombs, not a mapping), and the lookup from a JSON
 * path back to the node a person wrote, so every error points at a line and column.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import type { SpecError } from './spec-error.js';

/** A spec is a page of YAML; anything this big is a mistake or an attack. */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** Enough for anchors a person writes by hand; an alias bomb needs thousands. */
export const MAX_ALIAS_COUNT = 100;

export interface SpecSource {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type Segment = string | number;

/** Offset of the first byte that is not valid UTF-8, or -1. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineColOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function tooBig(file: string, size: number): SpecError {
  return { file, line: 1, column: 1, path: '', message: `the file is ${size} bytes; a spec is at most ${MAX_SPEC_BYTES} bytes (1 MiB)`, hint: 'Point stackgen at the stackgen.yaml that `stackgen init` wrote.' };
}

/** Bytes → text, or the error that says where the file stops being UTF-8. */
export function decodeSpecBytes(bytes: Uint8Array, file: string): { text?: string; errors: SpecError[] } {
  if (bytes.length > MAX_SPEC_BYTES) return { errors: [tooBig(file, bytes.length)] };
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, errors: [] };
  } catch {
    const at = lineColOfByte(bytes, Math.max(0, invalidUtf8Offset(bytes)));
    return { errors: [{ file, ...at, path: '', message: 'the file is not valid UTF-8', hint: 'Save the spec as UTF-8 (most editors: "Save with encoding").' }] };
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Parses spec text; a document is returned only when it is a mapping that can be validated. */
export function parseSpecText(text: string, file: string): { source?: SpecSource; value?: unknown; errors: SpecError[] } {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_SPEC_BYTES) return { errors: [tooBig(file, size)] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  const lines = text.split('\n');
  const errors: SpecError[] = [];
  const seen = new Set<string>();
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    let at = { line: pos.line, column: pos.col };
    let message = firstLine(e.message);
    let hint: string | undefined;
    if (e.code === 'TAB_AS_INDENT') {
      // Point at the tab itself: the first line near the reported one whose indentation has a tab.
      const idx = findTabIndent(lines, pos.line - 1);
      if (idx !== -1) at = { line: idx + 1, column: (lines[idx]!.match(/^[ \t]*/)?.[0] ?? '').indexOf('\t') + 1 };
      message = 'a tab is used for indentation; YAML indents with spaces';
      hint = 'Replace the tab with spaces (set your editor to insert spaces in YAML files).';
    } else if (e.code === 'DUPLICATE_KEY') {
      message = `duplicate key: ${message.replace(/^Map keys must be unique$/, 'this key already appears above in the same mapping')}`;
      hint = 'Keep one of the two entries; YAML does not merge them.';
    } else if (e.code === 'MULTIPLE_DOCS') {
      message = 'the file has more than one YAML document (a `---` separator); a spec is one document';
      hint = 'Remove the `---` line and everything after it, or merge the documents.';
    } else {
      message = `invalid YAML: ${message}`;
    }
    const key = `${at.line}:${at.column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ file, ...at, path: '', message, ...(hint ? { hint } : {}) });
  }
  // Duplicate keys that yaml reports at the mapping: move the position to the second key itself.
  for (const e of errors) if (e.message.startsWith('duplicate key')) relocateDuplicate(doc, lineCounter, e);
  // A tab in the indentation derails the parser: what it says after that is noise.
  const tabs = errors.filter((e) => e.message.startsWith('a tab is used'));
  if (tabs.length > 0) return { errors: tabs };
  if (errors.length > 0) return { errors };

  const contents = doc.contents;
  const kind = contents === null ? 'empty' : isSeq(contents) ? 'a list' : isScalar(contents) || isAlias(contents) ? 'a single value' : null;
  if (kind !== null) {
    const pos = contents?.range ? lineCounter.linePos(contents.range[0]) : { line: 1, col: 1 };
    return {
      errors: [
        {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `the document is ${kind}; a spec is a mapping with version, name and services`,
          hint: 'Run `stackgen init` to write a spec, or start from `version: 1`, `name: my-app`, `services: {…}`.',
        },
      ],
    };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const alias = firstAlias(doc);
    const pos = alias?.range ? lineCounter.linePos(alias.range[0]) : { line: 1, col: 1 };
    const msg = (err as Error).message;
    return {
      errors: [
        {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: /alias/i.test(msg) ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}); this looks like a YAML "billion laughs" document` : `cannot read the YAML: ${firstLine(msg)}`,
          hint: 'Write the values out instead of nesting aliases.',
        },
      ],
    };
  }
  return { source: { file, text, doc, lineCounter }, value, errors: [] };
}

function findTabIndent(lines: string[], from: number): number {
  for (const i of [from, from - 1, from + 1, from - 2]) {
    const l = lines[i];
    if (l !== undefined && /^[ ]*\t/.test(l)) return i;
  }
  for (let i = 0; i < lines.length; i++) if (/^[ ]*\t[ \t]*\S/.test(lines[i]!)) return i;
  return -1;
}

function relocateDuplicate(doc: Document.Parsed, lc: LineCounter, e: SpecError): void {
  visit(doc, {
    Map(_k, map) {
      const seen = new Map<string, Pair>();
      for (const p of map.items) {
        const k = isScalar(p.key) ? String(p.key.value) : null;
        if (k === null) continue;
        const first = seen.get(k);
        if (first && isScalar(p.key) && p.key.range) {
          const pos = lc.linePos(p.key.range[0]);
          const fpos = isScalar(first.key) && first.key.range ? lc.linePos(first.key.range[0]) : null;
          if (pos.line >= e.line - 1 && pos.line <= e.line + 1) {
            e.line = pos.line;
            e.column = pos.col;
            e.message = `duplicate key \`${k}\`${fpos ? ` (first at line ${fpos.line})` : ''}`;
            return visit.BREAK;
          }
        }
        if (!first) seen.set(k, p);
      }
      return undefined;
    },
  });
}

function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, {
    Alias(_k, node) {
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

export interface Located {
  /** The value node at the path (undefined when the path is missing in the document). */
  node?: Node;
  /** The mapping pair that holds it, when the last segment is a key. */
  pair?: Pair;
  /** The deepest node that exists along the path. */
  nearest: Node | null;
  nearestPair?: Pair;
}

function resolve(doc: Document.Parsed, n: unknown): unknown {
  return isAlias(n) ? n.resolve(doc) : n;
}

/** Walks the document along JSON path segments, through aliases. */
export function locate(doc: Document.Parsed, segments: readonly Segment[]): Located {
  let cur: unknown = doc.contents;
  let pair: Pair | undefined;
  let nearest: Node | null = (doc.contents as Node | null) ?? null;
  let nearestPair: Pair | undefined;
  for (const seg of segments) {
    const c = resolve(doc, cur);
    let next: unknown;
    pair = undefined;
    if (isMap(c)) {
      pair = c.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      next = pair?.value;
      if (!pair) return { nearest, ...(nearestPair ? { nearestPair } : {}) };
    } else if (isSeq(c) && typeof seg === 'number') {
      next = c.items[seg];
      if (next === undefined) return { nearest, ...(nearestPair ? { nearestPair } : {}) };
    } else {
      return { nearest, ...(nearestPair ? { nearestPair } : {}) };
    }
    cur = next;
    if (pair) nearestPair = pair;
    if (next && typeof next === 'object') nearest = next as Node;
    else if (pair && isScalar(pair.key)) nearest = pair.key;
  }
  const out: Located = { nearest, ...(nearestPair ? { nearestPair } : {}) };
  if (cur && typeof cur === 'object') out.node = cur as Node;
  if (pair) out.pair = pair;
  return out;
}

export type Anchor = 'value' | 'key';

/** Line and column of the value (or its key) at the path; falls back to the nearest existing parent. */
export function positionOf(source: SpecSource, segments: readonly Segment[], anchor: Anchor = 'value'): { line: number; column: number } {
  const { node, pair, nearest, nearestPair } = locate(source.doc, segments);
  const at = (n: unknown) => {
    const r = (n as Node | undefined)?.range;
    if (!r) return undefined;
    const p = source.lineCounter.linePos(r[0]);
    return { line: p.line, column: p.col };
  };
  const keyPos = pair ? at(pair.key) : undefined;
  const valuePos = node ? at(node) : undefined;
  // `port:` with nothing after it has an empty value node: point at the key then.
  const emptyValue = node && isScalar(node) && node.value === null && node.source === '';
  if (anchor === 'key') return keyPos ?? valuePos ?? at(nearestPair?.key) ?? at(nearest) ?? { line: 1, column: 1 };
  return (emptyValue ? keyPos : valuePos) ?? keyPos ?? at(nearestPair?.key) ?? at(nearest) ?? { line: 1, column: 1 };
}

