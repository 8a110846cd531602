/**
 * `verify --target kubernetes` on the real engine: the dev overlay of node + postgres + redis is
 * built, validated, and each pod runs in Docker as its spec says, probes as written. A broken probe
 * path fails it, naming the workload and the probe; nothing is left behind either way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { generate } from '../../src/generate.js';
import { stringifySpec } from '../../src/spec/stringify.js';
import { formatKubernetesReport, verifyKubernetes } from '../../src/verify/kubernetes.js';
import { describeDocker, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { DEFAULT_K8S } from './helpers.js';

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

async function stack(fixture: string): Promise<string> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-k8s-e2e-'));
  tmp.push(parent);
  const dir = path.join(parent, fixture);
  fs.cpSync(path.join(FIXTURES_DIR, fixture), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'stackgen.test.json'));
  const spec = fixtureSpec(await detect(dir), fixture);
  spec.kubernetes = structuredClone(DEFAULT_K8S);
  spec.observability = { ...spec.observability, prometheus: false, grafana: false };
  fs.writeFileSync(path.join(dir, 'stackgen.yaml'), stringifySpec(spec));
  await generate(spec, { rootDir: dir });
  return dir;
}

async function leftovers(project: string): Promise<number> {
  const docker = new Docker();
  const label = `stackgen.verify=${project}`;
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [label] } }),
    docker.listNetworks({ filters: { label: [label] } }),
    docker.listVolumes({ filters: { label: [label] } }),
  ]);
  return c.length + n.length + (v.Volumes?.length ?? 0);
}

describeDocker('verify --target kubernetes (real engine, not a cluster)', () => {
  it('node + postgres + redis: every pod ready with its probes passing, as its pod spec runs it', async () => {
    const dir = await stack('node-express-pg-redis');
    let project = '';
    const report = await verifyKubernetes(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, onProgress: (m) => { if (m.startsWith('start ')) project ||= m; } });
    const text = formatKubernetesReport(report);
    expect(report.ok, text).toBe(true);
    expect(report.notACluster).toBe(true);
    expect(text.split('\n')[0]).toMatch(/^NOT A CLUSTER/);
    expect(report.pods.map((p) => `${p.kind}/${p.workload}:${p.status}`).sort()).toEqual(['Deployment/node-express-pg-redis:ready', 'StatefulSet/postgres:ready', 'StatefulSet/redis:ready']);
    const app = report.pods.find((p) => p.workload === 'node-express-pg-redis')!;
    expect(app.securityApplied).toEqual({ user: '10001:10001', readOnlyRoot: true, tmpfs: ['/tmp'], capDrop: ['ALL'], noNewPrivileges: true });
    expect(app.probes.map((p) => [p.probe, p.handler, p.ok])).toEqual([
      ['startup', 'httpGet /health on port http', true],
      ['readiness', 'httpGet /health on port http', true],
    ]);
    const pg = report.pods.find((p) => p.workload === 'postgres')!;
    expect(pg.securityApplied.user).toBe('999:999');
    expect(pg.probes.every((p) => p.ok && p.handler.startsWith('exec'))).toBe(true);
    // No .env for the overlay: throwaway secrets, named.
    expect(report.generatedSecrets).toEqual(expect.arrayContaining(['postgres-secrets/POSTGRES_PASSWORD', 'redis-secrets/REDIS_PASSWORD']));
    expect(fs.existsSync(path.join(dir, 'kubernetes/overlays/dev/secrets/postgres.env'))).toBe(false);
    expect(report.guarantees.notProven.length).toBeGreaterThan(3);
    void project;
    expect(await new Docker().listContainers({ all: true, filters: { label: ['stackgen.verify'] } }).then((l) => l.filter((c) => c.Labels['stackgen.verify']!.includes('node-express-pg-redis')).length)).toBe(0);
  });

  it('a probe path the app does not serve fails the run, naming the workload and the probe, and leaves nothing behind', async () => {
    const dir = await stack('node-express-pg-redis');
    const file = path.join(dir, 'kubernetes/base/node-express-pg-redis.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('path: /health', 'path: /no-such-path').replace(/failureThreshold: 6/, 'failureThreshold: 2'));
    const report = await verifyKubernetes(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE });
    expect(report.ok).toBe(false);
    expect(report.failure).toMatch(/node-express-pg-redis \(.*HTTP 404/);
    const app = report.pods.find((p) => p.workload === 'node-express-pg-redis')!;
    expect(app.status).toBe('failed');
    expect(app.probes[0]).toMatchObject({ probe: 'startup', ok: false, attempts: 2 });
    expect(await leftovers(`stackgen-k8s-node-express-pg-redis`)).toBe(0);
  });
});
