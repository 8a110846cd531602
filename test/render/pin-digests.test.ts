/**
 * images.pinDigests against a real registry: Debian's docker-registry (the CNCF distribution
 * server) on a loopback port, a stand-in image pushed to it by the real engine, and a render whose
 * every image comes from there. The rendered reference must carry the digest the engine pushed, and
 * that exact reference must pull; an unreachable registry must fail the render by name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSpecDefaults } from '../../src/spec/load.js';
import { resolveDigest } from '../../src/images/digests.js';
import { render } from '../../src/render/render.js';
import { describeDocker } from '../helpers/docker.js';

const hasRegistry = spawnSync('docker-registry', ['--version']).status === 0;
if (!hasRegistry && process.env.CI === 'true') throw new Error('docker-registry is not on PATH: scripts/ensure-docker.sh installs it (CI=true: this is a failure, not a skip)');
if (!hasRegistry) console.warn('\n*** SKIPPED digest pinning tests: docker-registry is not on PATH (apt-get install docker-registry) ***\n');

const SOURCE = 'stackgen.local/debian:bookworm';
let registry: ChildProcess | undefined;
let work: string;
let port: number;
let pushedDigest: string;
const ref = () => `127.0.0.1:${port}/stackgen/debian:12`;

/** A one-service stack whose only upstream image (debian, for the generic template) comes from `debian`; digests pinned. */
function pinnedSpec(debian: string) {
  return withSpecDefaults({
    version: 1,
    name: 'pinned',
    services: { app: { path: '.', language: 'shell', role: 'worker', commands: { start: 'sh run.sh' } } },
    observability: { prometheus: false, grafana: false },
    ci: { provider: 'none' },
    images: { pinDigests: true, overrides: { 'debian:*': debian } },
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

(hasRegistry ? describeDocker : () => undefined)('images.pinDigests with a real registry', () => {
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-registry-'));
    port = await freePort();
    const config = path.join(work, 'config.yml');
    fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${work}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
    registry = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.ok).catch(() => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Docker treats registries on 127.0.0.0/8 as insecure-allowed, so plain http works without daemon config.
    await execa('docker', ['tag', SOURCE, ref()]);
    const push = await execa('docker', ['push', ref()]);
    pushedDigest = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)![1]!;
  }, 120_000);

  afterAll(async () => {
    registry?.kill();
    await execa('docker', ['rmi', '-f', ref()], { reject: false });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('resolves a tag to the digest the engine pushed', async () => {
    expect(await resolveDigest(ref())).toBe(pushedDigest);
  });

  it('renders every image reference pinned to that digest, and the pinned reference pulls', async () => {
    const root = fs.mkdtempSync(path.join(work, 'app-'));
    fs.writeFileSync(path.join(root, 'run.sh'), '#!/bin/sh\nexec sleep infinity\n');
    const spec = pinnedSpec(ref());
    const tree = await render(spec, { rootDir: root });
    const dockerfile = tree.read('Dockerfile')!;
    const stages = new Set([...dockerfile.matchAll(/^FROM \S+ AS (\S+)/gim)].map((m) => m[1]));
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]).filter((f) => !stages.has(f));
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toBe(`${ref()}@${pushedDigest}`);
    await execa('docker', ['rmi', '-f', `${ref()}@${pushedDigest}`], { reject: false });
    const pull = await execa('docker', ['pull', `${ref()}@${pushedDigest}`], { reject: false });
    expect(pull.exitCode, pull.stderr).toBe(0);
  }, 60_000);

  it('fails the render naming each image when the registry cannot be reached', async () => {
    const root = fs.mkdtempSync(path.join(work, 'app-'));
    const gone = await freePort();
    const spec = pinnedSpec(`127.0.0.1:${gone}/nothing/here:1`);
    await expect(render(spec, { rootDir: root, digestOptions: { timeoutMs: 2000 } })).rejects.toMatchObject({
      code: 'E_UNAVAILABLE',
      message: expect.stringContaining(`127.0.0.1:${gone}/nothing/here:1: `),
    });
  });
});

it('names the registry, repository and tag a reference resolves at', async () => {
  const { registryCoordinates } = await import('../../src/images/digests.js');
  expect(registryCoordinates('node:22.23.5-bookworm-slim')).toEqual({ host: 'registry-1.docker.io', repository: 'library/node', tag: '22.23.5-bookworm-slim' });
  expect(registryCoordinates('prom/prometheus:v3.7.3')).toEqual({ host: 'registry-1.docker.io', repository: 'prom/prometheus', tag: 'v3.7.3' });
  expect(registryCoordinates('gcr.io/distroless/static-debian12:nonroot')).toEqual({ host: 'gcr.io', repository: 'distroless/static-debian12', tag: 'nonroot' });
  expect(registryCoordinates('localhost:5000/team/app')).toEqual({ host: 'localhost:5000', repository: 'team/app', tag: 'latest' });
});

describe('registry credentials', () => {
  /** A registry on loopback that asks for a bearer token from `realmHost`, and records who got which Authorization header. */
  async function fakeRegistry(realmHost: string) {
    const { createServer } = await import('node:http');
    const seen: Array<{ server: string; authorization: string | undefined }> = [];
    const realm = createServer((req, res) => {
      seen.push({ server: 'realm', authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ token: 'anon-token' }));
    });
    await new Promise<void>((r) => realm.listen(0, realmHost, r));
    const realmPort = (realm.address() as { port: number }).port;
    const registry = createServer((req, res) => {
      seen.push({ server: 'registry', authorization: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer anon-token') {
        res.statusCode = 401;
        res.setHeader('www-authenticate', `Bearer realm="http://${realmHost}:${realmPort}/token",service="test"`);
        return res.end();
      }
      res.setHeader('docker-content-digest', `sha256:${'a'.repeat(64)}`);
      res.end();
    });
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    const port = (registry.address() as { port: number }).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-dockercfg-'));
    const dockerConfig = path.join(dir, 'config.json');
    fs.writeFileSync(dockerConfig, JSON.stringify({ auths: { [`127.0.0.1:${port}`]: { auth: Buffer.from('me:s3cret').toString('base64') } } }));
    const close = () => {
      registry.close();
      realm.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { seen, port, dockerConfig, close };
  }

  it('sends stored credentials to a token realm on the registry’s own host', async () => {
    const r = await fakeRegistry('127.0.0.1');
    try {
      expect(await resolveDigest(`127.0.0.1:${r.port}/team/app:1`, { dockerConfig: r.dockerConfig, timeoutMs: 2000 })).toBe(`sha256:${'a'.repeat(64)}`);
      expect(r.seen.find((s) => s.server === 'realm')!.authorization).toBe(`Basic ${Buffer.from('me:s3cret').toString('base64')}`);
    } finally {
      r.close();
    }
  });

  it('never sends them to a realm the registry names on another host', async () => {
    const r = await fakeRegistry('127.0.0.2');
    try {
      expect(await resolveDigest(`127.0.0.1:${r.port}/team/app:1`, { dockerConfig: r.dockerConfig, timeoutMs: 2000 })).toBe(`sha256:${'a'.repeat(64)}`);
      const realm = r.seen.filter((s) => s.server === 'realm');
      expect(realm.length).toBe(1);
      expect(realm[0]!.authorization).toBeUndefined();
    } finally {
      r.close();
    }
  });

  it('holds credentials back from plain http anywhere but loopback', async () => {
    const { mayReceiveCredentials } = await import('../../src/images/digests.js');
    expect(mayReceiveCredentials(new URL('http://registry.example.com/v2/'), 'registry.example.com')).toBe(false);
    expect(mayReceiveCredentials(new URL('https://registry.example.com/v2/'), 'registry.example.com')).toBe(true);
    expect(mayReceiveCredentials(new URL('https://auth.docker.io/token'), 'registry-1.docker.io')).toBe(true);
    expect(mayReceiveCredentials(new URL('https://auth.evil.example/token'), 'registry-1.docker.io')).toBe(false);
    expect(mayReceiveCredentials(new URL('http://127.0.0.1:5000/v2/'), '127.0.0.1:5000')).toBe(true);
  });
});
