/** `# hadolint …` comments: per-instruction and global ignores, and the shell pragma. */
import type { CommentLine } from './model.js';

export interface Pragmas {
  /** Rule ids ignored on a given 1-based line (the line after the pragma). */
  byLine: Map<number, Set<string>>;
  global: Set<string>;
  /** `# hadolint shell=pwsh`: the shell RUN instructions use until a SHELL instruction. */
  shell?: string;
}

const IGNORE = /^hadolint\s+ignore\s*=\s*([A-Za-z0-9,\s]+)$/;
const GLOBAL_IGNORE = /^hadolint\s+global\s+ignore\s*=\s*([A-Za-z0-9,\s]+)$/;
const SHELL = /^hadolint\s+shell\s*=\s*(\S+)$/;

const codes = (list: string): string[] => list.split(/[,\s]+/).filter(Boolean);

export function readPragmas(comments: readonly CommentLine[]): Pragmas {
  const out: Pragmas = { byLine: new Map(), global: new Set() };
  for (const c of comments) {
    let m = IGNORE.exec(c.text);
    // hadolint maps an ignore comment to exactly the next line, where the instruction starts.
    if (m) out.byLine.set(c.line + 1, new Set([...(out.byLine.get(c.line + 1) ?? []), ...codes(m[1]!)]));
    else if ((m = GLOBAL_IGNORE.exec(c.text))) codes(m[1]!).forEach((x) => out.global.add(x));
    else if ((m = SHELL.exec(c.text))) out.shell = m[1]!;
  }
  return out;
}
