/**
 * A small POSIX-shell word splitter for RUN scripts: enough structure for hadolint's rules
 * (commands, their words after quote removal, leading assignments, pipelines), not a full parser.
 * Commands inside `$(...)` and backticks are found too, as ShellCheck's AST would expose them.
 */

export interface ShellCommand {
  /** The command word after quote removal, e.g. `apt-get`. Wrappers like `sudo` are not unwrapped. */
  name: string;
  /** Every word after the name, quotes removed, redirections dropped. */
  args: string[];
  /** Leading `NAME=value` words. */
  assignments: string[];
  /** True when the command is one stage of a pipeline with at least two stages. */
  inPipeline: boolean;
}

export interface ParsedScript {
  text: string;
  commands: ShellCommand[];
  /** At least one `a | b` (or `|&`) pipeline. */
  hasPipes: boolean;
}

type Token = { kind: 'word'; value: string; raw: string } | { kind: 'op'; value: string };

const SEPARATORS = new Set(['&&', '||', ';', ';;', '&', '\n', '(', ')']);
const PIPES = new Set(['|', '|&']);
const REDIRECTS = new Set(['>', '>>', '>|', '>&', '<', '<&', '<>', '<<', '<<-', '<<<', '&>', '&>>']);
/** Reserved words that may precede a command in the same simple command. */
const PREFIX_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
/** Reserved words that close a compound command; they are not commands themselves. */
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

interface Lexed {
  tokens: Token[];
  /** Bodies of `$(...)` and backtick substitutions, parsed separately. */
  substitutions: string[];
}

/** Reads up to the `)` that balances an already-consumed `(`; returns the index after it. */
function readBalanced(s: string, start: number): number {
  let depth = 1;
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return s.length;
}

function lex(s: string): Lexed {
  const tokens: Token[] = [];
  const substitutions: string[] = [];
  let value = '';
  let raw = '';
  let inWord = false;

  const endWord = (): void => {
    if (inWord) tokens.push({ kind: 'word', value, raw });
    value = '';
    raw = '';
    inWord = false;
  };
  const op = (v: string): void => {
    endWord();
    tokens.push({ kind: 'op', value: v });
  };

  /** `$...` expansions: keep them verbatim in the word, and remember command substitutions. */
  const readDollar = (i: number): number => {
    const next = s[i + 1];
    if (next === '(') {
      const arithmetic = s[i + 2] === '(';
      const end = readBalanced(s, i + 2);
      const text = s.slice(i, end);
      if (!arithmetic) substitutions.push(s.slice(i + 2, end - 1));
      value += text;
      raw += text;
      return end;
    }
    if (next === '{') {
      const close = s.indexOf('}', i + 2);
      const end = close < 0 ? s.length : close + 1;
      value += s.slice(i, end);
      raw += s.slice(i, end);
      return end;
    }
    value += '$';
    raw += '$';
    return i + 1;
  };

  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\n') {
      op('\n');
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (s[i + 1] === '\n') {
        i += 2;
        continue;
      }
      inWord = true;
      value += s[i + 1] ?? '';
      raw += s.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      const stop = end < 0 ? s.length : end;
      inWord = true;
      value += s.slice(i + 1, stop);
      raw += s.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      raw += '"';
      i++;
      while (i < s.length && s[i] !== '"') {
        const d = s[i]!;
        if (d === '\\' && i + 1 < s.length) {
          const e = s[i + 1]!;
          if (e === '\n') {
            i += 2;
            continue;
          }
          value += '"\\$`'.includes(e) ? e : d + e;
          raw += d + e;
          i += 2;
          continue;
        }
        if (d === '$') {
          i = readDollar(i);
          continue;
        }
        if (d === '`') {
          const end = s.indexOf('`', i + 1);
          const stop = end < 0 ? s.length : end;
          substitutions.push(s.slice(i + 1, stop));
          value += s.slice(i, stop + 1);
          raw += s.slice(i, stop + 1);
          i = stop + 1;
          continue;
        }
        value += d;
        raw += d;
        i++;
      }
      raw += '"';
      i++;
      continue;
    }
    if (c === '$') {
      inWord = true;
      if (s[i + 1] === "'") {
        const end = s.indexOf("'", i + 2);
        const stop = end < 0 ? s.length : end;
        value += s.slice(i + 2, stop);
        raw += s.slice(i, stop + 1);
        i = stop + 1;
        continue;
      }
      i = readDollar(i);
      continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      const stop = end < 0 ? s.length : end;
      substitutions.push(s.slice(i + 1, stop));
      inWord = true;
      value += s.slice(i, stop + 1);
      raw += s.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    // A word made only of digits right before `<`/`>` is a file descriptor, not an argument.
    if ((c === '>' || c === '<') && inWord && /^\d+$/.test(raw)) {
      value = '';
      raw = '';
      inWord = false;
    }
    const three = s.slice(i, i + 3);
    const two = s.slice(i, i + 2);
    if (three === '<<<' || three === '&>>' || three === '<<-') {
      op(three);
      i += 3;
      continue;
    }
    if (['&&', '||', ';;', '|&', '>>', '>|', '>&', '<&', '<>', '<<', '&>'].includes(two)) {
      op(two);
      i += 2;
      continue;
    }
    if ('|&;()<>'.includes(c)) {
      op(c);
      i++;
      continue;
    }
    inWord = true;
    value += c;
    raw += c;
    i++;
  }
  endWord();
  return { tokens, substitutions };
}

/** Heredoc bodies inside a script are data, not commands: drop them before lexing. */
function lexWithHeredocs(s: string): Lexed {
  if (!/<<-?/.test(s)) return lex(s);
  const lines = s.split('\n');
  const out: string[] = [];
  const pending: { delim: string; strip: boolean }[] = [];
  for (const line of lines) {
    if (pending.length > 0) {
      const h = pending[0]!;
      if ((h.strip ? line.replace(/^\t+/, '') : line).trim() === h.delim) pending.shift();
      continue;
    }
    out.push(line);
    const re = /(?<!<)<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line)) !== null) {
      if (line[m.index + 2] === '<') continue;
      pending.push({ delim: m[3]!, strip: m[1] === '-' });
    }
  }
  return lex(out.join('\n'));
}

function buildCommands(tokens: Token[]): { commands: ShellCommand[]; hasPipes: boolean } {
  const commands: ShellCommand[] = [];
  let hasPipes = false;
  let pipeline: ShellCommand[] = [];
  let words: Token[] = [];
  let skipUntilSeparator = false;

  const flushCommand = (): void => {
    const ws = words;
    words = [];
    if (skipUntilSeparator) {
      skipUntilSeparator = false;
      return;
    }
    let k = 0;
    const assignments: string[] = [];
    for (; k < ws.length; k++) {
      const w = ws[k]!;
      if (w.kind !== 'word') continue;
      if (PREFIX_KEYWORDS.has(w.raw) || (CLOSERS.has(w.raw) && assignments.length === 0)) continue;
      if (ASSIGNMENT.test(w.raw)) {
        assignments.push(w.value);
        continue;
      }
      break;
    }
    const rest = ws.slice(k).filter((w): w is Extract<Token, { kind: 'word' }> => w.kind === 'word');
    const first = rest[0];
    if (!first) return;
    // `for x in …`, `case … in` headers list data, not commands.
    if (first.raw === 'for' || first.raw === 'case' || first.raw === 'select' || first.raw === 'function') return;
    if (/^[A-Za-z_][\w-]*\(\)$/.test(first.raw)) return;
    const cmd: ShellCommand = { name: first.value, args: rest.slice(1).map((w) => w.value), assignments, inPipeline: false };
    commands.push(cmd);
    pipeline.push(cmd);
  };
  const endPipeline = (): void => {
    if (pipeline.length > 1) {
      hasPipes = true;
      for (const c of pipeline) c.inPipeline = true;
    }
    pipeline = [];
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word') {
      words.push(t);
      continue;
    }
    if (REDIRECTS.has(t.value)) {
      // The redirection target is not an argument.
      if (tokens[i + 1]?.kind === 'word') i++;
      continue;
    }
    if (PIPES.has(t.value)) {
      flushCommand();
      continue;
    }
    if (SEPARATORS.has(t.value)) {
      flushCommand();
      endPipeline();
    }
  }
  flushCommand();
  endPipeline();
  return { commands, hasPipes };
}

/** Splits a shell script into commands. Never throws: malformed input yields what could be read. */
export function parseShell(text: string): ParsedScript {
  const seen = new Set<string>();
  const commands: ShellCommand[] = [];
  let hasPipes = false;
  const queue = [text];
  // Substitutions can nest; the seen-set bounds the work on pathological input.
  while (queue.length > 0) {
    const src = queue.shift()!;
    if (seen.has(src)) continue;
    seen.add(src);
    const { tokens, substitutions } = lexWithHeredocs(src);
    const built = buildCommands(tokens);
    commands.push(...built.commands);
    hasPipes ||= built.hasPipes;
    queue.push(...substitutions);
  }
  return { text, commands, hasPipes };
}

/** Flag names as hadolint's Shell.getFlags sees them: `--name[=v]` → name, `-abc` → a, b, c. */
export function getFlags(cmd: ShellCommand): string[] {
  const out: string[] = [];
  for (const a of cmd.args) {
    if (a === '--' || a === '-') continue;
    if (a.startsWith('--')) out.push(a.slice(2).split('=')[0]!);
    else if (a.startsWith('-')) for (const ch of a.slice(1)) out.push(ch);
  }
  return out;
}

export function hasFlag(cmd: ShellCommand, flag: string): boolean {
  return getFlags(cmd).includes(flag);
}

export function hasAnyFlag(cmd: ShellCommand, flags: readonly string[]): boolean {
  const got = getFlags(cmd);
  return flags.some((f) => got.includes(f));
}

/** True when the command is `name` and at least one of `args` is among its words (hadolint's cmdHasArgs). */
export function cmdHasArgs(cmd: ShellCommand, name: string | readonly string[], args: readonly string[]): boolean {
  const names = typeof name === 'string' ? [name] : name;
  return names.includes(cmd.name) && cmd.args.some((a) => args.includes(a));
}

/** Removes the values that follow the given flags (`-t foo`, `--target-release foo`). */
export function dropFlagArg(cmd: ShellCommand, flags: readonly string[]): ShellCommand {
  const args: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    args.push(a);
    if (a.includes('=') || !a.startsWith('-') || a === '--') continue;
    const names = a.startsWith('--') ? [a.slice(2)] : [...a.slice(1)];
    if (names.some((n) => flags.includes(n))) i++;
  }
  return { ...cmd, args };
}

/** Arguments that are not flags (hadolint's getArgsNoFlags). */
export function argsNoFlags(cmd: ShellCommand): string[] {
  return cmd.args.filter((a) => !a.startsWith('-'));
}

/** Values given to a flag: `-u 1000`, `--uid=1000`, `--uid 1000`. */
export function flagValues(cmd: ShellCommand, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (a.startsWith('--')) {
      const [n, v] = [a.slice(2).split('=')[0]!, a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined];
      if (!names.includes(n)) continue;
      if (v !== undefined) out.push(v);
      else if (cmd.args[i + 1] !== undefined) out.push(cmd.args[i + 1]!);
    } else if (a.startsWith('-') && a.length >= 2) {
      const last = a[a.length - 1]!;
      if (a.length === 2 && names.includes(last) && cmd.args[i + 1] !== undefined) out.push(cmd.args[i + 1]!);
      else if (names.includes(a[1]!) && a.length > 2 && /^\d/.test(a.slice(2))) out.push(a.slice(2));
    }
  }
  return out;
}
