/**
 * The dev target runs as the host user, on the real engine: copy a fixture, `stackgen init` +
 * `render` with the offline image map and this machine's CA bundle, hand the checkout to a uid that
 * is not 1000 (as a developer's clone is theirs), then `docker compose -f compose.yaml -f
 * compose.dev.yaml up --build --wait` with DEV_UID/DEV_GID set, exactly as the file's header says.
 * The running process must be that uid, its caches writable, and what it writes into the
 * bind-mounted checkout owned by that uid on the host.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { describeDocker, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';

const CLI = path.join(REPO_ROOT, 'bin/stackgen.js');
// Neither 1000 (the default, and node's own uid in the image) nor equal to each other.
const DEV_UID = 4321;
const DEV_GID = 4322;
const NODE_SERVICE = 'node-express-pg-redis';
const GO_SERVICE = 'go-stdlib-api';
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await execa(cmd, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: 600_000, reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.exitCode}:\n${String(r.all).slice(-4000)}`);
  return String(r.stdout);
}

/** The fixture rendered as a user would: init, the CA bundle inside the repository, render with the image map. */
async function renderedFixture(name: string): Promise<string> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-devuser-'));
  tmpDirs.push(parent);
  const dir = path.join(parent, name);
  fs.cpSync(path.join(FIXTURES_DIR, name), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'stackgen.test.json'), { force: true });
  await run(process.execPath, [CLI, 'init', dir, '--yes', '--no-observability']);
  fs.copyFileSync(HOST_CA_BUNDLE, path.join(dir, 'ca.pem'));
  const specFile = path.join(dir, 'stackgen.yaml');
  const doc = parseDocument(fs.readFileSync(specFile, 'utf8'));
  doc.setIn(['build', 'caBundle'], 'ca.pem');
  fs.writeFileSync(specFile, doc.toString());
  await run(process.execPath, [CLI, 'render', dir, '--image-map', OFFLINE_IMAGE_MAP]);
  // The checkout belongs to the developer, not to whoever ran the steps above.
  await run('chown', ['-R', `${DEV_UID}:${DEV_GID}`, dir]);
  return dir;
}

interface DevRun {
  /** `sh -c script` inside the running dev container; stdout. */
  exec(script: string): Promise<string>;
}

/**
 * `up --build` the service's dev target and run `body` against it. `waitHealthy: false` for images
 * whose healthcheck probe exists only in the runtime image (go, rust: /healthcheck).
 */
async function withDevStack(dir: string, service: string, body: (dev: DevRun) => Promise<void>, waitHealthy = true): Promise<void> {
  const project = `sgdev${process.pid}${Math.random().toString(36).slice(2, 7)}`;
  const env = { DEV_UID: String(DEV_UID), DEV_GID: String(DEV_GID), COMPOSE_PROJECT_NAME: project };
  const compose = ['compose', '-f', 'compose.yaml', '-f', 'compose.dev.yaml'];
  const image = (parseDocument(fs.readFileSync(path.join(dir, 'compose.dev.yaml'), 'utf8')).getIn(['services', service, 'image']) as string) ?? '';
  try {
    await run('docker', [...compose, 'up', '-d', '--build', service], { cwd: dir, env });
    if (waitHealthy) await untilHealthy(dir, compose, service, env);
    await body({ exec: (script) => run('docker', [...compose, 'exec', '-T', service, 'sh', '-c', script], { cwd: dir, env }) });
  } finally {
    await execa('docker', [...compose, 'down', '-v', '--remove-orphans'], { cwd: dir, env: { ...process.env, ...env }, reject: false });
    if (image) await execa('docker', ['image', 'rm', '-f', image], { reject: false });
  }
}

/**
 * Polls the service's container until its healthcheck reports healthy. Not `up --wait`: that gives up
 * the moment a check fails, and on a loaded machine a dev server's first checks can fail before it
 * recovers. Only an exited container or the deadline ends the wait early.
 */
async function untilHealthy(dir: string, compose: string[], service: string, env: Record<string, string>, deadlineMs = 480_000): Promise<void> {
  const started = Date.now();
  let state = '';
  while (Date.now() - started < deadlineMs) {
    const id = (await run('docker', [...compose, 'ps', '-aq', service], { cwd: dir, env })).trim();
    state = id ? (await run('docker', ['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', id])).trim() : 'missing';
    if (state === 'running healthy') return;
    if (state.startsWith('exited') || state.startsWith('dead')) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const logs = await execa('docker', [...compose, 'logs', '--tail', '60', service], { cwd: dir, env: { ...process.env, ...env }, reject: false, all: true });
  throw new Error(`${service} did not become healthy (last state: ${state}):\n${String(logs.all)}`);
}

/** Uid and gid of PID 1 (docker-init, and the dev server it starts) from /proc. */
async function pid1Ids(dev: DevRun): Promise<{ uid: number; gid: number }> {
  const status = await dev.exec('cat /proc/1/status');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { uid: field('Uid'), gid: field('Gid') };
}

describeDocker('the dev target runs as the host user (DEV_UID/DEV_GID through compose.dev.yaml)', () => {
  it('node (npm, node --watch, with postgres and redis): the process is DEV_UID, node_modules and the npm cache are writable, files it writes are the developer\'s', async () => {
    const dir = await renderedFixture('node-express-pg-redis');
    await withDevStack(dir, NODE_SERVICE, async (dev) => {
      expect(await pid1Ids(dev)).toEqual({ uid: DEV_UID, gid: DEV_GID });
      expect((await dev.exec('id -u; id -g')).trim().split('\n').map(Number)).toEqual([DEV_UID, DEV_GID]);
      // Where vite, babel and friends keep their caches, and npm its own.
      await dev.exec('mkdir -p /app/node_modules/.vite/deps && echo x > /app/node_modules/.vite/deps/probe && mkdir -p "$HOME/.npm/_cacache" && npm config get cache');
      await dev.exec('echo x > /app/written-in-dev.txt');
    });
    const written = fs.statSync(path.join(dir, 'written-in-dev.txt'));
    expect([written.uid, written.gid]).toEqual([DEV_UID, DEV_GID]);
  }, 600_000);

  it('python (stdlib server): the process is DEV_UID, HOME caches are writable, files it writes are the developer\'s', async () => {
    const dir = await renderedFixture('python-stdlib-api');
    await withDevStack(dir, 'python-stdlib-api', async (dev) => {
      expect(await pid1Ids(dev)).toEqual({ uid: DEV_UID, gid: DEV_GID });
      expect((await dev.exec('echo "$HOME"')).trim()).toBe('/home/dev');
      await dev.exec('mkdir -p "$HOME/.cache/pip" && echo x > "$HOME/.cache/pip/probe"');
      await dev.exec('python -c "open(\'/app/written-in-dev.txt\', \'w\').write(\'x\')"');
    });
    const written = fs.statSync(path.join(dir, 'written-in-dev.txt'));
    expect([written.uid, written.gid]).toEqual([DEV_UID, DEV_GID]);
  }, 600_000);

  it('go (go run): the process is DEV_UID and compiled through its own GOCACHE and GOMODCACHE', async () => {
    const dir = await renderedFixture('go-stdlib-api');
    await withDevStack(dir, GO_SERVICE, async (dev) => {
      expect(await pid1Ids(dev)).toEqual({ uid: DEV_UID, gid: DEV_GID });
      const cache = (await dev.exec('go env GOCACHE GOMODCACHE')).trim().split('\n');
      expect(cache).toEqual(['/home/dev/.cache/go-build', '/home/dev/go/pkg/mod']);
      // `go run` compiles the standard library into an empty GOCACHE before the server listens (about
      // 30 s on a quiet machine, minutes on a loaded one): wait for the built program to run.
      const started = Date.now();
      let running = '';
      while (Date.now() - started < 600_000) {
        running = await dev.exec('ls -l /proc/[0-9]*/exe 2>/dev/null | grep -c go-build || true');
        if (Number(running.trim()) > 0) break;
        await new Promise((r) => setTimeout(r, 2000));
      }
      expect(Number(running.trim()), 'the program `go run` built is running').toBeGreaterThan(0);
      expect(Number((await dev.exec('find "$(go env GOCACHE)" -type f -user "$(id -u)" | wc -l')).trim())).toBeGreaterThan(0);
    }, false);
  }, 900_000);
});
