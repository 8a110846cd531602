/**
 * The offline stand-ins behave like the upstream images the rendered stacks name: every tag in the
 * image map exists, and each one does what compose files and Dockerfiles rely on.
 */
import fs from 'node:fs';
import Docker from 'dockerode';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeDocker, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';

const docker = new Docker();

/** Runs a throwaway container to completion and returns its exit code and output. */
async function run(image: string, cmd: string[], opts: { user?: string; entrypoint?: string[] } = {}): Promise<{ code: number; out: string }> {
  const c = await docker.createContainer({ Image: image, Cmd: cmd, User: opts.user, Entrypoint: opts.entrypoint, HostConfig: { AutoRemove: false } });
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    const logs = (await c.logs({ stdout: true, stderr: true })) as Buffer;
    return { code: StatusCode, out: demux(logs) };
  } finally {
    await c.remove({ force: true });
  }
}

/** Docker's multiplexed log stream → plain text. */
function demux(buf: Buffer): string {
  let out = '';
  for (let i = 0; i + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString('utf8');
    i += 8 + len;
  }
  return out;
}

describeDocker('offline stand-in images', () => {
  const map = parse(fs.readFileSync(OFFLINE_IMAGE_MAP, 'utf8')) as { overrides: Record<string, string> };

  it('exist for every reference in the image map', async () => {
    const missing: string[] = [];
    for (const tag of new Set(Object.values(map.overrides))) {
      try {
        await docker.getImage(tag).inspect();
      } catch {
        missing.push(tag);
      }
    }
    expect(missing, 'run scripts/offline-images.sh').toEqual([]);
  });

  it('node has node and npm', async () => {
    const r = await run('stackgen.local/node:20', ['sh', '-c', 'node -v && npm -v']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^v20\./);
  });

  it('python can create a venv and has pip in it', async () => {
    const r = await run('stackgen.local/python:3.11', ['sh', '-c', 'python -m venv /tmp/v && /tmp/v/bin/pip --version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/python 3\.11/);
  });

  it('golang has go', async () => {
    const r = await run('stackgen.local/golang:1.19', ['go', 'version']);
    expect(r.out).toMatch(/go1\.19/);
  });

  it('distroless-static runs as nonroot 65532 and has no shell', async () => {
    const info = await docker.getImage('stackgen.local/distroless-static:nonroot').inspect();
    expect(info.Config.User).toBe('65532:65532');
    await expect(run('stackgen.local/distroless-static:nonroot', ['/bin/sh', '-c', 'true'])).rejects.toThrow();
  });

  it('prometheus ships promtool and runs as nobody', async () => {
    const r = await run('stackgen.local/prometheus:2', ['--version'], { entrypoint: ['/bin/promtool'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/promtool, version 2\./);
    const info = await docker.getImage('stackgen.local/prometheus:2').inspect();
    expect(info.Config.User).toBe('65534');
  });

  it('nginx-unprivileged serves on 8080 as uid 101 with wget available', async () => {
    const r = await run('stackgen.local/nginx-unprivileged:1', ['sh', '-c', 'nginx && sleep 1 && wget -qO- http://127.0.0.1:8080/ && id -u'], { user: '101' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('<title>nginx</title>');
    expect(r.out.trim().endsWith('101')).toBe(true);
  });

  it('postgres initialises with the given password and rejects a wrong one', async () => {
    const c = await docker.createContainer({ Image: 'stackgen.local/postgres:15', Env: ['POSTGRES_USER=app', 'POSTGRES_PASSWORD=pw-right', 'POSTGRES_DB=appdb'] });
    try {
      await c.start();
      let ready = false;
      for (let i = 0; i < 60 && !ready; i++) {
        ready = (await exec(c, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'])).code === 0;
        if (!ready) await new Promise((r) => setTimeout(r, 500));
      }
      expect(ready).toBe(true);
      expect((await exec(c, ['psql', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb', '-tc', 'select 40+2'], ['PGPASSWORD=pw-right'])).out).toContain('42');
      expect((await exec(c, ['psql', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb', '-tc', 'select 1'], ['PGPASSWORD=wrong'])).code).not.toBe(0);
    } finally {
      await c.remove({ force: true });
    }
  });

  it('postgres refuses to initialise without a password', async () => {
    const r = await run('stackgen.local/postgres:15', ['postgres']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/POSTGRES_PASSWORD is not set/);
  });

  it('redis honours --requirepass', async () => {
    const c = await docker.createContainer({ Image: 'stackgen.local/redis:7', Cmd: ['redis-server', '--requirepass', 'pw'] });
    try {
      await c.start();
      let pong = '';
      for (let i = 0; i < 20 && !pong.includes('PONG'); i++) {
        pong = (await exec(c, ['redis-cli', '-a', 'pw', '--no-auth-warning', 'ping'])).out;
        if (!pong.includes('PONG')) await new Promise((r) => setTimeout(r, 250));
      }
      expect(pong).toContain('PONG');
      expect((await exec(c, ['redis-cli', 'ping'])).out).toContain('NOAUTH');
    } finally {
      await c.remove({ force: true });
    }
  });
});

async function exec(c: Docker.Container, cmd: string[], env: string[] = []): Promise<{ code: number; out: string }> {
  const e = await c.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const { ExitCode } = await e.inspect();
  return { code: ExitCode ?? -1, out: demux(Buffer.concat(chunks)) };
}
