/**
 * The Docker Swarm target: compose.swarm.yaml from the same spec. Goldens for a sample and two
 * fixtures (node + postgres + redis; a Django web + Celery worker pair), the mapping rules a stack
 * file needs to be accepted by Swarm as is, the render warnings for what Swarm cannot express, and
 * `docker stack config` (the real parser of `docker stack deploy`) on the rendered files.
 */
import { spawnSync } from 'node:child_process';
import { run } from '../helpers/run.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { withSpecDefaults } from '../../src/spec/load.js';
import { detect } from '../../src/detect/detect.js';
import { swarmContext, swarmWarnings } from '../../src/render/contexts/swarm.js';
import { render } from '../../src/render/render.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import { validateSpecText } from '../../src/spec/load.js';
import type { Spec, SpecInput } from '../../src/spec/types.generated.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { materialize, SAMPLES } from './render-samples.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

interface StackFile {
  version: string;
  services: Record<string, Record<string, unknown> & { deploy: { endpoint_mode: string; replicas: number; update_config: { order: string; failure_action: string }; rollback_config: { order: string }; restart_policy: { condition: string }; resources: { limits: Record<string, unknown> } }; ports?: Array<{ target: number; published: number; mode: string }> }>;
  networks: Record<string, { driver: string; internal?: boolean }>;
  secrets?: Record<string, { external: boolean; name: string }>;
  configs?: Record<string, { name: string; file: string }>;
}

function sample(name: string, patch: (s: SpecInput) => void = () => undefined): { root: string; spec: Spec } {
  const base = SAMPLES.find((s) => s.name === name)!;
  const input = structuredClone(base.spec);
  input.targets = ['compose', 'swarm'];
  patch(input);
  return materialize({ ...base, spec: input, files: { ...base.files, ...(input.backingServices?.postgres?.initScripts?.length ? { 'db/init.sql': 'CREATE TABLE orders (id serial PRIMARY KEY);\n' } : {}) } });
}

async function stackOf(root: string, spec: Spec): Promise<{ text: string; stack: StackFile; warnings: string[] }> {
  const tree = await render(spec, { rootDir: root });
  const text = tree.files().find((f) => f.path === 'compose.swarm.yaml')?.content;
  if (text === undefined) throw new Error('compose.swarm.yaml was not rendered');
  return { text, stack: parseYaml(text) as StackFile, warnings: tree.warnings.map((w) => `${w.message} | ${w.hint ?? ''}`) };
}

async function fixtureSpec(name: string, patch: (s: SpecInput) => void = () => undefined): Promise<{ root: string; spec: Spec }> {
  // The folder keeps the fixture's name: service names derive from it.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-swarm-'));
  roots.push(parent);
  const root = path.join(parent, name);
  fs.cpSync(path.join(FIXTURES_DIR, name), root, { recursive: true });
  const input = specFromTopology(await detect(root), { name: name.slice(0, 40), targets: ['swarm'] });
  patch(input);
  return { root, spec: withSpecDefaults(input) };
}

describe('compose.swarm.yaml goldens', () => {
  it('sample node + postgres (init script) + redis', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    await expect((await stackOf(root, spec)).text).toMatchFileSnapshot('golden/swarm/sample-node-express-pg-redis/compose.swarm.yaml');
  });
  it('fixture node-express-pg-redis', async () => {
    const { root, spec } = await fixtureSpec('node-express-pg-redis');
    await expect((await stackOf(root, spec)).text).toMatchFileSnapshot('golden/swarm/node-express-pg-redis/compose.swarm.yaml');
  });
  it('fixture python-django-postgres-celery (web + worker), routing mesh off', async () => {
    const { root, spec } = await fixtureSpec('python-django-postgres-celery', (s) => (s.swarm = { routingMesh: false }));
    await expect((await stackOf(root, spec)).text).toMatchFileSnapshot('golden/swarm/python-django-postgres-celery-dnsrr/compose.swarm.yaml');
  });
});

describe('the stack file Swarm accepts as is', () => {
  it('is rendered only when targets include swarm', async () => {
    const { root, spec } = sample('python-stdlib-api', (s) => (s.targets = ['compose']));
    const tree = await render(spec, { rootDir: root });
    expect(tree.files().map((f) => f.path)).not.toContain('compose.swarm.yaml');
    expect(tree.warnings.filter((w) => w.message.startsWith('swarm:'))).toEqual([]);
  });

  it('has no build, no .env reading, no depends_on; images by registry tag; external versioned secrets; configs named by content hash', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    const { text, stack } = await stackOf(root, spec);
    expect(stack.version).toBe('3.9');
    for (const [name, s] of Object.entries(stack.services)) {
      expect(s, name).not.toHaveProperty('build');
      expect(s, name).not.toHaveProperty('env_file');
      expect(s, name).not.toHaveProperty('depends_on');
      expect(s, name).not.toHaveProperty('restart');
      expect(s, name).not.toHaveProperty('security_opt');
      expect(s.cap_drop, name).toEqual(['ALL']);
    }
    expect(stack.services.api!.image).toBe('${REGISTRY:?set REGISTRY to the registry CI pushed to, e.g. ghcr.io/acme}/shop:${TAG:?set TAG to the image tag CI pushed, e.g. 1.4.2}');
    expect(text).not.toMatch(/:local\b/);
    expect(stack.secrets!['postgres-password']).toEqual({ external: true, name: 'shop_postgres-password_${POSTGRES_PASSWORD_VERSION:?create the secret and export POSTGRES_PASSWORD_VERSION: see the top of this file}' });
    const sql = fs.readFileSync(path.join(root, 'db/init.sql'));
    const hash = (await import('node:crypto')).createHash('sha256').update(sql).digest('hex').slice(0, 12);
    expect(stack.configs!['postgres-init-01']).toEqual({ name: `shop_postgres-init-01_${hash}`, file: './db/init.sql' });
    expect(stack.services.postgres!.configs).toEqual([{ source: 'postgres-init-01', target: '/docker-entrypoint-initdb.d/01-init.sql' }]);
    expect(stack.networks).toEqual({ frontend: { driver: 'overlay' }, backend: { driver: 'overlay', internal: true } });
  });

  it('a changed init script is a new config name (Swarm cannot update one in place)', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    const before = (await stackOf(root, spec)).stack.configs!['postgres-init-01']!.name;
    fs.appendFileSync(path.join(root, 'db/init.sql'), '-- changed\n');
    const after = (await stackOf(root, spec)).stack.configs!['postgres-init-01']!.name;
    expect(after).not.toBe(before);
    expect(after.slice(0, -12)).toBe(before.slice(0, -12));
  });

  it('apps update start-first and roll back; stateful backing services update stop-first', async () => {
    const { root, spec } = sample('node-express-pg-redis', (s) => (s.services.api!.replicas = 3));
    const { stack } = await stackOf(root, spec);
    const api = stack.services.api!;
    expect(api.deploy.replicas).toBe(3);
    expect(api.deploy.endpoint_mode).toBe('vip');
    expect(api.deploy.update_config).toMatchObject({ order: 'start-first', failure_action: 'rollback' });
    expect(api.deploy.rollback_config.order).toBe('start-first');
    expect(api.deploy.restart_policy.condition).toBe('any');
    expect(api.deploy.resources.limits).toEqual({ cpus: '1.0', memory: '512M', pids: 1024 });
    expect(api.ports).toEqual([{ target: 3000, published: 3000, protocol: 'tcp', mode: 'ingress' }]);
    expect(api.healthcheck).toMatchObject({ interval: '10s', retries: 3 });
    for (const b of ['postgres', 'redis']) {
      expect(stack.services[b]!.deploy.update_config.order, b).toBe('stop-first');
      expect(stack.services[b]!.deploy.replicas, b).toBe(1);
    }
  });

  it('a job is restarted only when it fails, once, and publishes nothing; a worker restarts always', async () => {
    const job = await fixtureSpec('python-job');
    const name = Object.keys(job.spec.services)[0]!;
    expect(job.spec.services[name]!.role).toBe('job');
    const j = (await stackOf(job.root, job.spec)).stack.services[name]!;
    expect(j.deploy.restart_policy).toEqual({ condition: 'on-failure', delay: '5s', max_attempts: 1 });
    expect(j.ports).toBeUndefined();
    const worker = await fixtureSpec('go-worker');
    const w = (await stackOf(worker.root, worker.spec)).stack.services[Object.keys(worker.spec.services)[0]!]!;
    expect(w.deploy.restart_policy.condition).toBe('any');
  });

  it('an app that reads its database password from a file mounts the same versioned Swarm secret as the database', async () => {
    const { root, spec } = await fixtureSpec('wiring-node-split-hardcoded');
    const app = Object.keys(spec.services)[0]!;
    const { stack } = await stackOf(root, spec);
    expect(stack.services[app]!.environment).toMatchObject({ DATABASE_PASSWORD: '/run/secrets/postgres-password' });
    expect(stack.services[app]!.secrets).toEqual(['postgres-password']);
    expect(stack.services.postgres!.secrets).toContain('postgres-password');
    expect(stack.secrets!['postgres-password']).toMatchObject({ external: true });
  });

  it('routingMesh: false → DNS round robin, host-mode ports, stop-first only where a host port is held', async () => {
    const { root, spec } = await fixtureSpec('python-django-postgres-celery', (s) => (s.swarm = { routingMesh: false }));
    const { stack } = await stackOf(root, spec);
    const web = stack.services['python-django-postgres-celery']!;
    const worker = stack.services['python-django-postgres-celery-worker']!;
    for (const s of Object.values(stack.services)) expect(s.deploy.endpoint_mode).toBe('dnsrr');
    expect(web.ports).toEqual([{ target: 8000, published: 8000, protocol: 'tcp', mode: 'host' }]);
    expect(web.deploy.update_config.order).toBe('stop-first');
    expect(worker.ports).toBeUndefined();
    expect(worker.deploy.update_config.order).toBe('start-first');
  });

  it('the deploy variables are exactly the ones the file interpolates', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    const ctx = swarmContext(spec, root, { overrides: {} });
    const { text } = await stackOf(root, spec);
    const used = new Set([...text.replace(/^#.*$/gm, '').matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    expect(ctx.deployVars).toEqual([...used].sort());
    expect(ctx.deployVars).toEqual(expect.arrayContaining(['TAG', 'REGISTRY', 'SESSION_SECRET', 'POSTGRES_PASSWORD_VERSION', 'REDIS_PASSWORD_VERSION']));
  });

  it('a spec registry is written into image names (no REGISTRY variable then)', async () => {
    const { root, spec } = sample('python-stdlib-api', (s) => (s.ci = { registry: 'ghcr.io/acme' }));
    const { stack } = await stackOf(root, spec);
    expect(stack.services.api!.image).toMatch(/^ghcr\.io\/acme\/pyapi:\$\{TAG:\?/);
    expect(swarmContext(spec, root, { overrides: {} }).deployVars).not.toContain('REGISTRY');
  });
});

describe('render warnings for what Swarm cannot express', () => {
  const base = (patch: (s: SpecInput) => void = () => undefined): Spec => {
    const input: SpecInput = structuredClone(SAMPLES.find((s) => s.name === 'node-express-pg-redis')!.spec);
    input.targets = ['compose', 'swarm'];
    patch(input);
    return withSpecDefaults(input);
  };
  const fields = (spec: Spec) => swarmWarnings(spec).map((w) => w.field);

  it('each names the field and what to do', () => {
    const ws = swarmWarnings(base());
    expect(ws.length).toBeGreaterThan(0);
    for (const w of ws) {
      expect(w.target).toBe('swarm');
      expect(w.field).toMatch(/^(services|backingServices|observability|proxy)/);
      expect(w.message.length).toBeGreaterThan(20);
      expect(w.hint).toMatch(/^[A-Z]/);
    }
  });

  it('depends_on conditions: warned only for services that depend on something', () => {
    expect(fields(base())).toContain('services.api.dependsOn');
    expect(fields(base((s) => (s.services.api!.dependsOn = [])))).not.toContain('services.api.dependsOn');
  });

  it('published ports: every interface with the mesh; host mode and stop-first without it; replicas that cannot fit one node', () => {
    const mesh = swarmWarnings(base()).find((w) => w.field === 'services.api.publish')!;
    expect(mesh.message).toMatch(/every interface of every node/);
    const host = swarmWarnings(base((s) => (s.swarm = { routingMesh: false }))).find((w) => w.field === 'services.api.publish')!;
    expect(host.message).toMatch(/host mode.*stop-first/);
    expect(fields(base((s) => (s.swarm = { routingMesh: false })))).not.toContain('services.api.replicas');
    expect(fields(base((s) => ((s.swarm = { routingMesh: false }), (s.services.api!.replicas = 2))))).toContain('services.api.replicas');
    expect(fields(base((s) => (s.services.api!.publish = null)))).not.toContain('services.api.publish');
  });

  it('node-local volumes, observability and the proxy', () => {
    expect(fields(base())).toEqual(expect.arrayContaining(['backingServices.postgres.persistence', 'backingServices.redis.persistence']));
    expect(fields(base((s) => (s.backingServices!.redis!.persistence = false)))).not.toContain('backingServices.redis.persistence');
    expect(fields(base())).toContain('observability');
    expect(fields(base((s) => (s.observability = { prometheus: false, grafana: false })))).not.toContain('observability');
    expect(fields(base((s) => (s.proxy = { kind: 'caddy' })))).toContain('proxy.kind');
  });

  it('reach the tree (and so `render` and `init` print them)', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    const { warnings } = await stackOf(root, spec);
    expect(warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^swarm: services\.api\.dependsOn: .*\| Make api retry/)]));
  });
});

describe('targets in the spec', () => {
  const spec = (targets: string) => `version: 1\nname: a\ntargets: ${targets}\nservices:\n  web: {path: ., language: node, port: 3000}\n`;
  it('validate refuses a list without compose, naming the line and the fix', () => {
    const r = validateSpecText(spec('[swarm]'), 'stackgen.yaml');
    expect(r.errors).toEqual([expect.objectContaining({ path: 'targets', line: 3, message: expect.stringMatching(/`compose` must stay in targets/), hint: 'Write `targets: [compose, swarm]`.' })]);
  });
  it('validate refuses unknown and repeated targets', () => {
    expect(validateSpecText(spec('[compose, helm]'), 'stackgen.yaml').errors[0]).toMatchObject({ path: 'targets[1]', message: expect.stringMatching(/must be one of: compose, swarm, kubernetes/) });
    expect(validateSpecText(spec('[compose, swarm, swarm]'), 'stackgen.yaml').errors[0]).toMatchObject({ path: 'targets[2]' });
  });
  it('defaults to compose alone', () => {
    const r = validateSpecText(`version: 1\nname: a\nservices:\n  web: {path: ., language: node, port: 3000}\n`, 'stackgen.yaml');
    expect(r.errors).toEqual([]);
    expect(r.spec!.targets).toEqual(['compose']);
    expect(r.spec!.swarm).toEqual({ routingMesh: true });
  });
});

/** A docker client with `stack config` (the 20.10 client lacks it). */
function stackConfigCli(): string | null {
  for (const bin of ['docker', '/usr/local/bin/docker', '/usr/bin/docker']) {
    const r = spawnSync(bin, ['stack', 'config', '--help'], { encoding: 'utf8' });
    if (r.status === 0 && /compose-file/.test(r.stdout)) return bin;
  }
  return null;
}
const stackCli = stackConfigCli();

describe.skipIf(!stackCli)(`docker stack config reads the rendered files (${stackCli ?? 'no docker client with `stack config`: skipped'})`, () => {
  const check = async (root: string, spec: Spec) => {
    fs.writeFileSync(path.join(root, 'compose.swarm.yaml'), (await stackOf(root, spec)).text);
    const vars = swarmContext(spec, root, { overrides: {} }).deployVars;
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: root, ...Object.fromEntries(vars.map((v) => [v, 'ci-check'])) };
    const ok = await run(stackCli!, ['stack', 'config', '--compose-file', 'compose.swarm.yaml'], { cwd: root, env });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const parsed = parseYaml(ok.stdout) as StackFile;
    expect(Object.keys(parsed.services).sort()).toEqual(Object.keys((parseYaml(fs.readFileSync(path.join(root, 'compose.swarm.yaml'), 'utf8')) as StackFile).services).sort());
    // Without the deploy variables the file says which one is missing and what to do.
    const { TAG: _tag, ...noTag } = env;
    const bad = await run(stackCli!, ['stack', 'config', '--compose-file', 'compose.swarm.yaml'], { cwd: root, env: noTag });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/TAG.*set TAG to the image tag CI pushed/);
  };
  it('sample node + postgres + redis', async () => {
    const { root, spec } = sample('node-express-pg-redis');
    await check(root, spec);
  });
  it('Django web + Celery worker, routing mesh off', async () => {
    const { root, spec } = await fixtureSpec('python-django-postgres-celery', (s) => (s.swarm = { routingMesh: false }));
    await check(root, spec);
  });
});
