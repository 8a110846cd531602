/**
 * The real hadolint, when installed: stackgen never downloads it, only finds it on PATH. Its JSON
 * output becomes Findings with tool `hadolint`, and wins over a built-in finding of the same rule and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StackgenError } from '../../errors.js';
import type { Finding, LintFile, Severity } from '../types.js';
import { SEVERITY_ORDER } from '../types.js';

export interface RunHadolintOptions {
  /** PATH to search; default `process.env.PATH`. */
  pathEnv?: string;
  /** Milliseconds before the run is abandoned; default 30000. */
  timeoutMs?: number;
}

/** Absolute path of an executable named `name` on the given PATH, or null. */
export function findOnPath(name: string, pathEnv: string = process.env.PATH ?? ''): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (fs.statSync(candidate).isFile()) {
          fs.accessSync(candidate, fs.constants.X_OK);
          return candidate;
        }
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return null;
}

interface HadolintJsonItem {
  code: string;
  level: string;
  line: number;
  column?: number;
  message: string;
  file?: string;
}

function isItem(v: unknown): v is HadolintJsonItem {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.level === 'string' && typeof o.line === 'number' && typeof o.message === 'string';
}

function wikiLink(code: string): string {
  return code.startsWith('SC') ? `https://www.shellcheck.net/wiki/${code}` : `https://github.com/hadolint/hadolint/wiki/${code}`;
}

/** Maps `hadolint --format json` output to Findings for `filePath` (hadolint names stdin `-`). */
export function parseHadolintJson(json: string, filePath: string): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (cause) {
    throw new StackgenError('E_UNAVAILABLE', `hadolint printed output that is not JSON: ${json.slice(0, 200)}`, { cause });
  }
  if (!Array.isArray(data)) throw new StackgenError('E_UNAVAILABLE', 'hadolint JSON output is not an array');
  return data.filter(isItem).flatMap((item): Finding[] => {
    if (!(item.level in SEVERITY_ORDER)) return [];
    return [
      {
        file: filePath,
        line: item.line,
        column: item.column ?? 1,
        rule: item.code,
        severity: item.level as Severity,
        message: item.message,
        tool: 'hadolint',
        fix: `See ${wikiLink(item.code)}`,
      },
    ];
  });
}

/** Runs hadolint on the file's content via stdin. Returns [] when hadolint is not on PATH. */
export async function runHadolint(file: LintFile, configPath?: string, options: RunHadolintOptions = {}): Promise<Finding[]> {
  const bin = findOnPath('hadolint', options.pathEnv);
  if (!bin) return [];
  const args = ['--no-fail', '--format', 'json', ...(configPath ? ['--config', configPath] : []), '-'];
  // Loaded only when hadolint is installed: importing execa costs a few hundred ms at startup.
  const { execa } = await import('execa');
  const result = await execa(bin, args, { input: file.content, reject: false, timeout: options.timeoutMs ?? 30_000, stripFinalNewline: true });
  if (result.timedOut || (result.stdout.trim() === '' && result.exitCode !== 0)) {
    throw new StackgenError('E_UNAVAILABLE', `hadolint failed on ${file.path}: ${result.stderr || result.shortMessage}`, {
      hint: 'Run `hadolint --version` to check the installation, or lint without external tools.',
    });
  }
  return result.stdout.trim() === '' ? [] : parseHadolintJson(result.stdout, file.path);
}

/** Built-in and hadolint findings together; a built-in finding hadolint also reported (same rule, line) is dropped. */
export function mergeFindings(builtin: readonly Finding[], external: readonly Finding[]): Finding[] {
  const key = (f: Finding): string => `${f.file}\0${f.rule}\0${f.line}`;
  const fromHadolint = new Set(external.map(key));
  return [...builtin.filter((f) => !fromHadolint.has(key(f))), ...external].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule),
  );
}
