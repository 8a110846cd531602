/**
 * `stackgen/testing` used the way a user's own test would: both entries imported by package name
 * (the package's self-reference resolves them to dist/, as node_modules would), a fixture app
 * rendered with the library, its stack started through testcontainers, an HTTP request to the app's
 * published port, and nothing of the project left after `down()`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeDocker, HOST_CA_BUNDLE, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';

// Computed specifiers: Node resolves them (package self-reference), not the test runner's bundler.
const library = 'stackgen';
const testing = 'stackgen/testing';
type Library = typeof import('../../src/index.js');
type Testing = typeof import('../../src/testing/index.js');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function renderedFixture(name: string): Promise<string> {
  const { detect, specFromTopology, stringifySpec, loadSpec, generate } = (await import(/* @vite-ignore */ library)) as Library;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sg-testing-${name}-`));
  dirs.push(dir);
  fs.cpSync(path.join(FIXTURES_DIR, name), dir, { recursive: true });
  const spec = specFromTopology(await detect(dir), { name: 'orders' });
  fs.writeFileSync(path.join(dir, 'stackgen.yaml'), stringifySpec(spec));
  await generate(loadSpec(path.join(dir, 'stackgen.yaml')).spec, { rootDir: dir });
  return dir;
}

describeDocker('stackgen/testing', () => {
  it('the entry resolves by package name to the built files', async () => {
    const mod = (await import(/* @vite-ignore */ testing)) as Testing;
    expect(typeof mod.startStack).toBe('function');
    // Node's own resolution, from inside the package as from a project that installed it.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(testing)}))`], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(pathToFileURL(path.join(REPO_ROOT, 'dist/testing/index.js')).href);
  });

  it('starts a rendered app + postgres + redis stack, serves HTTP on the published port, and leaves nothing after down()', async () => {
    const { startStack, leftovers } = (await import(/* @vite-ignore */ testing)) as Testing;
    const dir = await renderedFixture('node-express-pg-redis');
    const stack = await startStack(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE });
    const project = stack.project;
    try {
      const app = Object.keys(stack.spec.services)[0]!;
      expect(stack.host(app)).toMatch(/^(localhost|127\.0\.0\.1)$/);
      const port = stack.port(app);
      expect(port).not.toBe(stack.spec.services[app]!.port); // an ephemeral host port, not the fixed one
      const health = await fetch(stack.url(app, '/health'));
      expect(health.status).toBe(200);
      // /orders reads postgres: the backing services are up and wired, not just the app.
      const orders = await fetch(stack.url(app, '/orders'));
      expect(orders.status).toBe(200);
      expect(await orders.text()).toContain('count');
      expect(await leftovers(project)).not.toEqual({ containers: 0, networks: 0, volumes: 0 });
    } finally {
      await stack.down();
    }
    expect(await leftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    await stack.down(); // twice is harmless
  });

  it('a stack that cannot build fails with the build log and cleans up', async () => {
    const { startStack, leftovers } = (await import(/* @vite-ignore */ testing)) as Testing;
    const dir = await renderedFixture('node-express-pg-redis');
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').replace(/^RUN /m, 'RUN exit 3\nRUN '));
    const project = `stackgen-test-broken-${process.pid}`;
    await expect(startStack(dir, { imageMap: OFFLINE_IMAGE_MAP, caBundle: HOST_CA_BUNDLE, projectName: project })).rejects.toThrow(/did not build/);
    expect(await leftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });
});
