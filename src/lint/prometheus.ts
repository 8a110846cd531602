/**
 * Prometheus config and rule files. With `promtool` on PATH (and external tools on) the real
 * checker runs on a temporary copy (rule files beside it, as the config refers to them); otherwise
 * structural checks stand in for it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { findOnPath } from './dockerfile/hadolint.js';
import type { Finding, LintContext, LintFile, Linter, Severity } from './types.js';
import { isRecord, parseYaml, positionOf, type ParsedYaml } from './yaml-position.js';

export interface PrometheusLinterOptions {
  /** Never run promtool, even when it is on PATH. Default false. */
  builtinOnly?: boolean;
  /** PATH searched for promtool; default `process.env.PATH`. */
  pathEnv?: string;
}

const DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

export function parseDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const m = DURATION.exec(s);
  if (!m || s === '') return undefined;
  const n = (i: number) => Number(m[i] ?? 0);
  return ((((n(2) * 365 + n(4) * 7 + n(6)) * 24 + n(8)) * 60 + n(10)) * 60 + n(12)) * 1000 + n(14);
}

type Add = (at: (string | number)[], rule: string, severity: Severity, message: string, fix: string) => void;

function adder(file: LintFile, y: ParsedYaml, out: Finding[]): Add {
  return (at, rule, severity, message, fix) => out.push({ file: file.path, ...positionOf(y, at), rule, severity, message, tool: 'stackgen', fix });
}

function checkDuration(add: Add, v: unknown, at: (string | number)[]): number | undefined {
  if (v === undefined) return undefined;
  const d = typeof v === 'string' ? parseDuration(v) : undefined;
  if (d === undefined) add(at, 'SG3004', 'error', `${at.join('.')}: \`${String(v)}\` is not a Prometheus duration`, 'Write durations like 15s, 1m, 1h30m.');
  return d;
}

function resolvedRuleFiles(file: LintFile, ctx: LintContext, patterns: string[]): { pattern: string; matches: string[] }[] {
  const dir = path.posix.dirname(file.path);
  return patterns.map((pattern) => {
    const full = path.posix.normalize(path.posix.isAbsolute(pattern) ? pattern : path.posix.join(dir, pattern));
    const isMatch = picomatch(full);
    const inSet = ctx.files.map((f) => path.posix.normalize(f.path)).filter((p) => isMatch(p));
    const onDisk = !/[*?[]/.test(full) && inSet.length === 0 && fs.existsSync(full) ? [full] : [];
    return { pattern, matches: [...inSet, ...onDisk] };
  });
}

export function lintPrometheusConfigBuiltin(file: LintFile, ctx: LintContext): Finding[] {
  const y = parseYaml(file, 'SG3000');
  if (y.errors.length) return y.errors;
  const out: Finding[] = [];
  const add = adder(file, y, out);
  const cfg = y.value;
  if (!isRecord(cfg)) {
    add([], 'SG3000', 'error', 'a Prometheus config must be a mapping', 'Start with `global:` and `scrape_configs:`.');
    return out;
  }
  const global = isRecord(cfg.global) ? cfg.global : {};
  const gInterval = checkDuration(add, global.scrape_interval, ['global', 'scrape_interval']) ?? 60_000;
  const gTimeout = checkDuration(add, global.scrape_timeout, ['global', 'scrape_timeout']) ?? Math.min(10_000, gInterval);
  checkDuration(add, global.evaluation_interval, ['global', 'evaluation_interval']);
  if (gTimeout > gInterval) add(['global', 'scrape_timeout'], 'SG3005', 'error', 'global scrape_timeout is greater than scrape_interval', 'Make scrape_timeout at most scrape_interval.');
  const ruleFiles = Array.isArray(cfg.rule_files) ? cfg.rule_files.filter((r): r is string => typeof r === 'string') : [];
  resolvedRuleFiles(file, ctx, ruleFiles).forEach((r, i) => {
    if (r.matches.length === 0 && !/[*?[]/.test(r.pattern)) add(['rule_files', i], 'SG3006', 'error', `rule file \`${r.pattern}\` does not exist (resolved relative to ${file.path})`, 'Fix the path; rule files are relative to the config file.');
  });
  const jobs = new Map<string, number>();
  const scrapes = Array.isArray(cfg.scrape_configs) ? cfg.scrape_configs : [];
  scrapes.forEach((sc, i) => {
    const at = ['scrape_configs', i];
    if (!isRecord(sc)) return;
    if (typeof sc.job_name !== 'string' || sc.job_name === '') {
      add(at, 'SG3001', 'error', `scrape_configs[${i}] has no job_name`, 'Give every scrape config a unique job_name.');
    } else if (jobs.has(sc.job_name)) {
      add([...at, 'job_name'], 'SG3002', 'error', `job_name \`${sc.job_name}\` is used twice (also scrape_configs[${jobs.get(sc.job_name)}])`, 'Job names must be unique.');
    } else {
      jobs.set(sc.job_name, i);
    }
    const interval = checkDuration(add, sc.scrape_interval, [...at, 'scrape_interval']) ?? gInterval;
    const timeout = checkDuration(add, sc.scrape_timeout, [...at, 'scrape_timeout']) ?? Math.min(gTimeout, interval);
    if (timeout > interval) add([...at, 'scrape_timeout'], 'SG3005', 'error', `${String(sc.job_name)}: scrape_timeout is greater than scrape_interval`, 'Make scrape_timeout at most scrape_interval.');
    if (typeof sc.metrics_path === 'string' && !sc.metrics_path.startsWith('/')) add([...at, 'metrics_path'], 'SG3007', 'error', `metrics_path \`${sc.metrics_path}\` must start with /`, 'Write an absolute path, e.g. /metrics.');
    const statics = Array.isArray(sc.static_configs) ? sc.static_configs : [];
    statics.forEach((st, j) => {
      if (!isRecord(st) || !Array.isArray(st.targets)) return;
      st.targets.forEach((t, k) => {
        if (typeof t !== 'string' || !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):\d{1,5}$/.test(t)) {
          add([...at, 'static_configs', j, 'targets', k], 'SG3003', 'error', `target \`${String(t)}\` is not host:port`, 'Targets are host:port, without a scheme or path (use scheme / metrics_path).');
        }
      });
    });
  });
  return out;
}

export function lintPrometheusRulesBuiltin(file: LintFile): Finding[] {
  const y = parseYaml(file, 'SG3000');
  if (y.errors.length) return y.errors;
  const out: Finding[] = [];
  const add = adder(file, y, out);
  const doc = y.value;
  if (!isRecord(doc) || !Array.isArray(doc.groups)) {
    add([], 'SG3010', 'error', 'a rule file must have `groups:`, a list', 'Write `groups: [{name: …, rules: […]}]`.');
    return out;
  }
  const names = new Set<string>();
  doc.groups.forEach((g, i) => {
    const at = ['groups', i];
    if (!isRecord(g)) return;
    if (typeof g.name !== 'string' || g.name === '') add(at, 'SG3010', 'error', `groups[${i}] has no name`, 'Give every rule group a unique name.');
    else if (names.has(g.name)) add([...at, 'name'], 'SG3010', 'error', `group name \`${g.name}\` is used twice`, 'Rule group names must be unique in a file.');
    else names.add(g.name);
    checkDuration(add, g.interval, [...at, 'interval']);
    if (!Array.isArray(g.rules)) {
      add(at, 'SG3011', 'error', `group ${String(g.name)} has no rules list`, 'Add `rules:` with alert or record rules.');
      return;
    }
    g.rules.forEach((r, j) => {
      const rat = [...at, 'rules', j];
      if (!isRecord(r)) return;
      const hasAlert = typeof r.alert === 'string' && r.alert !== '';
      const hasRecord = typeof r.record === 'string' && r.record !== '';
      if (hasAlert === hasRecord) add(rat, 'SG3011', 'error', `rule ${j + 1} of group ${String(g.name)} needs exactly one of alert or record`, 'Name the rule with `alert:` (alerting) or `record:` (recording).');
      if (typeof r.expr !== 'string' || r.expr.trim() === '') {
        if (typeof r.expr !== 'number') add(rat, 'SG3011', 'error', `rule ${j + 1} of group ${String(g.name)} has no expr`, 'Add the PromQL expression as `expr:`.');
      }
      if (hasRecord && r.for !== undefined) add([...rat, 'for'], 'SG3011', 'error', 'a recording rule cannot have `for`', 'Remove `for` or make it an alert.');
      checkDuration(add, r.for, [...rat, 'for']);
      checkDuration(add, r.keep_firing_for, [...rat, 'keep_firing_for']);
    });
  });
  return out;
}

/** Findings from promtool's output (stderr+stdout), mapped to files of the lint set. */
export function parsePromtoolOutput(text: string, checked: LintFile, tmpDir: string, origin: ReadonlyMap<string, string> = new Map()): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const relToUser = (p: string): string => {
    const rel = path.relative(tmpDir, path.resolve(tmpDir, p)).split(path.sep).join('/');
    return origin.get(rel) ?? (rel.startsWith('..') ? checked.path : rel);
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^(\S+?): (\d+):(\d+): (.+)$/.exec(line);
    let finding: Finding | undefined;
    if (m) {
      finding = { file: relToUser(m[1]!), line: Number(m[2]), column: Number(m[3]), rule: 'promtool', severity: 'error', message: m[4]!, tool: 'promtool' };
    } else if ((m = /^FAILED: (.+)$/.exec(line))) {
      const msg = m[1]!;
      const ln = /line (\d+)/.exec(msg);
      finding = { file: checked.path, line: ln ? Number(ln[1]) : 1, column: 1, rule: 'promtool', severity: 'error', message: msg.replace(tmpDir + path.sep, ''), tool: 'promtool' };
    } else if (/^line \d+: /.test(line)) {
      const ln = /^line (\d+): (.+)$/.exec(line)!;
      finding = { file: checked.path, line: Number(ln[1]), column: 1, rule: 'promtool', severity: 'error', message: ln[2]!, tool: 'promtool' };
    }
    if (!finding) continue;
    const key = `${finding.file}:${finding.line}:${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    finding.fix = 'See `promtool check` for this file.';
    out.push(finding);
  }
  return out;
}

async function runPromtool(bin: string, mode: 'config' | 'rules', file: LintFile, ctx: LintContext): Promise<Finding[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-promtool-'));
  try {
    const rel = path.posix.isAbsolute(file.path) ? path.posix.basename(file.path) : path.posix.normalize(file.path);
    // Path in the temp copy → the path the user gave, so findings point at their files.
    const origin = new Map<string, string>();
    const write = (p: string, content: string, from: string) => {
      origin.set(path.posix.normalize(p), from);
      const abs = path.join(tmp, p);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    };
    write(rel, file.content, file.path);
    if (mode === 'config') {
      // Copy every file of the set that sits under the config's folder: rule files are resolved from there.
      const dir = path.posix.dirname(file.path);
      for (const f of ctx.files) {
        if (f === file) continue;
        const r = path.posix.relative(dir, f.path);
        if (r.startsWith('..') || path.posix.isAbsolute(r)) continue;
        write(path.posix.join(path.posix.dirname(rel), r), f.content, f.path);
      }
    }
    const { execa } = await import('execa');
    const result = await execa(bin, ['check', mode, rel], { cwd: tmp, reject: false, timeout: 30_000, all: true });
    if (result.exitCode === 0) return [];
    const findings = parsePromtoolOutput(result.all ?? '', file, tmp, origin);
    // Rule files in the set get their own promtool run; keep only what concerns this file or files outside the set.
    const own = findings.filter((f) => f.file === file.path || !ctx.files.some((x) => x.path === f.file));
    if (own.length === 0 && findings.length === 0) {
      return [{ file: file.path, line: 1, column: 1, rule: 'promtool', severity: 'error', message: (result.all ?? result.shortMessage).trim().split('\n').slice(-3).join(' '), tool: 'promtool' }];
    }
    return own.map((f) => (ctx.files.some((x) => x.path === f.file) ? f : { ...f, file: file.path, line: 1, column: 1, message: `${f.file}: ${f.message}` }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function createPrometheusLinters(options: PrometheusLinterOptions = {}): Linter[] {
  const promtool = (ctx: LintContext) => (ctx.external && !options.builtinOnly ? findOnPath('promtool', options.pathEnv) : null);
  return [
    {
      kind: 'prometheus-config',
      async lint(file, ctx) {
        const bin = promtool(ctx);
        return bin ? runPromtool(bin, 'config', file, ctx) : lintPrometheusConfigBuiltin(file, ctx);
      },
    },
    {
      kind: 'prometheus-rules',
      async lint(file, ctx) {
        const bin = promtool(ctx);
        return bin ? runPromtool(bin, 'rules', file, ctx) : lintPrometheusRulesBuiltin(file);
      },
    },
  ];
}
