/**
 * `stackgen verify --target swarm` end to end on the real engine: node + postgres + redis (the
 * fixture) with a worker beside the web service, through the built CLI. The engine here has no IPVS,
 * so the spec turns the routing mesh off (swarm.routingMesh: false, the documented option) and runs
 * two web replicas: the web service updates stop-first one task at a time, the worker start-first,
 * and the health path must answer in every probe round of the rolling update.
 *
 * The worker is the dependency-free Redis counter of test/helpers/redis-worker.ts, added to the
 * test's copy of the fixture.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { parseDocument } from 'yaml';
import { formatRollout, swarmLeftovers, type SwarmVerifyReport } from '../../src/verify/swarm.js';
import { describeDocker, engineLock, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';
import { addRedisWorker } from '../helpers/redis-worker.js';

const WEB = 'node-express-pg-redis';
const CLI = path.join(REPO_ROOT, 'bin/stackgen.js');
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ status: number | undefined; stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000, reject: false });
  return { status: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function swarmState(): Promise<string> {
  return new Docker().info().then((i: { Swarm?: { LocalNodeState?: string } }) => i.Swarm?.LocalNodeState ?? 'inactive');
}

describeDocker('verify --target swarm on real Docker', () => {
  it('node + postgres + redis with a worker: converges healthy, passes the probes, rolls an update without a failed probe, and leaves nothing behind', async () => {
    // `swarm init` / `swarm leave --force` rewire the engine's networks: never under another test's running stack.
    onTestFinished(await engineLock());
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-swarm-e2e-'));
    tmpDirs.push(parent);
    const dir = path.join(parent, WEB);
    fs.cpSync(path.join(FIXTURES_DIR, 'node-express-pg-redis'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'stackgen.test.json'));
    addRedisWorker(dir);

    // detect finds the worker (a Node package with no port); it reaches Redis through REDIS_URL once it depends on it.
    const init = await cli(['init', dir, '--yes', '--targets', 'swarm', '--no-observability']);
    expect(init.status, init.stderr + init.stdout).toBe(0);
    const specFile = path.join(dir, 'stackgen.yaml');
    const doc = parseDocument(fs.readFileSync(specFile, 'utf8'));
    doc.setIn(['swarm', 'routingMesh'], false);
    doc.setIn(['services', WEB, 'replicas'], 2);
    // Swarm replaces a task whose healthcheck fails; on this shared 2-core machine starting node for
    // the probe can take longer than the default 3 s, so the timeout is the user's knob, raised here.
    doc.setIn(['services', WEB, 'healthcheck', 'timeout'], '10s');
    expect(doc.getIn(['services', 'worker', 'role'])).toBe('worker');
    doc.setIn(['services', 'worker', 'dependsOn'], ['redis']);
    doc.setIn(['verify', 'checks'], [{ service: WEB, path: '/orders', status: 200, bodyIncludes: 'count' }]);
    fs.writeFileSync(specFile, doc.toString());
    const rendered = await cli(['render', dir]);
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stderr).toMatch(/swarm: services\.node-express-pg-redis\.replicas: 2 replicas of node-express-pg-redis hold host port/);

    const before = await swarmState();
    const run = await cli(['verify', dir, '--target', 'swarm', '--json', '--image-map', OFFLINE_IMAGE_MAP, '--ca-bundle', HOST_CA_BUNDLE, '--timeout', '240s']);
    let report: SwarmVerifyReport;
    try {
      report = JSON.parse(run.stdout) as SwarmVerifyReport;
    } catch {
      throw new Error(`verify printed no JSON report (exit ${run.status}); stderr:\n${run.stderr.slice(-4000)}`);
    }
    expect(run.status, `${report.failure ?? ''}\n${run.stderr.slice(-3000)}`).toBe(0);
    expect(report).toMatchObject({ ok: true, target: 'swarm', routingMesh: false });
    expect(report.services.map((s) => s.name).sort()).toEqual([WEB, 'postgres', 'redis', 'worker']);
    for (const s of report.services) {
      expect(['healthy', 'running'], `${s.name} is ${s.health}`).toContain(s.health);
      for (const p of s.probes) expect(p.ok, `${p.name}: ${p.message ?? ''}`).toBe(true);
    }
    // Both web replicas answered their health path, each through its own port.
    expect(report.services.find((s) => s.name === WEB)!.probes.filter((p) => p.ok)).toHaveLength(2);
    expect(report.checks).toEqual([expect.objectContaining({ ok: true, status: 200 })]);
    // init wrote .env: the secrets were made from its values, none generated.
    expect(report.generatedEnv).toBeUndefined();

    const rollout = report.rollout!;
    console.info(formatRollout(report));
    expect(rollout.ok).toBe(true);
    const web = rollout.services.find((s) => s.name === WEB)!;
    const worker = rollout.services.find((s) => s.name === 'worker')!;
    expect(web).toMatchObject({ order: 'stop-first', converged: true, failedRounds: 0 });
    expect(web.rounds).toBeGreaterThan(10);
    expect(worker).toMatchObject({ order: 'start-first', converged: true });

    expect(await swarmState()).toBe(before);
    expect(report.createdSwarm).toBe(before !== 'active');
    expect(await swarmLeftovers(report.project)).toEqual({ services: 0, containers: 0, networks: 0, volumes: 0, configs: 0, secrets: 0 });
    const docker = new Docker();
    const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.stack.namespace=${report.project}`] } });
    expect(left).toEqual([]);
    const images = (await docker.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(`${report.project}-`));
    expect(images).toEqual([]);
  }, 600_000);
});
