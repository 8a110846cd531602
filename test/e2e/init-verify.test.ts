/**
 * End to end on the real engine: copy a fixture, `stackgen init --yes`, add the fixture's probes to
 * the spec's verify checks (as a user would), `stackgen verify` with the offline image map and this
 * machine's CA bundle, and check the report — then that nothing of the project is left behind.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import type { VerifyReport } from '../../src/verify/verify.js';
import { leftovers } from '../../src/verify/verify.js';
import { formatReport, toJUnit } from '../../src/verify/report.js';
import { describeDocker, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP, withEngineLock } from '../helpers/docker.js';
import { FIXTURES_DIR, loadFixtureExpectations, REPO_ROOT } from '../helpers/fixtures.js';

const CLI = path.join(REPO_ROOT, 'bin/stackgen.js');
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function copyFixture(name: string): string {
  // The folder keeps the fixture's name: service and project names derive from it.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-e2e-'));
  tmpDirs.push(parent);
  const dir = path.join(parent, name);
  fs.cpSync(path.join(FIXTURES_DIR, name), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'stackgen.test.json'));
  return dir;
}

/** Async, never spawnSync: a worker blocked for minutes misses vitest's RPC heartbeats. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | undefined; stdout: string; stderr: string }> {
  const r = await execa(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 600_000, reject: false });
  return { status: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function addChecks(dir: string, checks: Array<{ service: string; path: string; status?: number; bodyIncludes?: string }>): void {
  const file = path.join(dir, 'stackgen.yaml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  doc.setIn(['verify', 'checks'], checks);
  fs.writeFileSync(file, doc.toString());
}

const verifyFlags = ['--image-map', OFFLINE_IMAGE_MAP, '--ca-bundle', HOST_CA_BUNDLE];

/** The --json report; when there is none (verify threw or crashed), a failure that shows why. */
function reportOf(run: { status: number | undefined; stdout: string; stderr: string }): VerifyReport {
  try {
    return JSON.parse(run.stdout) as VerifyReport;
  } catch {
    throw new Error(`verify printed no JSON report (exit ${run.status}); stderr:\n${run.stderr.slice(-4000)}\nstdout:\n${run.stdout.slice(-1000)}`);
  }
}

describeDocker('init → verify on real Docker', () => {
  for (const fx of loadFixtureExpectations().filter((f) => f.expected.e2e)) {
    it(`${fx.name}: builds, turns healthy, passes its probes, and leaves nothing behind`, async () => {
      const e2e = fx.expected.e2e!;
      const dir = copyFixture(fx.name);
      const init = await cli(['init', dir, '--yes', ...(e2e.initArgs ?? [])]);
      expect(init.status, init.stderr + init.stdout).toBe(0);
      addChecks(dir, e2e.probes ?? []);

      // Not while swarm-verify creates or leaves a swarm: that rewires the engine's networks under a running stack.
      const run = await withEngineLock(() => cli(['verify', dir, '--json', ...verifyFlags, ...(e2e.verifyArgs ?? [])]));
      const report = reportOf(run);
      // A failure quotes what each failing service last said: its healthcheck's output and its logs.
      const said = report.services
        .filter((s) => !['healthy', 'running', 'completed', 'skipped'].includes(s.health))
        .map((s) => `--- ${s.name} (${s.health}) ${s.healthOutput ?? ''}\n${(s.logsTail ?? []).slice(-20).join('\n')}`)
        .join('\n');
      expect(run.status, `${report.failure ?? ''}\n${said}\n${run.stderr.slice(-3000)}`).toBe(0);
      expect(report.ok).toBe(true);
      const apps = report.services.filter((s) => s.kind === 'app');
      expect(apps.map((s) => s.name).sort()).toEqual(fx.expected.detect.services.map((s) => s.name).sort());
      for (const s of report.services) {
        if (s.health === 'skipped') continue;
        expect(['healthy', 'running', 'completed'], `${s.name} is ${s.health}`).toContain(s.health);
        expect(s.healthyAfterMs).toBeGreaterThan(0);
        for (const p of s.probes) expect(p.ok, `${p.name}: ${p.message ?? ''}`).toBe(true);
      }
      for (const s of apps) {
        expect(s.build!.sizeBytes).toBeGreaterThan(0);
        expect(s.build!.layers).toBeGreaterThan(0);
        // A job passes by exiting 0; web services and workers (after their settle time) are healthy.
        const role = fx.expected.detect.services.find((d) => d.name === s.name)?.role;
        expect(s.health, s.name).toBe(role === 'job' ? 'completed' : 'healthy');
      }
      expect(report.checks.map((c) => c.ok)).toEqual((e2e.probes ?? []).map(() => true));
      if (fx.name === 'node-express-pg-redis') {
        expect(report.services.find((s) => s.name === 'prometheus')!.probes.some((p) => p.name.startsWith('prometheus targets up') && p.ok)).toBe(true);
        expect(report.skipped.map((s) => s.name)).toEqual(['grafana']);
      }
      expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    }, 600_000);
  }

  it('an app whose healthcheck never passes: exit 1, the healthcheck output and log tail, nothing left behind', async () => {
    const dir = copyFixture('e2e-unhealthy');
    expect((await cli(['init', dir, '--yes', '--no-observability'])).status).toBe(0);
    const run = await cli(['verify', dir, '--json', '--timeout', '60s', ...verifyFlags]);
    expect(run.status).toBe(1);
    const report = reportOf(run);
    expect(report.ok).toBe(false);
    const app = report.services.find((s) => s.kind === 'app')!;
    expect(app.health).toBe('unhealthy');
    expect(app.healthOutput).toBeTruthy();
    expect(app.logsTail!.join('\n')).toContain('health check failing on purpose');
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    // The human report and the JUnit file show the same evidence.
    const human = formatReport(report);
    expect(human).toMatch(/last healthcheck/);
    expect(human).toMatch(/last \d+ log lines/);
    expect(human).toMatch(/FAILED: not healthy within 60s: e2e-unhealthy \(its healthcheck failed: exit \d+/);
    const junit = toJUnit(report);
    expect(junit).toMatch(/<testcase [^>]*name="e2e-unhealthy healthy"[^>]*><failure message="e2e-unhealthy is unhealthy">/);
  }, 600_000);

  it('a job that exits non-zero and a worker that crashes fail verify with the exit code, the restarts and the log tail', async () => {
    const job = copyFixture('python-job');
    fs.writeFileSync(path.join(job, 'rollup.py'), 'import sys\n\nif __name__ == "__main__":\n    print("rollup failed: no orders table")\n    sys.exit(3)\n');
    expect((await cli(['init', job, '--yes', '--no-observability'])).status).toBe(0);
    const jr = reportOf(await cli(['verify', job, '--json', '--timeout', '90s', ...verifyFlags]));
    expect(jr.ok).toBe(false);
    const js = jr.services.find((s) => s.kind === 'app')!;
    expect(js).toMatchObject({ role: 'job', health: 'exited', exitCode: 3 });
    expect(js.logsTail!.join('\n')).toContain('rollup failed: no orders table');
    expect(jr.failure).toContain('python-job (the job exited with code 3)');
    expect(await leftovers(jr.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });

    const worker = copyFixture('node-worker');
    fs.writeFileSync(path.join(worker, 'index.js'), "'use strict';\nconst t = setInterval(() => {}, 1000);\nsetTimeout(() => { console.log('worker lost its connection'); process.exit(1); }, 1500);\n");
    expect((await cli(['init', worker, '--yes', '--no-observability'])).status).toBe(0);
    const wr = reportOf(await cli(['verify', worker, '--json', '--timeout', '90s', ...verifyFlags]));
    expect(wr.ok).toBe(false);
    const ws = wr.services.find((s) => s.kind === 'app')!;
    expect(ws.role).toBe('worker');
    expect(ws.health).toBe('exited');
    expect(wr.failure).toMatch(/node-worker \((the worker stopped and was restarted \d+ times?|exited with code 1)\)/);
    expect(ws.logsTail!.join('\n')).toContain('worker lost its connection');
    expect(await leftovers(wr.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('a fresh checkout without .env (as in CI): throwaway secrets for the run, databases start, the checkout stays untouched', async () => {
    const dir = copyFixture('node-express-pg-redis');
    expect((await cli(['init', dir, '--yes', '--no-observability'])).status).toBe(0);
    fs.rmSync(path.join(dir, '.env'));
    const run = await cli(['verify', dir, '--json', ...verifyFlags]);
    const report = reportOf(run);
    expect(run.status, `${report.failure ?? ''}\n${run.stderr.slice(-3000)}`).toBe(0);
    expect(report.generatedEnv).toEqual(['POSTGRES_PASSWORD', 'REDIS_PASSWORD']);
    expect(report.services.filter((s) => s.kind === 'backing').map((s) => [s.name, s.health])).toEqual([['postgres', 'healthy'], ['redis', 'healthy']]);
    expect(fs.existsSync(path.join(dir, '.env'))).toBe(false);
    expect(formatReport(report)).toContain('no .env in the checkout: throwaway values generated for this run (POSTGRES_PASSWORD, REDIS_PASSWORD)');
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('the running stack is hardened: all capabilities dropped, CPU/memory/process limits, no password in a backing service\'s environment, command or argv', async () => {
    const dir = copyFixture('node-express-pg-redis');
    expect((await cli(['init', dir, '--yes'])).status).toBe(0);
    const run = await cli(['verify', dir, '--json', '--keep', ...verifyFlags, '--skip-service', 'grafana']);
    const report = reportOf(run);
    const docker = new Docker();
    try {
      // A failure quotes what each failing service last said: its healthcheck's output and its logs.
      const said = report.services
        .filter((s) => !['healthy', 'running', 'completed', 'skipped'].includes(s.health))
        .map((s) => `--- ${s.name} (${s.health}) ${s.healthOutput ?? ''}\n${(s.logsTail ?? []).slice(-20).join('\n')}`)
        .join('\n');
      expect(run.status, `${report.failure ?? ''}\n${said}\n${run.stderr.slice(-3000)}`).toBe(0);
      const env = Object.fromEntries(fs.readFileSync(path.join(dir, '.env'), 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      const passwords = [env.POSTGRES_PASSWORD!, env.REDIS_PASSWORD!];
      for (const p of passwords) expect(p.length).toBeGreaterThanOrEqual(20);
      const containers = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${report.project}`] } });
      const byService = new Map(containers.map((c) => [c.Labels['com.docker.compose.service']!, c.Id]));
      expect([...byService.keys()].sort()).toEqual(['node-express-pg-redis', 'postgres', 'prometheus', 'redis']);
      for (const [service, id] of byService) {
        const info = await docker.getContainer(id).inspect();
        const host = info.HostConfig;
        expect(host.CapDrop, service).toEqual(['ALL']);
        expect(host.SecurityOpt, service).toContain('no-new-privileges:true');
        expect(host.Memory, service).toBeGreaterThan(0);
        expect(host.NanoCpus, service).toBeGreaterThan(0);
        expect(host.PidsLimit, service).toBeGreaterThan(0);
        if (service === 'postgres' || service === 'redis') {
          // What `docker inspect` shows to anyone with access to the engine, and the server's own argv.
          const shown = JSON.stringify([info.Config.Env, info.Config.Cmd, info.Config.Entrypoint, info.Config.Healthcheck, info.Args, info.Path]);
          const argv = (await execa('docker', ['exec', id, 'cat', '/proc/1/cmdline'])).stdout.replace(/\0/g, ' ');
          for (const p of passwords) {
            expect(shown, `${service}: docker inspect`).not.toContain(p);
            expect(argv, `${service}: argv of PID 1`).not.toContain(p);
          }
          expect(info.Config.Env.some((e) => e.includes('/run/secrets/')) || JSON.stringify(info.Config.Cmd).includes('/run/secrets/'), service).toBe(true);
          expect(host.CapAdd, service).toEqual(service === 'postgres' ? ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'] : ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID']);
          // The server really runs as its own user, not root, after the entrypoint dropped privileges.
          expect((await execa('docker', ['exec', id, 'sh', '-c', 'stat -c %u /proc/1'])).stdout.trim(), service).toBe('999');
        }
      }
    } finally {
      if (report.stopCommand) await execa(report.stopCommand, { shell: true, reject: false, timeout: 120_000 });
      for (const img of await docker.listImages({ filters: { reference: [`${report.project}-*`] } })) await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
    }
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('a remote engine (DOCKER_HOST=tcp://…, like GitLab\'s dind service): ports are published there and probed at its host', async () => {
    const dir = copyFixture('python-stdlib-api');
    expect((await cli(['init', dir, '--yes', '--no-observability'])).status).toBe(0);
    // A plain byte pipe from a TCP port to the local engine's socket, on a loopback address that is
    // not 127.0.0.1, so verify must take the remote path (bind all interfaces, probe the engine's host).
    const socket = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : '/var/run/docker.sock';
    const server = net.createServer((client) => {
      const engine = net.connect(socket);
      client.pipe(engine).pipe(client);
      client.on('error', () => engine.destroy());
      engine.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.1.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const run = await cli(['verify', dir, '--json', ...verifyFlags], { DOCKER_HOST: `tcp://127.0.1.1:${port}` });
      const report = reportOf(run);
      // A failure quotes what each failing service last said: its healthcheck's output and its logs.
      const said = report.services
        .filter((s) => !['healthy', 'running', 'completed', 'skipped'].includes(s.health))
        .map((s) => `--- ${s.name} (${s.health}) ${s.healthOutput ?? ''}\n${(s.logsTail ?? []).slice(-20).join('\n')}`)
        .join('\n');
      expect(run.status, `${report.failure ?? ''}\n${said}\n${run.stderr.slice(-3000)}`).toBe(0);
      expect(report.probeHost).toBe('127.0.1.1');
      const probes = report.services.flatMap((s) => s.probes).concat(report.checks);
      expect(probes.length).toBeGreaterThan(0);
      for (const p of probes) expect(p.url).toMatch(/^http:\/\/127\.0\.1\.1:\d+\//);
      expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    } finally {
      server.close();
    }
  }, 600_000);

  it('Ctrl-C during verify exits 130 and removes everything of the project', async () => {
    const dir = copyFixture('python-stdlib-api');
    expect((await cli(['init', dir, '--yes', '--no-observability'])).status).toBe(0);
    const docker = new Docker();
    const child = spawn(process.execPath, [CLI, 'verify', dir, ...verifyFlags], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the stack's first container exists.
    let project: string | undefined;
    for (let i = 0; i < 600 && !project; i++) {
      const cs = await docker.listContainers({ all: true, filters: { label: ['com.docker.compose.project'] } });
      project = cs.map((c) => c.Labels['com.docker.compose.project']).find((p) => p?.startsWith('stackgen-verify-python-stdlib-api-'));
      if (!project) await new Promise((r) => setTimeout(r, 250));
    }
    expect(project, stderr).toBeDefined();
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 90_000))]);
    expect(code, stderr).toBe(130);
    expect(await leftovers(project!)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);
});

it('verify exits 75 with how to start Docker when no engine answers', async () => {
  const dir = copyFixture('python-stdlib-api');
  expect((await cli(['init', dir, '--yes', '--no-observability'])).status).toBe(0);
  const run = await cli(['verify', dir], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  expect(run.status).toBe(75);
  expect(run.stderr).toMatch(/Docker is not reachable/);
  expect(run.stderr).toMatch(/ensure-docker|dockerd|systemctl/);
}, 120_000);
