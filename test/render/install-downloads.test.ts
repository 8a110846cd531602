/**
 * Install steps skip binary downloads nothing in the image runs (test browsers, app shells), and keep
 * those of a runtime dependency — as a user sees it in the rendered Dockerfile. Also: a Bun service
 * whose start command names `node` runs with bun (the Bun image has no node).
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { render } from '../../src/render/render.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { type RepoFiles, tempRepo } from '../helpers/temp-repo.js';

async function dockerfileOf(files: RepoFiles, file = 'Dockerfile'): Promise<string> {
  const dir = tempRepo(files, 'sg-dl-');
  const tree = await render(fixtureSpec(await detect(dir), 'app'), { rootDir: dir });
  return tree.read(file)!;
}

const server = "const express = require('express');\nexpress().get('/health', (q, r) => r.send('ok')).listen(3000);\n";

describe('binary downloads in install steps', () => {
  it('dev-only Cypress, Puppeteer, Playwright and Electron: their documented switches, in the dependency stages only', async () => {
    const df = await dockerfileOf({
      'package.json': { name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '^4' }, devDependencies: { cypress: '^13', puppeteer: '^23', '@playwright/test': '^1.40', electron: '^33' } },
      'package-lock.json': '{"lockfileVersion":3}',
      'server.js': server,
    });
    const deps = df.slice(df.indexOf('FROM base AS deps'), df.indexOf('FROM deps AS dev-deps'));
    for (const kv of ['CYPRESS_INSTALL_BINARY=0', 'PUPPETEER_SKIP_DOWNLOAD=true', 'PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=true', 'PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1', 'ELECTRON_SKIP_BINARY_DOWNLOAD=1']) expect(deps).toContain(kv);
    // The runtime stage starts FROM base, not from deps: none of the switches is in the shipped image.
    const runtime = df.slice(df.indexOf('FROM base AS runtime'));
    expect(runtime).not.toMatch(/CYPRESS|PUPPETEER|PLAYWRIGHT|ELECTRON/);
  });

  it('a runtime dependency keeps its download, and the Dockerfile says what it fetches', async () => {
    const df = await dockerfileOf({
      'package.json': { name: 'pdf', scripts: { start: 'node server.js' }, dependencies: { express: '^4', puppeteer: '^23' }, devDependencies: { cypress: '^13' } },
      'package-lock.json': '{"lockfileVersion":3}',
      'server.js': server,
    });
    expect(df).not.toContain('PUPPETEER_SKIP');
    expect(df).toContain('# Kept: puppeteer (a runtime dependency: its install downloads Chrome for Puppeteer).');
    expect(df).toContain('ENV CYPRESS_INSTALL_BINARY=0');
  });

  it('a workspace member: tools in the root or another member count too', async () => {
    const df = await dockerfileOf({
      'package.json': { name: 'mono', private: true, workspaces: ['apps/*'], devDependencies: { nx: '20.0.0' } },
      'package-lock.json': '{"lockfileVersion":3}',
      'nx.json': '{}',
      'apps/api/package.json': { name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } },
      'apps/api/server.js': server,
      'apps/api-e2e/package.json': { name: 'api-e2e', devDependencies: { cypress: '^13' } },
    }, 'apps/api/Dockerfile');
    expect(df).toContain('ENV CYPRESS_INSTALL_BINARY=0');
  });

  it('a project without such tools gets no switches', async () => {
    const df = await dockerfileOf({ 'package.json': { name: 'app', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }, 'server.js': server });
    expect(df).not.toMatch(/CYPRESS|PUPPETEER|PLAYWRIGHT|ELECTRON/);
  });
});

describe('Bun', () => {
  it('a start command that names node runs with bun: the image has no node', async () => {
    const df = await dockerfileOf({
      'package.json': { name: 'b', scripts: { build: 'tsc', start: 'node dist/index.js' }, dependencies: { hono: '^4' } },
      'bun.lock': '{}',
      'src/index.ts': "import { Hono } from 'hono';\nconst app = new Hono();\napp.get('/health', (c) => c.text('ok'));\nexport default { port: 3000, fetch: app.fetch };\n",
    });
    expect(df).toMatch(/FROM oven\/bun/);
    expect(df).toContain('CMD ["bun","dist/index.js"]');
    expect(df).not.toMatch(/CMD \["node"/);
    expect(df).toContain('ENV PATH=/app/node_modules/.bin:$PATH');
  });
});
