/**
 * LABEL rules. DL3048 always applies; DL3049–DL3058 apply only when the config declares a
 * `label-schema` (and DL3050 only with `strict-labels`), as in hadolint.
 */
import { finalStage, type Instr } from '../model.js';
import type { LabelType } from '../config.js';
import type { DockerfileRule, RuleContext, RuleHit, RuleMeta } from './define.js';

const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

export function isValidLabelKey(key: string): boolean {
  return !RESERVED.some((r) => key.startsWith(r)) && /^[a-z]([a-z0-9.-]*[a-z0-9])?$/.test(key) && !/[.-]{2}/.test(key);
}

const labelInstrs = (ctx: RuleContext): Instr[] => ctx.model.instructions.filter((i) => i.keyword === 'LABEL');

export const DL3048: DockerfileRule = {
  id: 'DL3048',
  severity: 'style',
  message: 'Invalid label key.',
  fix: 'Use lower-case reverse-DNS keys of letters, digits, `.` and `-` (e.g. `org.opencontainers.image.source`), outside the Docker namespaces.',
  check: (ctx) => labelInstrs(ctx).filter((i) => i.properties.some((p) => !isValidLabelKey(p.name))).map((i) => ({ line: i.line })),
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/;
const SPDX_ID = /^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$/;

function isUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol !== '' && u.host !== '';
  } catch {
    return false;
  }
}

/** Syntax of an SPDX expression: ids joined by AND/OR/WITH, optionally parenthesised. */
function isSpdx(v: string): boolean {
  const tokens = v.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
  return tokens.length > 0 && tokens.every((t, k) => (k % 2 === 1 ? ['AND', 'OR', 'WITH'].includes(t) : SPDX_ID.test(t))) && tokens.length % 2 === 1;
}

const VALIDATORS: Partial<Record<LabelType, { meta: RuleMeta; valid: (v: string) => boolean }>> = {
  url: {
    meta: { id: 'DL3052', severity: 'warning', message: 'Label `<label>` is not a valid URL.', fix: 'Give the label an absolute URL, e.g. `https://example.com/repo`.' },
    valid: isUrl,
  },
  rfc3339: {
    meta: {
      id: 'DL3053',
      severity: 'warning',
      message: 'Label `<label>` is not a valid time format - must conform to RFC3339.',
      fix: 'Use an RFC 3339 timestamp, e.g. `2024-01-31T12:00:00Z`.',
    },
    valid: (v) => RFC3339.test(v),
  },
  spdx: {
    meta: { id: 'DL3054', severity: 'warning', message: 'Label `<label>` is not a valid SPDX identifier.', fix: 'Use an SPDX license id, e.g. `MIT` or `Apache-2.0`.' },
    valid: isSpdx,
  },
  hash: {
    meta: { id: 'DL3055', severity: 'warning', message: 'Label `<label>` is not a valid git hash.', fix: 'Use a full (40) or short (7) hexadecimal git commit hash.' },
    valid: (v) => /^([0-9a-fA-F]{40}|[0-9a-fA-F]{7})$/.test(v),
  },
  semver: {
    meta: { id: 'DL3056', severity: 'warning', message: 'Label `<label>` does not conform to semantic versioning.', fix: 'Use a semantic version, e.g. `1.4.2`.' },
    valid: (v) => SEMVER.test(v),
  },
  email: {
    meta: {
      id: 'DL3058',
      severity: 'warning',
      message: 'Label `<label>` is not a valid email format - must conform to RFC5322.',
      fix: 'Use an e-mail address such as `team@example.com`.',
    },
    valid: (v) => EMAIL.test(v),
  },
};

const named = (message: string, label: string): string => message.replace('<label>', label);

function typedLabelRule(type: LabelType): DockerfileRule {
  const { meta, valid } = VALIDATORS[type]!;
  return {
    ...meta,
    check: (ctx) =>
      labelInstrs(ctx).flatMap((i) =>
        i.properties
          .filter((p) => ctx.config.labelSchema[p.name] === type && (p.value ?? '') !== '' && !valid(p.value ?? ''))
          .map((p): RuleHit => ({ line: i.line, message: named(meta.message, p.name) })),
      ),
  };
}

export const DL3049: DockerfileRule = {
  id: 'DL3049',
  severity: 'info',
  message: 'Label `<label>` is missing.',
  fix: 'Add the label required by the label schema to the final stage.',
  check: (ctx) => {
    const last = finalStage(ctx.model);
    if (!last) return [];
    const present = new Set<string>();
    for (let s: typeof last | null = last; s; s = s.parent)
      s.instructions.filter((i) => i.keyword === 'LABEL').forEach((i) => i.properties.forEach((p) => present.add(p.name)));
    return Object.keys(ctx.config.labelSchema)
      .filter((l) => !present.has(l))
      .map((l) => ({ line: last.line, message: named(DL3049.message, l) }));
  },
};

export const DL3050: DockerfileRule = {
  id: 'DL3050',
  severity: 'info',
  message: 'Superfluous label(s) present.',
  fix: 'Remove labels that the label schema does not define, or add them to the schema.',
  check: (ctx) =>
    ctx.config.strictLabels
      ? labelInstrs(ctx).filter((i) => i.properties.some((p) => !(p.name in ctx.config.labelSchema))).map((i) => ({ line: i.line }))
      : [],
};

export const DL3051: DockerfileRule = {
  id: 'DL3051',
  severity: 'warning',
  message: 'label `<label>` is empty.',
  fix: 'Give the label a value.',
  check: (ctx) =>
    labelInstrs(ctx).flatMap((i) =>
      i.properties.filter((p) => p.name in ctx.config.labelSchema && (p.value ?? '') === '').map((p) => ({ line: i.line, message: named(DL3051.message, p.name) })),
    ),
};

export const labelRules: DockerfileRule[] = [
  DL3048,
  DL3049,
  DL3050,
  DL3051,
  ...(['url', 'rfc3339', 'spdx', 'hash', 'semver', 'email'] as const).map(typedLabelRule),
];
