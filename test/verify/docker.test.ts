/** verify against the real engine: a one-service stack turns healthy and leaves nothing behind. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { leftovers, verify } from '../../src/verify/verify.js';
import { describeDocker, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { run } from '../helpers/run.js';

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

/** python-stdlib-api copied under its own name and rendered by `stackgen init`. */
async function renderedFixture(): Promise<string> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-verify-'));
  tmp.push(parent);
  const dir = path.join(parent, 'python-stdlib-api');
  fs.cpSync(path.join(FIXTURES_DIR, 'python-stdlib-api'), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'stackgen.test.json'), { force: true });
  const init = await runCli(['init', dir, '--yes', '--no-observability'], { env: { ...process.env, NO_COLOR: '1' } });
  if (init.code !== 0) throw new Error(init.stderr + init.stdout);
  return dir;
}

async function dockerfileOf(dir: string): Promise<string> {
  const found = (await run('find', [dir, '-name', 'Dockerfile*', '-not', '-path', '*/node_modules/*'])).stdout.trim().split('\n').filter(Boolean);
  if (!found[0]) throw new Error(`no Dockerfile rendered under ${dir}`);
  return found[0];
}

describeDocker('verify on the real engine', () => {
  it('builds the one-service stack, waits healthy, probes it, and tears everything down', async () => {
    const dir = await renderedFixture();
    const report = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, timeout: '120s' });
    expect(report.ok, report.failure).toBe(true);
    const app = report.services.find((s) => s.kind === 'app')!;
    expect(app.health).toBe('healthy');
    expect(app.healthyAfterMs).toBeGreaterThan(0);
    expect(app.build!.sizeBytes).toBeGreaterThan(0);
    expect(app.build!.layers).toBeGreaterThan(0);
    expect(app.build!.totalSteps).toBeGreaterThan(0);
    expect(app.probes.length).toBeGreaterThan(0);
    for (const p of app.probes) expect(p.ok, p.message).toBe(true);
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('a failing build names the failing step and shows its log, then cleans up', async () => {
    const dir = await renderedFixture();
    const file = await dockerfileOf(dir);
    fs.appendFileSync(file, '\nRUN echo "deliberate failure marker" && exit 3\n');
    const report = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, timeout: '60s' });
    expect(report.ok).toBe(false);
    expect(report.failure ?? '').toMatch(/deliberate failure marker|exit 3|exit code: 3/);
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('refuses a build secret the repository points at a file outside the project, before building', async () => {
    const dir = await renderedFixture();
    const composeFile = path.join(dir, 'compose.yaml');
    const compose = parseYaml(fs.readFileSync(composeFile, 'utf8')) as { services: Record<string, { build?: Record<string, unknown> }>; secrets?: Record<string, unknown> };
    const app = Object.values(compose.services).find((svc) => svc.build)!;
    app.build!.secrets = [{ source: 'stolen', target: 'npmrc' }];
    compose.secrets = { ...(compose.secrets ?? {}), stolen: { file: '/etc/hostname' } };
    fs.writeFileSync(composeFile, stringifyYaml(compose));
    const err = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE }).then(
      (r): Error & { code?: string } => new Error(`expected a refusal, got ${JSON.stringify(r.failure)}`),
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err.code).toBe('E_INVALID');
    expect(err.message).toContain('/etc/hostname');
    // Through a link it is the same: a file inside the project that points out.
    fs.symlinkSync('/etc/hostname', path.join(dir, '.npmrc-link'));
    compose.secrets = { ...compose.secrets, stolen: { file: './.npmrc-link' } };
    fs.writeFileSync(composeFile, stringifyYaml(compose));
    const viaLink = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE }).then(
      (): Error & { code?: string } => new Error('expected a refusal'),
      (e: unknown) => e as Error & { code?: string },
    );
    expect(viaLink.code).toBe('E_INVALID');
    expect(viaLink.message).toContain('.npmrc-link');
  }, 600_000);

  it('fails a healthy app whose logs show it cannot reach its cache, quoting the line', async () => {
    // The app answers /health, but its cache client dials the host name `cache` while the stack's
    // Redis is named `redis`: the wiring mistake a healthcheck alone never shows.
    const dir = await renderedFixture();
    const app = path.join(dir, 'app.py');
    fs.writeFileSync(
      app,
      fs.readFileSync(app, 'utf8').replace(
        /^(import threading\n)/m,
        `$1import socket\n\n\ndef _connect_cache():\n    try:\n        socket.create_connection(("cache", 6379), timeout=5).close()\n        print("cache: connected", flush=True)\n    except OSError as e:\n        print(f"redis: Error {e.errno} connecting to cache:6379. {e.strerror}.", flush=True)\n\n\nthreading.Thread(target=_connect_cache, daemon=True).start()\n`,
      ),
    );
    const specFile = path.join(dir, 'stackgen.yaml');
    const spec = parseYaml(fs.readFileSync(specFile, 'utf8')) as { services: Record<string, { dependsOn?: string[] }>; backingServices: Record<string, unknown> };
    spec.backingServices = { redis: { kind: 'redis' } };
    for (const svc of Object.values(spec.services)) svc.dependsOn = ['redis'];
    fs.writeFileSync(specFile, stringifyYaml(spec));
    const render = await runCli(['render', dir, '--force'], { env: { ...process.env, NO_COLOR: '1' } });
    expect(render.code, render.stderr + render.stdout).toBe(0);

    const report = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, timeout: '120s', settle: '3s' });
    expect(report.ok).toBe(false);
    const svc = report.services.find((s) => s.kind === 'app')!;
    expect(svc.health).toBe('healthy');
    expect(svc.connectionError).toMatch(/connecting to cache:6379/);
    expect(report.failure).toContain(`cannot reach a backing service: "${svc.connectionError}"`);
    expect(await leftovers(report.project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  }, 600_000);

  it('names an image that is neither local nor pullable up front, with the fix', async () => {
    const dir = await renderedFixture();
    const file = await dockerfileOf(dir);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/^FROM\s+\S+/im, 'FROM stackgen.invalid/nowhere:404'));
    const err = await verify(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE }).then(
      (r) => new Error(`expected a preflight error, got ${JSON.stringify(r.failure)}`),
      (e: unknown) => e as Error,
    );
    const all = `${err.message} ${(err as { hint?: string }).hint ?? ''}`;
    expect(all).toContain('stackgen.invalid/nowhere:404');
    expect(all).toMatch(/--image-map|images\.overrides|--skip-service/);
  }, 300_000);
});

it('the CLI exits 75 with how to start Docker when DOCKER_HOST points to a dead socket', async () => {
  const dir = await renderedFixture();
  // A real process: the engine address comes from the process environment, as for a user.
  const verifyRun = await spawnCli(['verify', dir], { env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: 'unix:///nonexistent.sock' }, timeout: 120_000 });
  expect(verifyRun.code, verifyRun.stderr).toBe(75);
  expect(verifyRun.stderr).toMatch(/ensure-docker|dockerd|systemctl/);
}, 120_000);
