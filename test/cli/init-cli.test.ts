/**
 * `stackgen init` as a user runs it, on copies of fixtures: the command line in process, and the built
 * binary where a real process matters (no terminal on stdin; the interactive flow, driven on a real
 * pseudo-terminal with real keystrokes, no mocked prompt library).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, runCli, spawnCli } from '../helpers/cli.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';
import { KEY, PtySession } from './init-pty.js';

const tmpDirs: string[] = [];

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete e.CI;
  delete e.FORCE_COLOR;
  return e;
}

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stackgen-init-${name}-`));
  tmpDirs.push(dir);
  fs.cpSync(path.join(FIXTURES_DIR, name), dir, { recursive: true });
  return dir;
}

async function stackgen(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}) {
  return runCli(args, { env: opts.env ?? env() });
}

/** Every file under dir with its bytes, for "nothing was written" checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  // test/global-setup.ts built dist/ once for every test file.
  expect(fs.existsSync(path.join(REPO_ROOT, 'dist/cli/commands/init.js'))).toBe(true);
});

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('stackgen init --yes', () => {
  it('--dry-run prints the file list and a diff, and writes nothing', async () => {
    const dir = copyFixture('go-stdlib-api');
    const before = snapshot(dir);
    const r = await stackgen(['init', dir, '--yes', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\+ create {2,}stackgen\.yaml/);
    expect(r.stdout).toMatch(/\+ create {2,}compose\.yaml/);
    expect(r.stdout).toContain('+++ b/stackgen.yaml');
    expect(r.stdout).toContain('+version: 1');
    expect(r.stdout).toContain('dry run: nothing written');
    expect(snapshot(dir)).toEqual(before);
  });

  it('writes a valid spec and the stack; a second run has no changes; a user edit to the spec survives', async () => {
    const dir = copyFixture('python-stdlib-api');
    const first = await stackgen(['init', dir, '--yes']);
    expect(first.code, first.stderr).toBe(0);
    const specFile = path.join(dir, 'stackgen.yaml');
    const text = fs.readFileSync(specFile, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
    expect(fs.existsSync(path.join(dir, 'compose.yaml'))).toBe(true);
    expect((await stackgen(['validate', specFile])).code).toBe(0);

    const second = await stackgen(['init', dir, '--yes']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('no changes');
    expect(fs.readFileSync(specFile, 'utf8')).toBe(text);

    const spec = parse(text) as { services: Record<string, { port: number }> };
    const [name, svc] = Object.entries(spec.services)[0]!;
    const edited = text.replace(`port: ${svc.port}`, `port: 9123 # chosen by hand`).replace('version: 1', '# team note\nversion: 1');
    fs.writeFileSync(specFile, edited);
    const third = await stackgen(['init', dir, '--yes']);
    expect(third.code, third.stderr).toBe(0);
    expect(fs.readFileSync(specFile, 'utf8')).toBe(edited);
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toContain('9123');
    expect(name).toBeTruthy();
  });

  it('on a re-run only flags overwrite the user\'s choices', async () => {
    const dir = copyFixture('go-stdlib-api');
    expect((await stackgen(['init', dir, '--yes'])).code).toBe(0);
    const specFile = path.join(dir, 'stackgen.yaml');
    fs.writeFileSync(specFile, fs.readFileSync(specFile, 'utf8').replace('kind: none', 'kind: caddy'));
    expect((await stackgen(['init', dir, '--yes'])).code).toBe(0);
    expect((parse(fs.readFileSync(specFile, 'utf8')) as { proxy: { kind: string } }).proxy.kind).toBe('caddy');
    const r = await stackgen(['init', dir, '--yes', '--proxy', 'traefik']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/updated\s+stackgen\.yaml/);
    expect((parse(fs.readFileSync(specFile, 'utf8')) as { proxy: { kind: string } }).proxy.kind).toBe('traefik');
  });

  it('without a terminal and without --yes it does not wait: takes the defaults and says so on stderr', async () => {
    const dir = copyFixture('static-site');
    const r = await spawnCli(['init', dir], { env: env(), timeout: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no terminal');
    expect(fs.existsSync(path.join(dir, 'stackgen.yaml'))).toBe(true);
  });

  it('flags shape the spec: --service, --port, --with, --no-observability, --proxy, --ci, --registry', async () => {
    const dir = copyFixture('polyglot-frontend-api');
    const r = await stackgen(['init', dir, '--yes', '--service', 'api', '--port', 'api=5050', '--with', 'redis', '--no-observability', '--proxy', 'caddy', '--ci', 'gitlab', '--registry', 'registry.example.com/acme']);
    expect(r.code, r.stderr).toBe(0);
    const spec = parse(fs.readFileSync(path.join(dir, 'stackgen.yaml'), 'utf8')) as Record<string, any>;
    expect(Object.keys(spec.services)).toEqual(['api']);
    expect(spec.services.api).toMatchObject({ port: 5050, dependsOn: ['redis'] });
    expect(spec.backingServices).toEqual({ redis: { kind: 'redis' } });
    expect(spec.observability).toMatchObject({ prometheus: false, grafana: false });
    expect(spec.proxy).toMatchObject({ kind: 'caddy' });
    expect(spec.ci).toEqual({ provider: 'gitlab', registry: 'registry.example.com/acme' });
  });

  it('--targets adds deploy targets (compose stays), renders their files and prints what each cannot express', async () => {
    const dir = copyFixture('node-express-pg-redis');
    const r = await stackgen(['init', dir, '--yes', '--targets', 'swarm']);
    expect(r.code, r.stderr).toBe(0);
    const specFile = path.join(dir, 'stackgen.yaml');
    expect((parse(fs.readFileSync(specFile, 'utf8')) as { targets: string[] }).targets).toEqual(['compose', 'swarm']);
    expect(r.stdout).toMatch(/created\s+compose\.swarm\.yaml/);
    expect(r.stderr).toMatch(/warning: swarm: services\.[a-z-]+\.dependsOn: Swarm starts services in any order/);
    expect(r.stderr).toMatch(/retry its connections/);
    // Without the flag, a re-run keeps the targets; an unknown target is refused before anything is written.
    expect((await stackgen(['init', dir, '--yes'])).code).toBe(0);
    expect((parse(fs.readFileSync(specFile, 'utf8')) as { targets: string[] }).targets).toEqual(['compose', 'swarm']);
    const before = snapshot(dir);
    const bad = await stackgen(['init', dir, '--yes', '--targets', 'swarm,helm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--targets helm: not a target stackgen renders/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unknown service in --port is an input error with a suggestion, and nothing is written', async () => {
    const dir = copyFixture('go-stdlib-api');
    const before = snapshot(dir);
    const r = await stackgen(['init', dir, '--yes', '--port', 'ap=80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`ap`');
    expect(snapshot(dir)).toEqual(before);
  });

  it("a workflow of the user's own at the default pipeline's path (wagtail/bakerydemo's docker.yml) is kept: no pipeline rendered, and stderr says how to get one", async () => {
    const dir = copyFixture('go-stdlib-api');
    const workflow = path.join(dir, '.github/workflows/docker.yml');
    fs.mkdirSync(path.dirname(workflow), { recursive: true });
    fs.writeFileSync(workflow, 'name: docker\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: docker build .\n');
    const before = fs.readFileSync(workflow, 'utf8');
    const r = await stackgen(['init', dir, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kept your \.github\/workflows\/docker\.yml.*--ci github --force/);
    expect(fs.readFileSync(workflow, 'utf8')).toBe(before);
    expect((parse(fs.readFileSync(path.join(dir, 'stackgen.yaml'), 'utf8')) as { ci: { provider: string } }).ci.provider).toBe('none');
    // Asked for by name, the pipeline is stackgen's to write: a conflict, as for any file of the user's.
    fs.rmSync(path.join(dir, 'stackgen.yaml'));
    const named = await stackgen(['init', dir, '--yes', '--ci', 'github']);
    expect(named.code).toBe(3);
    expect(fs.readFileSync(workflow, 'utf8')).toBe(before);
  });

  it("a repository's own Dockerfile is kept by default; --own-dockerfile replace renders stackgen's in its place", async () => {
    // A template's leftover Dockerfile that cannot build this pnpm project (it copies package-lock.json).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-init-own-dockerfile-'));
    tmpDirs.push(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pdf', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }));
    fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    fs.writeFileSync(path.join(dir, 'server.js'), "require('express')().listen(3000);\n");
    const theirs = 'FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "server.js"]\n';
    fs.writeFileSync(path.join(dir, 'Dockerfile'), theirs);

    const kept = await stackgen(['init', dir, '--yes', '--no-observability', '--ci', 'none']);
    expect(kept.code, kept.stderr).toBe(0);
    const spec = () => parse(fs.readFileSync(path.join(dir, 'stackgen.yaml'), 'utf8')) as { services: Record<string, { dockerfile?: unknown }> };
    expect(Object.values(spec().services)[0]!.dockerfile).toEqual({ path: 'Dockerfile' });
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(theirs);

    fs.rmSync(path.join(dir, 'stackgen.yaml'));
    // Without --force the repository's file is never overwritten: a conflict that names the way out.
    const refused = await stackgen(['init', dir, '--yes', '--no-observability', '--ci', 'none', '--own-dockerfile', 'replace']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('Dockerfile');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(theirs);

    const replaced = await stackgen(['init', dir, '--yes', '--no-observability', '--ci', 'none', '--own-dockerfile', 'replace', '--force']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(Object.values(spec().services)[0]!.dockerfile).toBeUndefined();
    const ours = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
    expect(ours).toMatch(/^# Generated by stackgen/);
    expect(ours).toContain('pnpm install --prod --frozen-lockfile');
    expect(ours).not.toContain('package-lock.json');
  });

  it('a repository with nothing to run: exit 2, nothing written', async () => {
    const dir = copyFixture('negative-library');
    const before = snapshot(dir);
    const r = await stackgen(['init', dir, '--yes']);
    expect(r.code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('stackgen init on a terminal', () => {
  it('asks, takes arrow keys, space and typed answers, and writes what was chosen', async () => {
    const dir = copyFixture('polyglot-frontend-api');
    const s = new PtySession(process.execPath, [BIN, 'init', dir], { cwd: REPO_ROOT, env: env({ TERM: 'xterm' }) });
    try {
      let at = await s.waitFor('Services to include');
      await s.type(KEY.down, KEY.space, KEY.enter); // untick frontend
      at = await s.waitFor('api: port the app listens on', at);
      await s.type('5', '0', '5', '0', KEY.enter);
      at = await s.waitFor('api: start command', at);
      await s.type(KEY.enter);
      at = await s.waitFor('Backing services', at);
      await s.type(KEY.space, KEY.down, KEY.down, KEY.down, KEY.down, KEY.space, KEY.enter); // postgres, redis
      at = await s.waitFor('Observability', at);
      await s.type('n', KEY.enter);
      at = await s.waitFor('Reverse proxy', at);
      await s.type(KEY.down, KEY.enter); // traefik
      at = await s.waitFor('TLS certificates', at);
      await s.type(KEY.enter); // self-signed
      at = await s.waitFor('CI provider', at);
      await s.type(KEY.down, KEY.enter); // gitlab
      at = await s.waitFor('Image registry', at);
      await s.type(...'ghcr.io/acme', KEY.enter);
      at = await s.waitFor('Deploy targets besides Docker Compose', at);
      await s.type(KEY.space, KEY.enter); // swarm
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    expect(s.screen).toMatch(/created\s+stackgen\.yaml/);
    const spec = parse(fs.readFileSync(path.join(dir, 'stackgen.yaml'), 'utf8')) as Record<string, any>;
    expect(Object.keys(spec.services)).toEqual(['api']);
    expect(spec.services.api).toMatchObject({ port: 5050, commands: { start: 'python -u server.py' }, dependsOn: ['postgres', 'redis'] });
    expect(Object.keys(spec.backingServices).sort()).toEqual(['postgres', 'redis']);
    expect(spec.observability).toMatchObject({ prometheus: false, grafana: false, alertRules: false });
    expect(spec.proxy).toMatchObject({ kind: 'traefik', tls: 'self-signed' });
    expect(spec.ci).toEqual({ provider: 'gitlab', registry: 'ghcr.io/acme' });
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toContain('traefik');
    expect(spec.targets).toEqual(['compose', 'swarm']);
    expect(fs.existsSync(path.join(dir, 'compose.swarm.yaml'))).toBe(true);
  }, 60_000);

  it('Ctrl-C during the questions exits 130 and writes nothing', async () => {
    const dir = copyFixture('polyglot-frontend-api');
    const before = snapshot(dir);
    const s = new PtySession(process.execPath, [BIN, 'init', dir], { cwd: REPO_ROOT, env: env({ TERM: 'xterm' }) });
    try {
      const at = await s.waitFor('Services to include');
      await s.type(KEY.enter);
      await s.waitFor('api: port the app listens on', at);
      await s.type(KEY.ctrlC);
      expect(await s.exited).toBe(130);
    } finally {
      s.kill();
    }
    expect(snapshot(dir)).toEqual(before);
  }, 60_000);
});
