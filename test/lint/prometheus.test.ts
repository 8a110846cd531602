import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/lint/index.js';
import { findOnPath } from '../../src/lint/dockerfile/index.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { lintMemory, rulesOf } from './helpers.js';

const cfg = (scrape: string, extra = '') => `global:\n  scrape_interval: 15s\n${extra}scrape_configs:\n${scrape}`;
const job = (name: string, target = 'api:8080') => `  - job_name: ${name}\n    static_configs:\n      - targets: ["${target}"]\n`;
const rules = (body: string) => `groups:\n  - name: app\n    rules:\n${body}`;
const alert = '      - alert: Down\n        expr: up == 0\n        for: 5m\n';

interface Case {
  rule: string;
  file: string;
  hit: string;
  miss: string;
  line?: number;
}

const CASES: Case[] = [
  { rule: 'SG3000', file: 'prometheus.yml', hit: 'global:\n  scrape_interval: [\n', miss: cfg(job('api')) },
  { rule: 'SG3001', file: 'prometheus.yml', hit: cfg('  - static_configs:\n      - targets: ["api:8080"]\n'), miss: cfg(job('api')), line: 4 },
  { rule: 'SG3002', file: 'prometheus.yml', hit: cfg(job('api') + job('api')), miss: cfg(job('api') + job('web')), line: 7 },
  { rule: 'SG3003', file: 'prometheus.yml', hit: cfg(job('api', 'http://api:8080/metrics')), miss: cfg(job('api', '[::1]:9090')), line: 6 },
  { rule: 'SG3004', file: 'prometheus.yml', hit: 'global:\n  scrape_interval: 15 seconds\n', miss: 'global:\n  scrape_interval: 1m30s\n', line: 2 },
  { rule: 'SG3005', file: 'prometheus.yml', hit: cfg(job('api'), '  scrape_timeout: 20s\n'), miss: cfg(job('api'), '  scrape_timeout: 10s\n'), line: 3 },
  { rule: 'SG3006', file: 'prometheus.yml', hit: `rule_files: [alerts.yml]\n${cfg(job('api'))}`, miss: `rule_files: [rules/*.yml]\n${cfg(job('api'))}`, line: 1 },
  { rule: 'SG3007', file: 'prometheus.yml', hit: cfg(`${job('api')}    metrics_path: metrics\n`), miss: cfg(`${job('api')}    metrics_path: /metrics\n`), line: 7 },
  { rule: 'SG3010', file: 'rules/app.yml', hit: 'groups:\n  - rules:\n      - record: x\n        expr: up\n', miss: rules(alert), line: 2 },
  { rule: 'SG3011', file: 'rules/app.yml', hit: rules('      - alert: Down\n        for: 5m\n'), miss: rules(alert), line: 4 },
];

describe('Prometheus built-in rules: a hit and a miss each', () => {
  it.each(CASES)('$rule', async (c) => {
    const hit = await lintMemory({ [c.file]: c.hit }, { builtinPrometheus: true });
    const found = hit.filter((f) => f.rule === c.rule);
    expect(found.length, JSON.stringify(hit)).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file: c.file, tool: 'stackgen', severity: 'error' });
    if (c.line) expect(found[0]!.line).toBe(c.line);
    const miss = await lintMemory({ [c.file]: c.miss }, { builtinPrometheus: true });
    expect(rulesOf(miss)).not.toContain(c.rule);
  });

  it('reports an invalid `for` duration in a rule file', async () => {
    const f = await lintMemory({ 'alerts.yml': rules('      - alert: Down\n        expr: up == 0\n        for: soon\n') }, { builtinPrometheus: true });
    expect(f).toEqual([expect.objectContaining({ rule: 'SG3004', line: 6 })]);
  });

  it('without external tools the built-in checks run even when promtool is installed', async () => {
    const f = await lintMemory({ 'prometheus.yml': 'global:\n  scrape_interval: 15x\n' }, { external: false });
    expect(f.map((x) => x.tool)).toEqual(['stackgen']);
  });
});

describe.skipIf(!findOnPath('promtool'))('promtool (on PATH)', () => {
  it('a valid config with its rule file passes', async () => {
    const f = await lintMemory({ 'mon/prometheus.yml': `rule_files: [rules/*.yml]\n${cfg(job('api'))}`, 'mon/rules/app.yml': rules(alert) }, { external: true });
    expect(f).toEqual([]);
  });

  it('maps a config error to the file and a rule file error to its line and column', async () => {
    const f = await lintMemory(
      {
        'mon/prometheus.yml': `rule_files: [rules/*.yml]\nglobal:\n  scrape_interval: 15x\nscrape_configs: []\n`,
        'mon/rules/app.yml': rules('      - alert: Down\n        expr: up ==\n'),
      },
      { external: true },
    );
    expect(f.every((x) => x.tool === 'promtool')).toBe(true);
    const config = f.find((x) => x.file === 'mon/prometheus.yml');
    expect(config?.message).toContain('15x');
    const rule = f.find((x) => x.file === 'mon/rules/app.yml');
    expect(rule).toMatchObject({ line: 5, severity: 'error' });
    expect(rule!.message).toContain('could not parse expression');
  });

  it('reports a config whose rule file is missing', async () => {
    const f = await lintMemory({ 'prometheus.yml': `rule_files: [missing.yml]\n${cfg(job('api'))}` }, { external: true });
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]).toMatchObject({ file: 'prometheus.yml', tool: 'promtool', severity: 'error' });
  });

  it('keeps line and column for files given by absolute path', async () => {
    const dir = tempRepo({ 'prometheus.yml': `rule_files: [rules/*.yml]\n${cfg(job('api'))}`, 'rules/app.yml': rules('      - alert: Down\n        expr: up ==\n') }, 'stackgen-promtool-abs-');
    const r = await lintPaths([dir], { external: true });
    expect(r.findings.map((f) => [f.file, f.line, f.tool])).toEqual([[`${dir}/rules/app.yml`, 5, 'promtool']]);
  });
});
