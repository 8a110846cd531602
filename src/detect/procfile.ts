import type { SourceView } from '../source/source-view.js';

export interface ProcfileEntry {
  type: string;
  command: string;
  line: number;
}

/** Heroku-style `Procfile`: `type: command` per line. */
export function parseProcfile(source: SourceView, file: string): ProcfileEntry[] {
  const text = source.has(file) ? source.readText(file) : undefined;
  if (text === undefined) return [];
  const out: ProcfileEntry[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(.+?)\s*$/.exec(l);
    if (m?.[1] && m[2] && !l.trimStart().startsWith('#')) out.push({ type: m[1].toLowerCase(), command: m[2], line: i + 1 });
  });
  return out;
}
