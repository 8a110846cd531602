/**
 * `verify --target kubernetes` on the real engine: the dev overlay of node + postgres + redis, with a
 * worker beside the web service and a migration Job, is built, validated, and each pod runs in Docker
 * as its spec says: probes as written, the worker up for its settle time without a restart, the Job
 * run to exit 0. A broken probe path fails it, naming the workload and the probe; a Job that exits
 * non-zero fails it after backoffLimit retries, with its log tail; nothing is left behind either way.
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
import { addRedisWorker } from '../helpers/redis-worker.js';
import type { Spec } from '../../src/spec/types.generated.js';
import { DEFAULT_K8S } from './helpers.js';

const WEB = 'node-express-pg-redis';
// The migration Job: the web image, reaching Postgres through the DATABASE_URL its ConfigMap and Secret make.
const MIGRATE = `node -e "const u = new URL(process.env.DATABASE_URL); require('node:net').connect(Number(u.port), u.hostname).on('connect', () => { console.log('migrated'); process.exit(0); }).on('error', (e) => { console.error(e.message); process.exit(1); })"`;

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of the fixture (changed by `prepare` before detect), its spec edited, rendered with Kubernetes output. */
async function stack(fixture: string, prepare: (dir: string) => void = () => {}, edit: (spec: Spec) => void = () => {}): Promise<string> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-k8s-e2e-'));
  tmp.push(parent);
  const dir = path.join(parent, fixture);
  fs.cpSync(path.join(FIXTURES_DIR, fixture), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'stackgen.test.json'));
  prepare(dir);
  const spec = fixtureSpec(await detect(dir), fixture);
  spec.kubernetes = structuredClone(DEFAULT_K8S);
  spec.observability = { ...spec.observability, prometheus: false, grafana: false };
  edit(spec);
  fs.writeFileSync(path.join(dir, 'stackgen.yaml'), stringifySpec(spec));
  await generate(spec, { rootDir: dir });
  return dir;
}

/** Containers, networks and volumes of any verify run whose project starts with `prefix` (each run adds a random suffix). */
async function leftovers(prefix: string): Promise<number> {
  const docker = new Docker();
  const ours = (labels: Record<string, string> | undefined) => labels?.['stackgen.verify']?.startsWith(prefix) === true;
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: ['stackgen.verify'] } }),
    docker.listNetworks({ filters: { label: ['stackgen.verify'] } }),
    docker.listVolumes({ filters: { label: ['stackgen.verify'] } }),
  ]);
  return c.filter((x) => ours(x.Labels)).length + n.filter((x) => ours(x.Labels)).length + (v.Volumes ?? []).filter((x) => ours(x.Labels ?? undefined)).length;
}

describeDocker('verify --target kubernetes (real engine, not a cluster)', () => {
  it('node + postgres + redis with a worker and a migration Job: pods ready, the worker settled without a restart, the Job completed', async () => {
    const dir = await stack(WEB, addRedisWorker, (spec) => {
      expect(spec.services.worker?.role).toBe('worker');
      spec.services.worker!.dependsOn = ['redis'];
      spec.kubernetes!.jobs = { migrate: { service: WEB, command: MIGRATE, backoffLimit: 2 } };
    });
    const report = await verifyKubernetes(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, settle: '8s' });
    const text = formatKubernetesReport(report);
    console.info(text);
    expect(report.ok, text).toBe(true);
    expect(report.notACluster).toBe(true);
    expect(text.split('\n')[0]).toMatch(/^NOT A CLUSTER/);
    expect(report.pods.map((p) => `${p.kind}/${p.workload}:${p.role}:${p.status}`).sort()).toEqual([
      'Deployment/node-express-pg-redis:serving:ready',
      'Deployment/worker:worker:ready',
      'Job/migrate:job:completed',
      'StatefulSet/postgres:serving:ready',
      'StatefulSet/redis:serving:ready',
    ]);
    const app = report.pods.find((p) => p.workload === WEB)!;
    expect(app.securityApplied).toEqual({ user: '10001:10001', readOnlyRoot: true, tmpfs: ['/tmp'], capDrop: ['ALL'], noNewPrivileges: true });
    expect(app.probes.map((p) => [p.probe, p.handler, p.ok])).toEqual([
      ['startup', 'httpGet /health on port http', true],
      ['readiness', 'httpGet /health on port http', true],
    ]);
    // The worker: the same guarantees, no probe (no port, no healthcheck), up for the settle time and never restarted.
    const worker = report.pods.find((p) => p.workload === 'worker')!;
    expect(worker.securityApplied).toMatchObject({ readOnlyRoot: true, capDrop: ['ALL'], noNewPrivileges: true });
    expect(worker.securityApplied.user).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(worker.probes).toEqual([]);
    expect(worker.restarts).toBe(0);
    expect(worker.settledMs).toBeGreaterThanOrEqual(8_000);
    expect(text).toMatch(/✓ Deployment\/worker \(worker\) ready/);
    // The Job: the web image and its env, run once to exit 0, under the same security context.
    const job = report.pods.find((p) => p.workload === 'migrate')!;
    expect(job.securityApplied).toEqual(app.securityApplied);
    expect(job.job).toMatchObject({ backoffLimit: 2, attempts: [{ exitCode: 0 }] });
    const pg = report.pods.find((p) => p.workload === 'postgres')!;
    expect(pg.securityApplied.user).toBe('999:999');
    expect(pg.probes.every((p) => p.ok && p.handler.startsWith('exec'))).toBe(true);
    // No .env for the overlay: throwaway secrets, named.
    expect(report.generatedSecrets).toEqual(expect.arrayContaining(['postgres-secrets/POSTGRES_PASSWORD', 'redis-secrets/REDIS_PASSWORD']));
    expect(fs.existsSync(path.join(dir, 'kubernetes/overlays/dev/secrets/postgres.env'))).toBe(false);
    expect(report.guarantees.notProven.length).toBeGreaterThan(3);
    expect(await leftovers(`stackgen-k8s-${WEB}-`)).toBe(0);
  }, 600_000);

  it('a Job that exits non-zero fails the run after backoffLimit + 1 pods, with its exit codes and log tail, and leaves nothing behind', async () => {
    const dir = await stack('shell-job', (d) => fs.appendFileSync(path.join(d, 'rotate-logs.sh'), 'echo "rotation failed: disk full" >&2\nexit 3\n'));
    const report = await verifyKubernetes(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE });
    const text = formatKubernetesReport(report);
    expect(report.ok, text).toBe(false);
    const job = report.pods.find((p) => p.workload === 'shell-job')!;
    expect(job).toMatchObject({ kind: 'Job', role: 'job', status: 'failed' });
    // The rendered Job's backoffLimit is 1: a second pod after the 10 s backoff, then the Job has failed.
    expect(job.job!.backoffLimit).toBe(1);
    expect(job.job!.attempts.map((a) => a.exitCode)).toEqual([3, 3]);
    // The shell runtime is not known to run read-only, so its pod spec (and verify) leave the root writable.
    expect(job.securityApplied).toEqual({ user: '10001:10001', readOnlyRoot: false, tmpfs: [], capDrop: ['ALL'], noNewPrivileges: true });
    expect(job.logsTail!.join('\n')).toContain('rotation failed: disk full');
    expect(report.failure).toMatch(/shell-job \(the job exited with code 3: 2 pods failed, backoffLimit 1 reached\)/);
    expect(text).toContain('pods: #1 exit 3');
    expect(await leftovers('stackgen-k8s-shell-job-')).toBe(0);
  }, 600_000);

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
    expect(await leftovers(`stackgen-k8s-${WEB}-`)).toBe(0);
  });
});
