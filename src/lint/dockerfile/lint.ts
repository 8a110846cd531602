/**
 * Built-in Dockerfile linting with hadolint's rule ids, severities and semantics, plus stackgen's
 * SG rules. Pure: text in, findings out.
 */
import type { Finding, LintFile, Severity } from '../types.js';
import { DEFAULT_HADOLINT_CONFIG, type HadolintConfig } from './config.js';
import type { BuildContext } from './build-context.js';
import { buildModel, onbuildModel } from './model.js';
import { readPragmas } from './pragmas.js';
import { DOCKERFILE_RULES, type DockerfileRule } from './rules/index.js';

export interface DockerfileLintOptions {
  /** hadolint configuration (from `.hadolint.yaml`); default hadolint's defaults. */
  config?: HadolintConfig;
  /** The build cannot reach a registry, so `# syntax=` frontends cannot be pulled (SG1005). Default false. */
  airGapped?: boolean;
  /** Rule ids to skip in addition to the config's `ignored`. Default none. */
  ignore?: readonly string[];
  /** Build contexts to check COPY/ADD sources against (SG1006). Default none: the check is skipped. */
  contexts?: readonly BuildContext[];
}

const KEYWORD_LIST = 'ADD, ARG, CMD, COPY, ENTRYPOINT, ENV, EXPOSE, FROM, HEALTHCHECK, LABEL, MAINTAINER, ONBUILD, RUN, SHELL, STOPSIGNAL, USER, VOLUME, WORKDIR';

function effectiveSeverity(rule: DockerfileRule, config: HadolintConfig): Severity | 'ignore' {
  for (const sev of ['error', 'warning', 'info', 'style'] as const) if (config.override[sev]?.includes(rule.id)) return sev;
  return rule.severity;
}

export function lintDockerfile(file: LintFile, options: DockerfileLintOptions = {}): Finding[] {
  const config = options.config ?? DEFAULT_HADOLINT_CONFIG;
  const ignored = new Set([...config.ignored, ...(options.ignore ?? [])]);
  const text = file.content.replace(/^\uFEFF/, '');
  const firstPass = buildModel(text);
  const pragmas = readPragmas(firstPass.comments);
  const model = pragmas.shell === undefined ? firstPass : buildModel(text, { defaultShell: pragmas.shell });
  const isIgnored = (rule: string, line: number): boolean =>
    ignored.has(rule) || (!config.disableIgnorePragma && (pragmas.global.has(rule) || (pragmas.byLine.get(line)?.has(rule) ?? false)));

  // Like hadolint, a file that does not parse yields only the parse error.
  const bad = model.unknown[0];
  if (bad) {
    if (isIgnored('DL1000', bad.line)) return [];
    const word = text.split(/\r?\n/)[bad.line - 1]?.trim().split(/\s+/)[0] ?? '';
    return [
      {
        file: file.path,
        line: bad.line,
        column: 1,
        rule: 'DL1000',
        severity: 'error',
        message: `unexpected '${word}' expecting '#', ${KEYWORD_LIST}, or end of input`,
        tool: 'stackgen',
        fix: 'Start the line with a Dockerfile instruction, or make it a `#` comment or part of a `\\` continuation.',
      },
    ];
  }

  const ctx = { model, config, airGapped: options.airGapped ?? false, contexts: options.contexts ?? [] };
  const findings: Finding[] = [];
  for (const rule of DOCKERFILE_RULES) {
    const severity = effectiveSeverity(rule, config);
    if (severity === 'ignore') continue;
    const seen = new Set<string>();
    const hits = rule.onbuild ? [...rule.check(ctx), ...rule.check({ ...ctx, model: onbuildModel(model) })] : rule.check(ctx);
    for (const hit of hits) {
      const message = hit.message ?? rule.message;
      if (isIgnored(rule.id, hit.line) || seen.has(`${hit.line}\0${message}`)) continue;
      seen.add(`${hit.line}\0${message}`);
      findings.push({ file: file.path, line: hit.line, column: 1, rule: rule.id, severity, message, tool: 'stackgen', fix: rule.fix });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/** Ids, default severities and messages of every built-in rule (for docs and `--explain`). */
export function dockerfileRuleIds(): { id: string; severity: Severity | 'ignore'; message: string }[] {
  return DOCKERFILE_RULES.map(({ id, severity, message }) => ({ id, severity, message }));
}
