import { describe, expect, it } from 'vitest';
import { lintMemory, rulesOf } from './helpers.js';

const DS = 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    uid: prom\n    url: http://prometheus:9090\n    isDefault: true\n';
const dash = (panels: unknown[], extra: object = {}) => JSON.stringify({ uid: 'app', title: 'App', panels, ...extra }, null, 2);
const panel = (id: number, uid = 'prom') => ({ id, type: 'timeseries', title: `p${id}`, datasource: { type: 'prometheus', uid }, targets: [{ expr: 'up', datasource: { type: 'prometheus', uid } }] });
const PROV = 'grafana/provisioning/datasources/prometheus.yml';
const DASH = 'grafana/dashboards/app.json';

interface Case {
  rule: string;
  files: [Record<string, string>, Record<string, string>];
  file: string;
  line?: number;
}

const CASES: Case[] = [
  { rule: 'SG4000', file: DASH, files: [{ [DASH]: '{\n  "panels": [\n    {"id": 1,}\n  ]\n}\n' }, { [DASH]: dash([panel(1)]) }], line: 3 },
  { rule: 'SG4001', file: DASH, files: [{ [DASH]: dash([panel(1), { type: 'row', id: 2, panels: [panel(1)] }]) }, { [DASH]: dash([panel(1), { type: 'row', id: 2, panels: [panel(3)] }]) }] },
  { rule: 'SG4002', file: DASH, files: [{ [PROV]: DS, [DASH]: dash([panel(1, 'loki')]) }, { [PROV]: DS, [DASH]: dash([panel(1), panel(2, '${datasource}')]) }] },
  { rule: 'SG4003', file: DASH, files: [{ [DASH]: JSON.stringify({ title: 'x', panels: [] }) }, { [DASH]: dash([]) }] },
  { rule: 'SG4010', file: PROV, files: [{ [PROV]: 'datasources:\n  - name: P\n    type: prometheus\n    uid: p\n' }, { [PROV]: DS }] },
  { rule: 'SG4011', file: PROV, files: [{ [PROV]: 'apiVersion: 1\ndatasources:\n  - name: P\n    uid: p\n' }, { [PROV]: DS }], line: 3 },
  { rule: 'SG4012', file: PROV, files: [{ [PROV]: 'apiVersion: 1\ndatasources:\n  - name: P\n    type: prometheus\n' }, { [PROV]: DS }], line: 3 },
  { rule: 'SG4013', file: PROV, files: [{ [PROV]: `${DS}  - name: Other\n    type: prometheus\n    uid: prom\n` }, { [PROV]: `${DS}  - name: Other\n    type: loki\n    uid: loki\n` }], line: 10 },
  {
    rule: 'SG4014',
    file: 'grafana/provisioning/dashboards/default.yml',
    files: [
      { 'grafana/provisioning/dashboards/default.yml': 'apiVersion: 1\nproviders:\n  - name: default\n    type: file\n' },
      { 'grafana/provisioning/dashboards/default.yml': 'apiVersion: 1\nproviders:\n  - name: default\n    type: file\n    options:\n      path: /var/lib/grafana/dashboards\n' },
    ],
    line: 3,
  },
];

describe('Grafana rules: a hit and a miss each', () => {
  it.each(CASES)('$rule', async (c) => {
    const hit = await lintMemory(c.files[0]);
    const found = hit.filter((f) => f.rule === c.rule);
    expect(found.length, JSON.stringify(hit)).toBeGreaterThan(0);
    expect(found[0]!.file).toBe(c.file);
    if (c.line) expect(found[0]!.line).toBe(c.line);
    expect(rulesOf(await lintMemory(c.files[1]))).not.toContain(c.rule);
  });

  it('points a duplicate panel id at its second occurrence and an unknown uid at the reference', async () => {
    const text = dash([panel(1), panel(1, 'nope')]);
    const f = await lintMemory({ [PROV]: DS, [DASH]: text });
    const lines = text.split('\n');
    const dup = f.find((x) => x.rule === 'SG4001')!;
    expect(lines[dup.line - 1]).toMatch(/"id": 1/);
    expect(dup.line).toBeGreaterThan(lines.findIndex((l) => l.includes('"id": 1')) + 1);
    const uid = f.find((x) => x.rule === 'SG4002')!;
    expect(lines[uid.line - 1]).toContain('"uid": "nope"');
  });

  it('does not check datasource uids when no provisioning file is in the set', async () => {
    expect(rulesOf(await lintMemory({ [DASH]: dash([panel(1, 'anything')]) }))).toEqual([]);
  });
});
