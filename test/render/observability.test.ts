import { execFileSync } from 'node:child_process';
import { run } from '../helpers/run.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { render } from '../../src/render/render.js';
import { withSpecDefaults } from '../../src/spec/load.js';
import { DATASOURCE_UID } from '../../src/render/artifacts/observability.js';
import { tempRepo } from '../helpers/temp-repo.js';

const OBS = [
  'observability/prometheus/prometheus.yml',
  'observability/prometheus/alerts.yml',
  'observability/grafana/provisioning/datasources/prometheus.yml',
  'observability/grafana/provisioning/dashboards/stackgen.yml',
  'observability/grafana/dashboards/stack.json',
];

const root = tempRepo({ 'package.json': '{"name":"web"}\n', 'billing/pom.xml': '<project/>\n' }, 'stackgen-obs-');

const spec = () =>
  withSpecDefaults({
    version: 1,
    name: 'shop',
    services: {
      web: { path: '.', language: 'node', port: 3000, publish: 3000, healthcheck: { path: '/health' }, metrics: { path: '/metrics' } },
      billing: { path: 'billing', language: 'java', port: 8080, healthcheck: { path: '/actuator/health' }, metrics: { path: '/actuator/prometheus', port: 9464 } },
    },
    observability: { prometheus: true, grafana: true },
  });

async function files(): Promise<Record<string, string>> {
  const tree = await render(spec(), { rootDir: root });
  return Object.fromEntries(OBS.map((p) => [p, tree.read(p) ?? '']));
}

describe('observability render', () => {
  it('emits every file, all parse, and rendering twice is byte-identical', async () => {
    const a = await files();
    const b = await files();
    expect(a).toEqual(b);
    for (const p of OBS) {
      expect(a[p], p).not.toBe('');
      if (p.endsWith('.json')) JSON.parse(a[p]!);
      else parseYaml(a[p]!);
    }
    for (const p of OBS) await expect(a[p]).toMatchFileSnapshot(`golden/observability/shop/${p}`);
  });

  it('scrapes each service with metrics on its metrics port and path, plus Prometheus, and loads the rules', async () => {
    const cfg = parseYaml((await files())['observability/prometheus/prometheus.yml']!);
    const jobs = Object.fromEntries(cfg.scrape_configs.map((j: { job_name: string }) => [j.job_name, j]));
    expect(jobs.billing.metrics_path).toBe('/actuator/prometheus');
    expect(jobs.billing.static_configs[0].targets).toEqual(['billing:9464']);
    expect(jobs.web.static_configs[0].targets).toEqual(['web:3000']);
    expect(jobs.prometheus).toBeDefined();
    expect(cfg.rule_files).toContain('alerts.yml');
  });

  it('dashboard panel ids are unique and every datasource is the provisioned uid', async () => {
    const f = await files();
    const ds = parseYaml(f['observability/grafana/provisioning/datasources/prometheus.yml']!);
    expect(ds.datasources[0].uid).toBe(DATASOURCE_UID);
    const dash = JSON.parse(f['observability/grafana/dashboards/stack.json']!);
    const ids = dash.panels.map((p: { id: number }) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const uids = new Set<string>();
    for (const p of dash.panels) {
      uids.add(p.datasource.uid);
      for (const t of p.targets) uids.add(t.datasource.uid);
    }
    expect([...uids]).toEqual([DATASOURCE_UID]);
    // Java's Micrometer names, not prom-client's, for the Spring service.
    expect(JSON.stringify(dash)).toContain('http_server_requests_seconds_bucket{job=\\"billing\\"}');
  });

  const promtool = (() => {
    try {
      return execFileSync('which', ['promtool'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  if (!promtool) console.warn('SKIPPING promtool checks: promtool is not on PATH (apt-get install prometheus)');
  it.skipIf(!promtool)('promtool accepts the config and the rules', async () => {
    const f = await files();
    const dir = tempRepo({ 'prometheus.yml': f['observability/prometheus/prometheus.yml']!, 'alerts.yml': f['observability/prometheus/alerts.yml']! }, 'stackgen-promtool-');
    for (const args of [['check', 'config', path.join(dir, 'prometheus.yml')], ['check', 'rules', path.join(dir, 'alerts.yml')]]) {
      const r = await run(promtool, args);
      expect(r.code, `promtool ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });
});
