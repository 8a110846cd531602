/**
 * hadolint's configuration file (`.hadolint.yaml` / `.hadolint.yml`), read with the same keys and
 * meaning, so one file configures both the real hadolint and stackgen's built-in rules.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import { StackgenError } from '../../errors.js';
import type { Finding, Severity } from '../types.js';
import { SEVERITY_ORDER } from '../types.js';

export type LabelType = 'text' | 'url' | 'semver' | 'hash' | 'rfc3339' | 'spdx' | 'email';

export interface HadolintConfig {
  /** Rule ids never reported. */
  ignored: string[];
  /** Severity per rule id, replacing the rule's default (also enables rules that are off by default). */
  override: Partial<Record<Severity, string[]>>;
  /** Registries FROM may use; enables DL3026 when non-empty. `*` wildcards allowed, e.g. `*.example.com`. */
  trustedRegistries: string[];
  /** Lowest severity that fails the check; `none` never fails. Default `info` (hadolint's default). */
  failureThreshold: Severity | 'none';
  /** Required labels and their value types; enables DL3049–DL3058. */
  labelSchema: Record<string, LabelType>;
  /** Report labels not in `labelSchema` (DL3050). */
  strictLabels: boolean;
  /** Ignore `# hadolint ignore=` comments. */
  disableIgnorePragma: boolean;
}

export const DEFAULT_HADOLINT_CONFIG: Readonly<HadolintConfig> = Object.freeze({
  ignored: [],
  override: {},
  trustedRegistries: [],
  failureThreshold: 'info',
  labelSchema: {},
  strictLabels: false,
  disableIgnorePragma: false,
});

const THRESHOLDS = ['error', 'warning', 'info', 'style', 'none'] as const;
const LABEL_TYPES: readonly LabelType[] = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'];
/** Keys hadolint accepts that only steer its own CLI output. */
const CLI_ONLY_KEYS = new Set(['no-fail', 'no-color', 'format', 'verbose', 'output-file', 'require-labels']);

/** Parses a hadolint config file; throws E_INVALID with the file and line of the first problem. */
export function loadHadolintConfig(text: string, file: string): HadolintConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const fail = (message: string, node?: Node | null, offset?: number): never => {
    const at = offset ?? node?.range?.[0];
    const pos = at === undefined ? undefined : lineCounter.linePos(at);
    throw new StackgenError('E_INVALID', `${file}: ${message}`, {
      hint: 'Fix the hadolint configuration; see hadolint\'s README for the keys it accepts.',
      locations: [{ file, line: pos?.line, column: pos?.col }],
    });
  };
  const first = doc.errors[0];
  if (first) fail(`invalid YAML: ${first.message.split('\n')[0]}`, null, first.pos[0]);

  const config: HadolintConfig = { ...DEFAULT_HADOLINT_CONFIG, ignored: [], override: {}, trustedRegistries: [], labelSchema: {} };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config;
  if (!isMap(root)) return fail('expected a mapping of hadolint settings', root);

  const stringList = (node: unknown, key: string): string[] => {
    if (isScalar(node) && node.value === null) return [];
    if (!isSeq(node)) return fail(`\`${key}\` must be a list of strings`, node as Node);
    return node.items.map((it) => {
      if (!isScalar(it) || typeof it.value !== 'string') return fail(`\`${key}\` must contain only strings`, it as Node);
      return it.value;
    });
  };
  const bool = (node: unknown, key: string): boolean => {
    if (!isScalar(node) || typeof node.value !== 'boolean') return fail(`\`${key}\` must be true or false`, node as Node);
    return node.value;
  };

  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    switch (key) {
      case 'ignored':
        config.ignored = stringList(value, key);
        break;
      case 'trustedRegistries':
        config.trustedRegistries = stringList(value, key);
        break;
      case 'override': {
        if (isScalar(value) && value.value === null) break;
        if (!isMap(value)) return fail('`override` must map severities to lists of rule ids', value as Node);
        for (const p of value.items) {
          const sev = isScalar(p.key) ? String(p.key.value) : '';
          if (!(sev in SEVERITY_ORDER)) return fail(`unknown severity \`${sev}\` in \`override\` (use error, warning, info or style)`, p.key as Node);
          config.override[sev as Severity] = stringList(p.value, `override.${sev}`);
        }
        break;
      }
      case 'failure-threshold': {
        const v = isScalar(value) ? String(value.value) : '';
        if (!(THRESHOLDS as readonly string[]).includes(v)) return fail('`failure-threshold` must be one of error, warning, info, style, none', value as Node);
        config.failureThreshold = v as HadolintConfig['failureThreshold'];
        break;
      }
      case 'label-schema': {
        if (!isMap(value)) return fail('`label-schema` must map label names to types', value as Node);
        for (const p of value.items) {
          const name = isScalar(p.key) ? String(p.key.value) : '';
          const type = isScalar(p.value) ? String(p.value.value) : '';
          if (!(LABEL_TYPES as readonly string[]).includes(type)) return fail(`label type \`${type}\` must be one of ${LABEL_TYPES.join(', ')}`, p.value as Node);
          config.labelSchema[name] = type as LabelType;
        }
        break;
      }
      case 'strict-labels':
        config.strictLabels = bool(value, key);
        break;
      case 'disable-ignore-pragma':
        config.disableIgnorePragma = bool(value, key);
        break;
      default:
        if (!CLI_ONLY_KEYS.has(key)) return fail(`unknown key \`${key}\``, pair.key as Node);
    }
  }
  return config;
}

/** True when any finding is at or above the configured failure threshold. */
export function exceedsFailureThreshold(findings: readonly Finding[], threshold: HadolintConfig['failureThreshold']): boolean {
  if (threshold === 'none') return false;
  return findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[threshold]);
}
