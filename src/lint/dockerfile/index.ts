/** Dockerfile linting: built-in hadolint-compatible rules, stackgen's SG rules, and the real hadolint when installed. */
export { lintDockerfile, dockerfileRuleIds } from './lint.js';
export type { DockerfileLintOptions } from './lint.js';
export { loadHadolintConfig, exceedsFailureThreshold, DEFAULT_HADOLINT_CONFIG } from './config.js';
export type { HadolintConfig, LabelType } from './config.js';
export { runHadolint, parseHadolintJson, mergeFindings, findOnPath } from './hadolint.js';
export type { RunHadolintOptions } from './hadolint.js';
export { createDockerfileLinter, dockerfileLinter, findHadolintConfig } from './linter.js';
export type { DockerfileLinterOptions } from './linter.js';
export { parseShell } from './shell.js';
export type { ParsedScript, ShellCommand } from './shell.js';
