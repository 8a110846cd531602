/** Findings for people (grouped by file, with a code frame) and for machines (JSON). */
import type { Finding, LintFile, Severity } from './types.js';

export interface TextFormatOptions {
  /** Colour functions; identity when output is not a terminal. */
  color?: { red(s: string): string; yellow(s: string): string; cyan(s: string): string; dim(s: string): string; bold(s: string): string; blue(s: string): string };
}

const plain = (s: string) => s;

function severityLabel(sev: Severity, c: NonNullable<TextFormatOptions['color']>): string {
  if (sev === 'error') return c.red('error');
  if (sev === 'warning') return c.yellow('warning');
  return c.blue(sev);
}

/** The finding's line with its neighbours and a caret under the column. */
export function codeFrame(content: string, line: number, column: number, dim: (s: string) => string = plain): string {
  const lines = content.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (line < 1 || line > lines.length) return '';
  const from = Math.max(1, line - 1);
  const to = Math.min(lines.length, line + 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = (lines[n - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
    const mark = n === line ? '>' : ' ';
    out.push(`  ${mark} ${dim(`${String(n).padStart(width)} |`)} ${text}`);
    if (n === line) out.push(`    ${' '.repeat(width)} ${dim('|')} ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}

export function formatText(findings: readonly Finding[], files: readonly LintFile[], options: TextFormatOptions = {}): string {
  const c = options.color ?? { red: plain, yellow: plain, cyan: plain, dim: plain, bold: plain, blue: plain };
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(c.bold(file));
    const content = files.find((x) => x.path === file)?.content;
    for (const f of list) {
      out.push(`${c.cyan(`${f.file}:${f.line}:${f.column}`)}  ${severityLabel(f.severity, c)}  ${c.dim(f.rule)}  ${f.message}${f.tool !== 'stackgen' ? c.dim(` (${f.tool})`) : ''}`);
      if (content !== undefined) {
        const frame = codeFrame(content, f.line, f.column, c.dim);
        if (frame) out.push(frame);
      }
      if (f.fix) out.push(`  ${c.dim('fix:')} ${f.fix}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function summarize(findings: readonly Finding[]): string {
  const n = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const files = new Set(findings.map((f) => f.file)).size;
  return `${n('error')} error(s), ${n('warning')} warning(s), ${n('info') + n('style')} note(s) in ${files} file(s)`;
}

export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify({ findings }, null, 2)}\n`;
}
