/** YAML parsing for linters: the document, its parse errors as findings, and a line/column for any path in it. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Finding, LintFile } from './types.js';

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain value (anchors and merges resolved); undefined when the file did not parse. */
  value: unknown;
  /** Parse errors, as findings with the given rule and tool. */
  errors: Finding[];
}

/**
 * Recent parses, keyed by path, rule, tool and content: a compose file is read by its own linter, by
 * each override file that extends it and by the Dockerfile linter (build contexts), and parsing is
 * the largest cost of a lint. Callers treat the result as read-only.
 */
const recent = new Map<string, ParsedYaml>();
const RECENT_MAX = 32;

export function parseYaml(file: LintFile, rule: string, tool = 'stackgen'): ParsedYaml {
  const key = `${file.path}\0${rule}\0${tool}\0${file.content}`;
  const hit = recent.get(key);
  // Findings are handed to callers, who may keep them: each gets its own copies.
  if (hit) return { ...hit, errors: hit.errors.map((e) => ({ ...e })) };
  const parsed = parseYamlUncached(file, rule, tool);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(key, parsed);
  return parsed;
}

function parseYamlUncached(file: LintFile, rule: string, tool: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(file.content, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: true });
  const errors: Finding[] = doc.errors.map((e) => ({
    file: file.path,
    line: e.linePos?.[0].line ?? 1,
    column: e.linePos?.[0].col ?? 1,
    rule,
    severity: 'error',
    message: `invalid YAML: ${e.message.split('\n')[0]}`,
    tool,
    fix: 'Fix the YAML syntax at this position.',
  }));
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      errors.push({ file: file.path, line: 1, column: 1, rule, severity: 'error', message: `invalid YAML: ${(err as Error).message}`, tool });
    }
  }
  return { doc, lines, value, errors };
}

/** Line and column of the node at `path` (its key when `key` is true), or of the nearest ancestor that exists. */
export function positionOf(y: ParsedYaml, path: readonly (string | number)[], key = false): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const found = nodeAt(y.doc.contents as Node | null, path.slice(0, n), key && n === path.length);
    if (found?.range) {
      const p = y.lines.linePos(found.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return { line: 1, column: 1 };
}

function nodeAt(root: Node | null, path: readonly (string | number)[], wantKey: boolean): Node | undefined {
  let cur: Node | null | undefined = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) return undefined;
      if (wantKey && i === path.length - 1) return pair.key as Node;
      cur = pair.value as Node | null;
    } else if (isSeq(cur)) {
      cur = cur.items[Number(seg)] as Node | undefined;
    } else {
      return undefined;
    }
  }
  return cur ?? undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
