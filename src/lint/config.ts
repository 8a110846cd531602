/**
 * `.stackgen-lint.yaml`: one config for every linter. Its keys are hadolint's (`ignored`, `override`,
 * `failure-threshold`), so a `.hadolint.yaml` also works as `--config`; they apply to all rule ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { StackgenError } from '../errors.js';
import { SEVERITY_ORDER, type Finding, type Severity } from './types.js';

export interface LintConfig {
  /** Rule ids whose findings are dropped. */
  ignored: string[];
  /** Rule id → the severity it is reported with. */
  override: Partial<Record<Severity, string[]>>;
  /** The lowest severity that fails the run (exit 1). Default `error`. */
  failureThreshold: Severity;
}

export const DEFAULT_LINT_CONFIG: LintConfig = { ignored: [], override: {}, failureThreshold: 'error' };
const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'style'];
// hadolint keys that matter only to the Dockerfile linter (which reads .hadolint.yaml itself) or to its CLI.
const PASS_THROUGH = new Set(['trustedRegistries', 'label-schema', 'strict-labels', 'disable-ignore-pragma', 'format', 'no-color', 'no-fail', 'verbose']);

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function parseLintConfig(text: string, file: string): LintConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  const bad = (message: string, line?: number): never => {
    throw new StackgenError('E_INVALID', `${file}: ${message}`, { locations: [{ file, ...(line ? { line } : {}) }], hint: 'Keys: ignored (list of rule ids), override.{error,warning,info,style} (lists), failure-threshold.' });
  };
  if (doc.errors[0]) bad(`invalid YAML: ${doc.errors[0].message.split('\n')[0]}`, doc.errors[0].linePos?.[0].line);
  const value = (doc.toJS() ?? {}) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('the config must be a mapping');
  const cfg: LintConfig = { ignored: [], override: {}, failureThreshold: 'error' };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'ignored') {
      if (!isStringList(v)) bad('`ignored` must be a list of rule ids');
      cfg.ignored = v as string[];
    } else if (key === 'override') {
      if (typeof v !== 'object' || v === null) bad('`override` must map a severity to a list of rule ids');
      for (const [sev, rules] of Object.entries(v as Record<string, unknown>)) {
        if (!SEVERITIES.includes(sev as Severity) || !isStringList(rules)) bad(`override.${sev}: the severity must be one of ${SEVERITIES.join(', ')} with a list of rule ids`);
        cfg.override[sev as Severity] = rules as string[];
      }
    } else if (key === 'failure-threshold') {
      if (!SEVERITIES.includes(v as Severity) && v !== 'none') bad(`failure-threshold must be one of ${SEVERITIES.join(', ')}, none`);
      // `none` (hadolint's spelling for "never fail") maps to a threshold above every severity.
      cfg.failureThreshold = v === 'none' ? ('none' as Severity) : (v as Severity);
    } else if (!PASS_THROUGH.has(key)) {
      bad(`unknown key \`${key}\``);
    }
  }
  return cfg;
}

export function loadLintConfig(file: string, base = process.cwd()): LintConfig {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(base, file), 'utf8');
  } catch (cause) {
    throw new StackgenError('E_INPUT', `${file}: cannot read the lint config`, { locations: [{ file }], cause });
  }
  return parseLintConfig(text, file);
}

/** Findings with the config's ignores dropped and its severity overrides applied. */
export function applyLintConfig(findings: readonly Finding[], cfg: LintConfig): Finding[] {
  return findings
    .filter((f) => !cfg.ignored.includes(f.rule))
    .map((f) => {
      const sev = SEVERITIES.find((s) => cfg.override[s]?.includes(f.rule));
      return sev ? { ...f, severity: sev } : f;
    });
}

/** Whether any finding is at or above the failure threshold. */
export function failsThreshold(findings: readonly Finding[], threshold: Severity = 'error'): boolean {
  const min = SEVERITY_ORDER[threshold];
  if (min === undefined) return false;
  return findings.some((f) => SEVERITY_ORDER[f.severity] >= min);
}
