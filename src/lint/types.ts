/**
 * Lint findings and the linter interface. Linters are pure: they receive file contents (from the
 * virtual tree or from disk) and return findings; they never write.
 */

/** hadolint's severities, used by every linter so one threshold applies to all. */
export type Severity = 'error' | 'warning' | 'info' | 'style';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1, style: 0 };

export interface Finding {
  /** Posix path as the user passed it / as it sits in the rendered tree. */
  file: string;
  /** 1-based; 1 when the finding concerns the whole file. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
  /** DLxxxx (hadolint semantics), SGxxxx (stackgen's own), or the external tool's id. */
  rule: string;
  severity: Severity;
  message: string;
  /** Which tool produced it: "stackgen", "hadolint", "promtool", "ajv", "actionlint", … */
  tool: string;
  /** How to fix it, in one sentence. */
  fix?: string;
}

export type ArtifactKind =
  | 'dockerfile'
  | 'compose'
  | 'prometheus-config'
  | 'prometheus-rules'
  | 'grafana-dashboard'
  | 'grafana-provisioning'
  | 'github-workflow'
  | 'gitlab-ci'
  | 'kubernetes';

export interface LintFile {
  path: string;
  content: string;
}

export interface LintContext {
  /** Every file being linted, so cross-file checks (compose ↔ .env, dashboards ↔ datasources) can look. */
  files: readonly LintFile[];
  /** Run external tools (hadolint, promtool, actionlint) when they are on PATH. Default true. */
  external: boolean;
  /**
   * Folder that relative file paths resolve against on disk, so checks that need more than the
   * linted files (COPY sources in a build context) can look. Unset: those checks are skipped.
   */
  root?: string;
  /** Build context for Dockerfiles no linted compose file builds; default the Dockerfile's folder. */
  contextDir?: string;
}

export interface Linter {
  kind: ArtifactKind;
  lint(file: LintFile, ctx: LintContext): Promise<Finding[]> | Finding[];
}
