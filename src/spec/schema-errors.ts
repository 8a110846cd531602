/**
 * ajv's errors as a person reads them: each at the line and column of the node it is about, one
 * message per problem (anyOf/oneOf cascades collapsed), allowed values listed, and "did you mean"
 * for unknown keys and misspelt values.
 */
import { dnsLabel } from '../dns-label.js';
import { hasUnsafeChars } from '../safe-text.js';
import { closest } from './levenshtein.js';
import type { ErrorObject } from './schema.js';
import { dotPath, type SpecError } from './spec-error.js';
import { positionOf, type Anchor, type Segment, type SpecSource } from './yaml-source.js';

interface Finding {
  segments: Segment[];
  anchor: Anchor;
  message: string;
  hint?: string;
}

/** JSON pointer → segments; array indices become numbers (by looking at the data). */
function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (!pointer) return [];
  const out: Segment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(s)) {
      out.push(Number(s));
      cur = cur[Number(s)];
    } else {
      out.push(s);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
    }
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  null: 'null',
};

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

function typeMessage(types: string[], value: unknown): string {
  const words = [...new Set(types)].map((t) => TYPE_WORDS[t] ?? t);
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'another type');
  return `must be ${list} (got ${describeValue(value)})`;
}

/** Patterns of the schema, in words: by the `$defs` entry they come from, else by the pattern itself. */
const DEF_WORDS: Record<string, string> = {
  dnsName: "must be a DNS label: lower-case letters, digits and '-', starting with a letter, at most 63 characters",
  duration: 'must be a duration such as 500ms, 10s, 2m or 1h',
  envName: "must be an environment variable name: letters, digits and '_', not starting with a digit",
  relativePath: "must be a path relative to the spec's folder and inside it: letters, digits and ._@+=,~- in each segment, no leading '/', no '..', no segment starting with '-'",
  folder: "must be '.' or a folder relative to the spec's folder and inside it: letters, digits and ._@+=,~- in each segment, no leading '/', no '..', no segment starting with '-'",
  command: 'must be one command line: no newlines or other control characters, no bidirectional-override or zero-width characters, and no trailing backslash',
  text: 'must be one line of text: no newlines or other control characters, no bidirectional-override or zero-width characters',
  imageRef: 'must be an image reference such as postgres:16.4 or registry.example:5000/team/app:1.2@sha256:<digest>',
  registryPrefix: 'must be a registry host with an optional path, such as ghcr.io/acme or mirror.example:5000/dockerhub',
  urlPath: "must be an HTTP path that starts with '/', made of URL characters only (letters, digits and ._~%!*+,;=:@/- then an optional ?query): percent-encode anything else",
  version: 'must be a version such as 20, 3.12 or 21-jdk: letters, digits and ._+- only',
};

const PATTERN_WORDS: Array<{ test: (pattern: string, schemaPath: string, path: Segment[]) => boolean; say: string }> = [
  { test: (p) => p === '^[a-z][a-z0-9-]{0,62}$', say: DEF_WORDS.dnsName! },
  { test: (p) => p.startsWith('^linux/'), say: 'must be a platform such as linux/amd64 or linux/arm64' },
  { test: (p) => p === '^[0-9]+(\\.[0-9]+)?$', say: 'must be a number of CPUs such as 0.5 or 2' },
  { test: (p) => p === '^[0-9]+[kKmMgG]?$', say: 'must be a size such as 512M or 1G' },
  { test: (p) => p === '^[a-z_][a-z0-9_-]{0,31}$', say: 'must be a Unix user name: lower-case letters, digits, _ and -, at most 32 characters' },
  { test: (_p, _s, path) => path.at(-1) === 'path' && path.includes('services'), say: DEF_WORDS.folder! },
  { test: (_p, _s, path) => path.at(-1) === 'target', say: "must be a Dockerfile stage name: a letter, then letters, digits, '_', '.' and '-'" },
  { test: (_p, _s, path) => path.at(-2) === 'overrides', say: 'must be an image reference, or a repository followed by :* for any tag' },
  { test: (_p, _s, path) => path.at(-1) === 'image' && path.includes('ci'), say: "must be an image repository name: lower-case letters, digits and '.', '_', '-' between them, parts separated by '/'" },
  { test: (_p, _s, path) => path.at(-1) === 'stackgenPackage', say: 'must be an npm package spec (name or @scope/name, optionally @version), an https:// tarball URL or a file: path' },
  { test: (_p, _s, path) => path.at(-1) === 'version' && path.includes('actions'), say: 'must be a release tag such as v4.2.2' },
  { test: (_p, _s, path) => path.includes('domains'), say: 'must be a host name such as app.example.com' },
  { test: (_p, _s, path) => path.at(-1) === 'email', say: 'must be an e-mail address such as ops@example.com' },
  { test: (_p, _s, path) => path[0] === '$schema', say: 'must be a URL or path to the schema, made of URL characters only' },
];

function patternMessage(e: ErrorObject, segments: Segment[]): string {
  const pattern = String(e.params.pattern);
  const def = /\$defs\/([A-Za-z]+)\/pattern$/.exec(e.schemaPath)?.[1];
  if (def && DEF_WORDS[def]) return DEF_WORDS[def]!;
  const hit = PATTERN_WORDS.find((w) => w.test(pattern, e.schemaPath, segments));
  return hit ? hit.say : `must match the pattern ${pattern}`;
}

/** What to write instead, where the value shows it. */
function patternHint(e: ErrorObject, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (hasUnsafeChars(value)) {
    return 'Remove the control, line-break, bidirectional or zero-width characters: a value is one line of data, never a new instruction or key.';
  }
  if (e.schemaPath.includes('urlPath') && !value.startsWith('/') && /^[A-Za-z0-9._~%!*+,;=:@/?&-]+$/.test(value)) return `Write \`/${value}\`.`;
  return undefined;
}

function allowedKeys(e: ErrorObject): string[] {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return props ? Object.keys(props).filter((k) => k !== '$schema') : [];
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (v === null ? 'null' : String(v))).join(', ');
}

/** One finding for one (non-combinator) ajv error. */
function findingOf(e: ErrorObject, data: unknown): Finding | null {
  const segments = segmentsOf(e.instancePath, data);
  const value = e.data;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = allowedKeys(e);
      const guess = closest(key, allowed);
      return {
        segments: [...segments, key],
        anchor: 'key',
        message: `unknown key \`${key}\``,
        hint: guess ? `Did you mean \`${guess}\`?` : allowed.length ? `Allowed keys here: ${allowed.join(', ')}.` : 'Remove it.',
      };
    }
    case 'required': {
      const missing = String(e.params.missingProperty);
      return { segments, anchor: 'key', message: `missing required key \`${missing}\``, hint: `Add \`${missing}:\` here.` };
    }
    case 'const':
      return { segments, anchor: 'value', message: `must be ${JSON.stringify(e.params.allowedValue)} (got ${describeValue(value)})`, ...(segments[0] === 'version' ? { hint: 'This stackgen reads spec version 1.' } : {}) };
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]) ?? [];
      const guess = typeof value === 'string' ? closest(value, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      return {
        segments,
        anchor: 'value',
        message: `must be one of: ${quoteList(allowed)} (got ${describeValue(value)})`,
        ...(guess ? { hint: `Did you mean \`${guess}\`?` } : {}),
      };
    }
    case 'type': {
      const t = e.params.type as string | string[];
      return { segments, anchor: 'value', message: typeMessage(Array.isArray(t) ? t : [t], value) };
    }
    case 'pattern': {
      const hint = patternHint(e, value);
      return { segments, anchor: 'value', message: `${patternMessage(e, segments)} (got ${describeValue(value)})`, ...(hint ? { hint } : {}) };
    }
    case 'maximum':
    case 'exclusiveMaximum':
      return { segments, anchor: 'value', message: `must be ${e.keyword === 'maximum' ? '≤' : '<'} ${String(e.params.limit)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { segments, anchor: 'value', message: `must be ${e.keyword === 'minimum' ? '≥' : '>'} ${String(e.params.limit)}` };
    case 'minLength':
      return { segments, anchor: 'value', message: 'must not be empty' };
    case 'maxLength':
      return { segments, anchor: 'value', message: `must be at most ${String(e.params.limit)} characters` };
    case 'minProperties':
      return segments.length === 1 && segments[0] === 'services'
        ? { segments, anchor: 'key', message: 'needs at least one service', hint: 'Run `stackgen init` to detect the services, or add one: `api: { path: ., language: node }`.' }
        : { segments, anchor: 'key', message: `needs at least ${String(e.params.limit)} entr${e.params.limit === 1 ? 'y' : 'ies'}` };
    case 'uniqueItems': {
      const i = Number(e.params.i);
      const j = Number(e.params.j);
      const item = Array.isArray(value) ? value[i] : undefined;
      return { segments: [...segments, i], anchor: 'value', message: `duplicate item ${describeValue(item)} (same as item ${j + 1})`, hint: 'Remove the repeated entry.' };
    }
    case 'format': {
      const f = String(e.params.format);
      const words: Record<string, string> = { hostname: 'a host name such as app.example.com', email: 'an e-mail address' };
      return { segments, anchor: 'value', message: `must be ${words[f] ?? `in ${f} format`} (got ${describeValue(value)})` };
    }
    default:
      return { segments, anchor: 'value', message: e.message ?? `fails ${e.keyword}` };
  }
}

function isUnder(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function branchIndex(e: ErrorObject, comb: ErrorObject): number | null {
  const m = e.schemaPath.slice(comb.schemaPath.length).match(/^\/(\d+)\//);
  return e.schemaPath.startsWith(comb.schemaPath) && m ? Number(m[1]) : null;
}

/** Replaces an anyOf/oneOf error and its branch errors with the findings that matter. */
function collapseCombinator(comb: ErrorObject, branch: ErrorObject[], data: unknown): Finding[] {
  const segments = segmentsOf(comb.instancePath, data);
  // Branches whose type did not match the value are noise, unless nothing else is left.
  const typeMiss = branch.filter((e) => e.keyword === 'type' && e.instancePath === comb.instancePath);
  const rest = branch.filter((e) => !typeMiss.includes(e));
  if (rest.length === 0) {
    const types = typeMiss.flatMap((e) => (Array.isArray(e.params.type) ? (e.params.type as string[]) : [String(e.params.type)]));
    return [{ segments, anchor: 'value', message: typeMessage(types, comb.data) }];
  }
  const groups = new Map<number | null, ErrorObject[]>();
  for (const e of rest) {
    const k = branchIndex(e, comb);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const ranked = [...groups.values()].sort((a, b) => a.length - b.length);
  const best = ranked[0]!;
  const tie = ranked.length > 1 && ranked[1]!.length === best.length;
  if (!tie) return best.map((e) => findingOf(e, data)).filter((f): f is Finding => f !== null);
  const forms = ((comb.schema as Array<{ required?: string[] }>) ?? []).map((s) => s.required?.map((r) => `\`${r}\``).join(' + ')).filter(Boolean);
  const onlyRequired = rest.every((e) => e.keyword === 'required');
  return [
    {
      segments,
      anchor: 'key',
      message: onlyRequired && forms.length ? `needs one of: ${forms.join(', ')}` : `must match exactly one of the allowed forms${forms.length ? ` (${forms.join(' or ')})` : ''}`,
      hint: forms.length ? (onlyRequired ? `Add ${forms.join(' or ')}.` : `Use ${forms.join(' or ')}, not both.`) : 'See the schema for the allowed forms.',
    },
  ];
}

/** propertyNames failures: one finding at the offending key, with the sub-errors dropped. */
function propertyNameFinding(e: ErrorObject, data: unknown): Finding {
  const segments = segmentsOf(e.instancePath, data);
  const name = String(e.params.propertyName);
  const where = segments.length === 1 ? String(segments[0]) : String(segments.at(-1) ?? '');
  if (where === 'services' || where === 'backingServices') {
    const suggestion = dnsLabel(name);
    return {
      segments: [...segments, name],
      anchor: 'key',
      message: `\`${name}\` is not a valid ${where === 'services' ? 'service' : 'backing service'} name: use lower-case letters, digits and '-', starting with a letter (a DNS label, at most 63 characters)`,
      ...(suggestion && suggestion !== name ? { hint: `Rename it to \`${suggestion}\` (and update dependsOn entries that name it).` } : {}),
    };
  }
  return {
    segments: [...segments, name],
    anchor: 'key',
    message: `\`${name}\` is not a valid environment variable name: letters, digits and '_', not starting with a digit`,
    hint: `Rename it, e.g. \`${name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}\`.`,
  };
}

export function schemaErrorsToSpecErrors(errors: readonly ErrorObject[], data: unknown, source: SpecSource): SpecError[] {
  const findings: Finding[] = [];
  const pending: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'propertyNames') {
      // ajv emits a combinator's branch errors right before it, all at or below its path.
      const branch: ErrorObject[] = [];
      while (pending.length > 0 && isUnder(pending.at(-1)!.instancePath, e.instancePath)) {
        const last = pending.at(-1)!;
        if (e.keyword === 'propertyNames' && (last.instancePath !== e.instancePath || last.keyword === 'additionalProperties')) break;
        branch.unshift(pending.pop()!);
      }
      findings.push(...pending.splice(0).map((p) => findingOf(p, data)).filter((f): f is Finding => f !== null));
      if (e.keyword === 'propertyNames') findings.push(propertyNameFinding(e, data));
      else findings.push(...collapseCombinator(e, branch, data));
      continue;
    }
    pending.push(e);
  }
  findings.push(...pending.map((p) => findingOf(p, data)).filter((f): f is Finding => f !== null));

  const out: SpecError[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const path = dotPath(f.segments);
    const key = `${path}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = positionOf(source, f.segments, f.anchor);
    out.push({ file: source.file, line: pos.line, column: pos.column, path, message: f.message, ...(f.hint ? { hint: f.hint } : {}) });
  }
  return out;
}
