/** Turns the "at position N" of a V8 JSON.parse error into a 1-based line and column. */
export function jsonErrorPosition(text: string, message: string): { line?: number; column?: number } {
  const m = /at position (\d+)/.exec(message) ?? /line (\d+) column (\d+)/.exec(message);
  if (!m) {
    // "Unexpected end of JSON input": the problem is at the very end.
    if (/end of JSON input/.test(message)) return lineColumnAt(text, text.length);
    return {};
  }
  if (m[2] !== undefined) return { line: Number(m[1]), column: Number(m[2]) };
  return lineColumnAt(text, Number(m[1]));
}

export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
