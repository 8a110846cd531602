/**
 * Grafana dashboards (JSON) and provisioning files (YAML): parse errors with positions, unique panel
 * ids, and datasource uids that resolve to a datasource provisioned in the same lint set.
 */
import path from 'node:path';
import { jsonErrorPosition, lineColumnAt } from '../source/json-position.js';
import type { Finding, LintContext, LintFile, Linter } from './types.js';
import { detectKind } from './discover.js';
import { isRecord, parseYaml, positionOf } from './yaml-position.js';

// uids Grafana itself provides, and template variables resolved at view time.
const BUILTIN_UIDS = new Set(['grafana', '-- Grafana --', '-- Mixed --', '-- Dashboard --', '__expr__']);

/** Datasource uids (and names) provisioned by the provisioning files among `files`. */
export function provisionedDatasources(files: readonly LintFile[]): { uids: Set<string>; names: Set<string>; any: boolean } {
  const uids = new Set<string>();
  const names = new Set<string>();
  let any = false;
  for (const f of files) {
    if (detectKind(f) !== 'grafana-provisioning') continue;
    const y = parseYaml(f, 'SG4010');
    if (!isRecord(y.value) || !Array.isArray(y.value.datasources)) continue;
    any = true;
    for (const ds of y.value.datasources) {
      if (!isRecord(ds)) continue;
      if (typeof ds.uid === 'string') uids.add(ds.uid);
      if (typeof ds.name === 'string') names.add(ds.name);
    }
  }
  return { uids, names, any };
}

/** Offset of the n-th occurrence of `"key": value` in the JSON text, for a finding's position. */
function locate(text: string, needle: RegExp, nth: number): { line: number; column: number } {
  let i = 0;
  for (const m of text.matchAll(needle)) {
    if (i++ === nth) return lineColumnAt(text, m.index ?? 0);
  }
  return { line: 1, column: 1 };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function lintDashboard(file: LintFile, ctx: LintContext): Finding[] {
  let data: unknown;
  try {
    data = JSON.parse(file.content);
  } catch (err) {
    const pos = jsonErrorPosition(file.content, (err as Error).message);
    return [{ file: file.path, line: pos.line ?? 1, column: pos.column ?? 1, rule: 'SG4000', severity: 'error', message: `invalid JSON: ${(err as Error).message}`, tool: 'stackgen', fix: 'Fix the JSON syntax at this position (Grafana skips the dashboard).' }];
  }
  const out: Finding[] = [];
  const dash = isRecord(data) && isRecord(data.dashboard) ? data.dashboard : data;
  if (!isRecord(dash)) return [{ file: file.path, line: 1, column: 1, rule: 'SG4000', severity: 'error', message: 'a dashboard must be a JSON object', tool: 'stackgen' }];
  if (typeof dash.uid !== 'string' || dash.uid === '') {
    out.push({ file: file.path, line: 1, column: 1, rule: 'SG4003', severity: 'warning', message: 'the dashboard has no uid: its URL changes each time it is provisioned', tool: 'stackgen', fix: 'Add a stable "uid".' });
  }
  const panels: Record<string, unknown>[] = [];
  const collect = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (!isRecord(p)) continue;
      panels.push(p);
      collect(p.panels);
    }
  };
  collect(dash.panels);
  if (Array.isArray(dash.rows)) for (const r of dash.rows) if (isRecord(r)) collect(r.panels);

  const seenIds = new Map<number, number>();
  const idCount = new Map<number, number>();
  for (const p of panels) {
    if (typeof p.id !== 'number') continue;
    const n = idCount.get(p.id) ?? 0;
    idCount.set(p.id, n + 1);
    if (seenIds.has(p.id)) {
      out.push({ file: file.path, ...locate(file.content, new RegExp(`"id"\\s*:\\s*${p.id}\\b`, 'g'), n), rule: 'SG4001', severity: 'error', message: `panel id ${p.id} is used by more than one panel (${String(p.title ?? '')})`, tool: 'stackgen', fix: 'Give every panel, including those inside rows, a unique id.' });
    } else {
      seenIds.set(p.id, 1);
    }
  }

  const ds = provisionedDatasources(ctx.files);
  if (ds.any) {
    const seenUid = new Map<string, number>();
    const check = (ref: unknown, where: string) => {
      const uid = isRecord(ref) ? ref.uid : undefined;
      if (typeof uid !== 'string' || uid === '' || BUILTIN_UIDS.has(uid) || uid.includes('$') || ds.uids.has(uid)) return;
      const n = seenUid.get(uid) ?? 0;
      seenUid.set(uid, n + 1);
      out.push({ file: file.path, ...locate(file.content, new RegExp(`"uid"\\s*:\\s*"${escapeRe(uid)}"`, 'g'), n), rule: 'SG4002', severity: 'error', message: `${where} uses datasource uid \`${uid}\`, which no provisioning file defines (known: ${[...ds.uids].join(', ') || 'none'})`, tool: 'stackgen', fix: 'Use the uid of a provisioned datasource, or provision one with this uid.' });
    };
    for (const p of panels) {
      const title = `panel "${String(p.title ?? p.id ?? '?')}"`;
      check(p.datasource, title);
      if (Array.isArray(p.targets)) for (const t of p.targets) if (isRecord(t)) check(t.datasource, `a target of ${title}`);
    }
    const tmpl = isRecord(dash.templating) && Array.isArray(dash.templating.list) ? dash.templating.list : [];
    for (const v of tmpl) if (isRecord(v)) check(v.datasource, `variable ${String(v.name ?? '?')}`);
  }
  return out;
}

export function lintProvisioning(file: LintFile): Finding[] {
  const y = parseYaml(file, 'SG4010');
  if (y.errors.length) return y.errors;
  const out: Finding[] = [];
  const add = (at: (string | number)[], rule: string, message: string, fix: string, severity: Finding['severity'] = 'error') =>
    out.push({ file: file.path, ...positionOf(y, at), rule, severity, message, tool: 'stackgen', fix });
  const doc = y.value;
  if (!isRecord(doc)) {
    add([], 'SG4010', 'a provisioning file must be a mapping with apiVersion', 'Start with `apiVersion: 1`.');
    return out;
  }
  if (doc.apiVersion === undefined) add([], 'SG4010', 'the provisioning file has no apiVersion', 'Add `apiVersion: 1`.');
  if (Array.isArray(doc.datasources)) {
    const uids = new Map<string, number>();
    const names = new Map<string, number>();
    const defaults: number[] = [];
    doc.datasources.forEach((d, i) => {
      const at = ['datasources', i];
      if (!isRecord(d)) return;
      for (const key of ['name', 'type'] as const) {
        if (typeof d[key] !== 'string' || d[key] === '') add(at, 'SG4011', `datasources[${i}] has no ${key}`, `Give the datasource a ${key}.`);
      }
      if (typeof d.uid !== 'string' || d.uid === '') add(at, 'SG4012', `datasource ${String(d.name ?? i)} has no uid: dashboards cannot refer to it stably`, 'Add a fixed uid and use it in dashboards.', 'warning');
      else if (uids.has(d.uid)) add([...at, 'uid'], 'SG4013', `datasource uid \`${d.uid}\` is used twice`, 'Datasource uids must be unique.');
      else uids.set(d.uid, i);
      if (typeof d.name === 'string') {
        if (names.has(d.name)) add([...at, 'name'], 'SG4013', `datasource name \`${d.name}\` is used twice`, 'Datasource names must be unique.');
        names.set(d.name, i);
      }
      if (d.isDefault === true) defaults.push(i);
    });
    if (defaults.length > 1) add(['datasources', defaults[1]!, 'isDefault'], 'SG4013', 'more than one datasource is marked isDefault', 'Mark one datasource as default.');
  }
  if (Array.isArray(doc.providers)) {
    doc.providers.forEach((p, i) => {
      const at = ['providers', i];
      if (!isRecord(p)) return;
      if (typeof p.name !== 'string' || p.name === '') add(at, 'SG4014', `providers[${i}] has no name`, 'Give the dashboard provider a name.');
      if (!isRecord(p.options) || typeof p.options.path !== 'string') add(at, 'SG4014', `provider ${String(p.name ?? i)} has no options.path`, 'Set options.path to the folder holding the dashboards.');
    });
  }
  if (!Array.isArray(doc.datasources) && !Array.isArray(doc.providers) && !Array.isArray(doc.deleteDatasources)) {
    add([], 'SG4010', `${path.posix.basename(file.path)} provisions nothing (no datasources or providers list)`, 'Add `datasources:` or `providers:`.', 'warning');
  }
  return out;
}

export const grafanaLinters: Linter[] = [
  { kind: 'grafana-dashboard', lint: (file, ctx) => lintDashboard(file, ctx) },
  { kind: 'grafana-provisioning', lint: (file) => lintProvisioning(file) },
];
