/** GitLab CI: structural checks (the YAML parses, stages exist, every job has something to run). */
import type { Finding, LintFile, Linter } from './types.js';
import { isRecord, parseYaml, positionOf } from './yaml-position.js';

const GLOBAL_KEYS = new Set(['image', 'services', 'stages', 'variables', 'include', 'default', 'workflow', 'before_script', 'after_script', 'cache', 'types']);
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

export function lintGitlabCi(file: LintFile): Finding[] {
  const y = parseYaml(file, 'SG5100');
  if (y.errors.length) return y.errors;
  const out: Finding[] = [];
  const add = (at: (string | number)[], rule: string, message: string, fix: string) =>
    out.push({ file: file.path, ...positionOf(y, at, true), rule, severity: 'error', message, tool: 'stackgen', fix });
  const ci = y.value;
  if (!isRecord(ci)) {
    add([], 'SG5100', 'a GitLab CI file must be a mapping of jobs', 'Define jobs as top-level keys.');
    return out;
  }
  const declared = Array.isArray(ci.stages) ? ci.stages.map(String) : DEFAULT_STAGES;
  const stages = new Set([...declared, '.pre', '.post']);
  for (const [name, job] of Object.entries(ci)) {
    if (GLOBAL_KEYS.has(name) || name.startsWith('.') || !isRecord(job)) continue;
    if (job.script === undefined && job.trigger === undefined && job.extends === undefined && job.run === undefined) {
      add([name], 'SG5102', `job ${name} has no script, trigger or extends`, 'Add `script:` with the commands to run.');
    }
    if (typeof job.stage === 'string' && !stages.has(job.stage)) {
      add([name, 'stage'], 'SG5101', `job ${name} uses stage \`${job.stage}\`, which is not in stages (${declared.join(', ')})`, `Add ${job.stage} to \`stages:\` or use one of them.`);
    }
    if (Array.isArray(job.needs)) {
      job.needs.forEach((n, i) => {
        const target = typeof n === 'string' ? n : isRecord(n) && typeof n.job === 'string' ? n.job : undefined;
        if (target && !(target in ci) && ci.include === undefined) add([name, 'needs', i], 'SG5103', `job ${name} needs \`${target}\`, which is not a job in this file`, 'Name an existing job (or one from an include, with `optional: true`).');
      });
    }
  }
  return out;
}

export const gitlabLinter: Linter = { kind: 'gitlab-ci', lint: (file) => lintGitlabCi(file) };
