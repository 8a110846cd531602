import { describe, expect, it } from 'vitest';
import { render } from '../../src/render/render.js';
import { withSpecDefaults } from '../../src/spec/load.js';
import { tempRepo } from '../helpers/temp-repo.js';

const root = tempRepo({ 'package.json': '{"name":"web"}\n', 'billing/pom.xml': '<project/>\n' }, 'stackgen-docs-');

const spec = (observability = { prometheus: true, grafana: true }) =>
  withSpecDefaults({
    version: 1,
    name: 'shop',
    services: {
      web: { path: '.', language: 'node', port: 3000, publish: 3000, healthcheck: { path: '/health' }, metrics: { path: '/metrics' }, commands: { test: 'npm test' }, dependsOn: ['postgres'] },
      billing: { path: 'billing', language: 'java', port: 8080, healthcheck: { path: '/actuator/health' }, metrics: { path: '/actuator/prometheus', port: 9464 } },
    },
    backingServices: { postgres: { kind: 'postgres' } },
    observability,
  });

describe('README.Docker.md', () => {
  it('matches the golden, is deterministic, and documents run, ports, secrets and metrics for the languages present', async () => {
    const a = (await render(spec(), { rootDir: root })).read('README.Docker.md')!;
    const b = (await render(spec(), { rootDir: root })).read('README.Docker.md')!;
    expect(a).toBe(b);
    await expect(a).toMatchFileSnapshot('golden/docs/shop/README.Docker.md');
    expect(a).toContain('docker compose up -d --wait');
    expect(a).toContain('--profile observability');
    expect(a).toMatch(/\| web \| node \| 3000 \| 127\.0\.0\.1:3000 \|/);
    expect(a).toMatch(/\| postgres \| postgres \| internal \|/);
    expect(a).toContain('0600');
    expect(a).toContain('prom-client');
    expect(a).toContain('micrometer-registry-prometheus');
    expect(a).not.toContain('prometheus_client');
    expect(a).not.toContain('undefined');
  });

  it('does not mention the observability profile when Prometheus is off', async () => {
    const a = (await render(spec({ prometheus: false, grafana: false }), { rootDir: root })).read('README.Docker.md')!;
    expect(a).not.toContain('--profile observability');
    expect(a).not.toContain('| prometheus |');
  });
});
