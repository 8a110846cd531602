import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { nodeProvider, normalizeNodeVersion } from '../../../src/detect/providers/node.js';
import { SourceView } from '../../../src/source/source-view.js';
import { type RepoFiles, tempRepo } from '../../helpers/temp-repo.js';

const write = (files: RepoFiles) => tempRepo(files, 'sg-node-');
const detectFiles = (files: RepoFiles) => detect(write(files));
/** The Node provider's own candidates, libraries and workspace roots included (the assembly drops those). */
async function candidates(files: RepoFiles) {
  return nodeProvider.detect(await SourceView.open(write(files)));
}

const expressServer = (port = 'process.env.PORT || 3000') => `const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.json({ ok: true }));\napp.listen(${port});\n`;

describe('runtime versions', () => {
  it.each([
    ['20', '20'],
    ['v20.11.1', '20.11.1'],
    ['20.x', '20'],
    ['lts/iron', '20'],
    ['>=18', '18'],
    ['>=18.17 <23', '18'],
    ['^18 || ^20', '18'],
    ['>16', '17'],
    ['18 - 20', '18'],
  ])('%s → %s', (raw, want) => {
    expect(normalizeNodeVersion(raw)?.version).toBe(want);
  });

  it('says when a range or lts/* was read as a major', () => {
    expect(normalizeNodeVersion('>=18')?.note).toMatch(/lowest major/);
    expect(normalizeNodeVersion('lts/*')?.note).toMatch(/lts\/\*/);
    expect(normalizeNodeVersion('node')).toBeUndefined();
  });

  it('takes an engines range from the package and explains it in the evidence', async () => {
    const t = await detectFiles({ 'package.json': { name: 'svc', scripts: { start: 'node server.js' }, engines: { node: '>=18.0.0' }, dependencies: { express: '^4' } }, 'server.js': expressServer() });
    expect(t.services[0]!.runtimeVersion).toBe('18');
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', signal: expect.stringMatching(/engines\.node >=18\.0\.0 \(lowest major/) }));
  });

  it("raises an engines range to the major the locked dependencies need (pnpm-lock.yaml and package-lock.json record their engines)", async () => {
    const pkg = { name: 'svc', scripts: { start: 'node server.js' }, engines: { node: '^18.17.0 || ^20.3.0 || >=21.0.0' }, dependencies: { express: '^4' }, devDependencies: { undici: '*' } };
    const pnpmLock = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      express:\n        specifier: ^4\n        version: 4.21.2\n    devDependencies:\n      undici:\n        specifier: '*'\n        version: 8.14.0\n\npackages:\n\n  express@4.21.2:\n    resolution: {integrity: sha512-x}\n    engines: {node: '>= 0.10.0'}\n\n  undici@8.14.0:\n    resolution: {integrity: sha512-y}\n    engines: {node: '>=22.19.0'}\n";
    const pnpm = await detectFiles({ 'package.json': pkg, 'pnpm-lock.yaml': pnpmLock, 'server.js': expressServer() });
    expect(pnpm.services[0]!.runtimeVersion).toBe('22');
    expect(pnpm.services[0]!.evidence).toContainEqual(expect.objectContaining({ signal: expect.stringMatching(/raised to Node 22 by the locked undici \(engines\.node >=22\.19\.0, pnpm-lock\.yaml\)/) }));
    const npmLock = { lockfileVersion: 3, packages: { '': { name: 'svc' }, 'node_modules/express': { version: '4.21.2', engines: { node: '>= 0.10.0' } }, 'node_modules/undici': { version: '8.14.0', dev: true, engines: { node: '>=22.19.0' } } } };
    const npm = await detectFiles({ 'package.json': pkg, 'package-lock.json': npmLock, 'server.js': expressServer() });
    expect(npm.services[0]!.runtimeVersion).toBe('22');
    // Never past what the project's own range allows: ">=18 <21" stays on 18.
    const capped = await detectFiles({ 'package.json': { ...pkg, engines: { node: '>=18 <21' } }, 'package-lock.json': npmLock, 'server.js': expressServer() });
    expect(capped.services[0]!.runtimeVersion).toBe('18');
  });

  it('prefers .nvmrc over engines', async () => {
    const t = await detectFiles({ '.nvmrc': 'v22.11.0\n', 'package.json': { name: 'svc', scripts: { start: 'node server.js' }, engines: { node: '>=18' } }, 'server.js': expressServer() });
    expect(t.services[0]!.runtimeVersion).toBe('22.11.0');
  });
});

describe('package managers', () => {
  it('the packageManager field wins over a lockfile, and its version is evidence', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', packageManager: 'pnpm@9.12.3', scripts: { start: 'node server.js' } },
      'package-lock.json': { lockfileVersion: 3, packages: {} },
      'server.js': expressServer(),
    });
    const s = t.services[0]!;
    expect(s.packageManager).toBe('pnpm');
    expect(s.evidence).toContainEqual({ file: 'package.json', line: 3, signal: 'packageManager pnpm@9.12.3' });
    // The lockfile belongs to another manager: installs cannot be frozen against it.
    expect(s.commands.install).toBe('pnpm install');
  });

  it('tells yarn berry (lockfile __metadata) from classic', async () => {
    const berry = await detectFiles({ 'package.json': { name: 'b', scripts: { start: 'node server.js' } }, 'yarn.lock': '__metadata:\n  version: 8\n  cacheKey: 10c0\n', 'server.js': expressServer() });
    expect(berry.services[0]!.commands.install).toBe('yarn install --immutable');
    const classic = await detectFiles({ 'package.json': { name: 'c', scripts: { start: 'node server.js' } }, 'yarn.lock': '# yarn lockfile v1\n\n', 'server.js': expressServer() });
    expect(classic.services[0]!.commands.install).toBe('yarn install --frozen-lockfile');
  });

  it('uses npm ci only with a lockfile', async () => {
    const t = await detectFiles({ 'package.json': { name: 'svc', scripts: { start: 'node server.js' } }, 'server.js': expressServer() });
    expect(t.services[0]!.commands.install).toBe('npm install');
  });
});

describe('workspaces', () => {
  it('members inherit the root lockfile, manager and version pin; shared packages and the root are no services', async () => {
    const files = {
      'package.json': { name: 'mono', private: true, workspaces: ['apps/*', 'packages/*'], packageManager: 'yarn@1.22.22', scripts: { start: 'yarn workspace @acme/api start', build: 'yarn workspaces run build' }, engines: { node: '^20.10.0' } },
      'yarn.lock': '# yarn lockfile v1\n',
      'apps/api/package.json': { name: '@acme/api', scripts: { build: 'tsc', start: 'node dist/index.js' }, dependencies: { express: '^4' } },
      'apps/api/src/index.ts': expressServer("Number(process.env.PORT ?? 4000)"),
      'packages/utils/package.json': { name: '@acme/utils', main: 'index.js' },
      'packages/utils/index.js': 'module.exports = { add: (a, b) => a + b };\n',
    };
    const t = await detectFiles(files);
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({
      name: 'api', path: 'apps/api', packageManager: 'yarn', runtimeVersion: '20', port: 4000,
      commands: { install: 'yarn install --frozen-lockfile', build: 'yarn workspace @acme/api run build', start: 'node dist/index.js' },
    });
    const roles = Object.fromEntries((await candidates(files)).map((c) => [c.path, c.role]));
    expect(roles).toEqual({ '.': 'workspace', 'apps/api': 'web', 'packages/utils': 'library' });
  });

  it('builds members with pnpm --filter, npm -w, or turbo when the repo uses Turborepo', async () => {
    const member = { name: '@x/web', scripts: { build: 'tsc', start: 'node dist/server.js' }, dependencies: { fastify: '^5' } };
    const server = "import Fastify from 'fastify';\nconst app = Fastify();\nawait app.listen({ port: 3000 });\n";
    const pnpm = await detectFiles({ 'package.json': { name: 'r', private: true }, 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n", 'apps/web/package.json': member, 'apps/web/src/server.ts': server });
    expect(pnpm.services[0]!.commands).toMatchObject({ install: 'pnpm install --frozen-lockfile', build: 'pnpm --filter @x/web run build' });
    const npm = await detectFiles({ 'package.json': { name: 'r', workspaces: ['apps/*'] }, 'apps/web/package.json': member, 'apps/web/src/server.ts': server });
    expect(npm.services[0]!.commands.build).toBe('npm run build -w @x/web');
    const turbo = await detectFiles({ 'package.json': { name: 'r', workspaces: ['apps/*'], devDependencies: { turbo: '^2' } }, 'turbo.json': '{}', 'apps/web/package.json': member, 'apps/web/src/server.ts': server });
    expect(turbo.services[0]!.commands.build).toBe('turbo run build --filter=@x/web');
  });

  it("a member that runs a build tool the root declares (excalidraw-app: `vite build`, vite hoisted to the root) is that tool's static site", async () => {
    const t = await detectFiles({
      'package.json': { private: true, workspaces: ['excalidraw-app', 'packages/*'], devDependencies: { vite: '5.0.12', '@vitejs/plugin-react': '3.1.0' } },
      'yarn.lock': '# yarn lockfile v1\n',
      'excalidraw-app/package.json': { name: 'excalidraw-app', scripts: { 'build:app': 'cross-env VITE_APP_ENABLE_TRACKING=true vite build', build: 'yarn build:app', start: 'yarn && vite' }, dependencies: { react: '19.0.0' } },
      'excalidraw-app/index.html': '<!doctype html><div id="root"></div><script type="module" src="./index.tsx"></script>\n',
      'excalidraw-app/index.tsx': "import { createRoot } from 'react-dom/client';\n",
      'excalidraw-app/vite.config.mts': 'export default { build: { outDir: "build" } };\n',
      'packages/common/package.json': { name: '@excalidraw/common', main: 'src/index.ts' },
    });
    const app = t.services.find((s) => s.path === 'excalidraw-app')!;
    expect(app).toMatchObject({ role: 'static', framework: 'vite', staticDir: 'build' });
    expect(app.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', signal: expect.stringMatching(/`vite` of the workspace root/) }));
  });

  it('a root that is itself an app stays a service', async () => {
    const t = await detectFiles({
      'package.json': { name: 'site', workspaces: ['packages/*'], scripts: { start: 'node server.js' }, dependencies: { express: '^4' } },
      'server.js': expressServer(),
      'packages/ui/package.json': { name: 'ui' },
    });
    expect(t.services.map((s) => [s.name, s.path])).toEqual([['site', '.']]);
  });

  it('a folder with its own package.json is not read as part of its parent', async () => {
    const t = await detectFiles({
      'package.json': { name: 'client', scripts: { build: 'vite build' }, devDependencies: { vite: '^6' } },
      'index.html': '<div id="app"></div>',
      'server/package.json': { name: 'server', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } },
      'server/index.js': expressServer('5000'),
    });
    expect(t.services.find((s) => s.name === 'client')).toMatchObject({ role: 'static', framework: 'vite', port: null, commands: { start: null } });
    expect(t.services.find((s) => s.name === 'server')).toMatchObject({ port: 5000, framework: 'express' });
  });

  // create-nx-workspace --preset=react-standalone: nx.json and the app's own project.json at the root.
  const nxStandalone = (extra: RepoFiles = {}) => ({
    'package.json': { name: '@nx-react/source', private: true, scripts: { start: 'nx serve', build: 'nx build', test: 'nx test' }, dependencies: { react: '^19' }, devDependencies: { nx: '22.0.4', '@nx/vite': '22.0.4', vite: '^7', cypress: '^14.2.1' } },
    'package-lock.json': '{}',
    'nx.json': '{ "plugins": [{ "plugin": "@nx/vite/plugin", "options": { "buildTargetName": "build" } }] }\n',
    'index.html': '<div id="root"></div><script type="module" src="/src/main.tsx"></script>\n',
    'vite.config.ts': "import { defineConfig } from 'vite';\nexport default defineConfig(() => ({ build: { outDir: './dist/nx-react' } }));\n",
    'src/main.tsx': "import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')!).render(null);\n",
    ...extra,
  });

  it('an Nx standalone app: `nx build` builds its own project (project.json at the root), `nx serve` is a dev server', async () => {
    const t = await detectFiles(nxStandalone({ 'project.json': '{ "name": "nx-react", "sourceRoot": "./src", "projectType": "application", "targets": {} }\n' }));
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ role: 'static', framework: 'vite', staticDir: 'dist/nx-react', commands: { build: 'npm run build', start: null } });
    expect(t.services[0]!.evidence.map((e) => e.signal)).not.toContain('start script `nx serve`');
  });

  it('an Nx repository without a root project: `nx build` builds other projects, the root is a workspace', async () => {
    const c = await candidates(nxStandalone());
    expect(c[0]).toMatchObject({ role: 'workspace' });
  });
});

describe('a static build that writes into another folder', () => {
  it('a Vite SPA whose outDir is another service\'s folder is no service of its own; the warning names the config line and what to do', async () => {
    const t = await detectFiles({
      'backend/requirements.txt': 'fastapi\nuvicorn\n',
      'backend/app/__init__.py': '',
      'backend/app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
      'frontend/package.json': { name: 'frontend', private: true, scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6.0.0' } },
      'frontend/index.html': '<div id="root"></div>\n',
      'frontend/vite.config.ts': 'import { defineConfig } from "vite"\n\nexport default defineConfig({\n  build: {\n    outDir: "../backend/app/frontend",\n    emptyOutDir: true,\n  },\n})\n',
    });
    expect(t.services.map((s) => [s.path, s.role ?? 'web'])).toEqual([['backend', 'web']]);
    const w = t.warnings.find((x) => x.file === 'frontend/vite.config.ts');
    expect(w).toMatchObject({ line: 5 });
    expect(w!.message).toContain('"../backend/app/frontend"');
    expect(w!.message).toContain('into backend/');
    expect(w!.message).toContain('dockerfile.path');
    // Not the generic "ignored the output folder" of an unsafe value: this one is understood.
    expect(t.warnings.some((x) => x.message.includes('ignored the output folder'))).toBe(false);
  });

  it('an outDir inside the package keeps the static site', async () => {
    const t = await detectFiles({
      'package.json': { name: 'spa', scripts: { build: 'vite build' }, devDependencies: { vite: '^6.0.0' } },
      'index.html': '<div id="root"></div>\n',
      'vite.config.ts': 'export default { build: { outDir: "./dist/app" } }\n',
    });
    expect(t.services.map((s) => [s.role, s.staticDir])).toEqual([['static', 'dist/app']]);
  });
});

describe('an Nx standalone Node app (create-nx-workspace --preset=node-standalone)', () => {
  const nxNode = (build: object, extra: RepoFiles = {}) => ({
    'package.json': { name: '@api/source', private: true, scripts: { start: 'nx serve', build: 'nx build', test: 'nx test' }, dependencies: { express: '~4.18.1' }, devDependencies: { nx: '17.2.6', '@nx/esbuild': '17.2.6', '@nx/js': '17.2.6', '@nx/node': '17.2.6' } },
    'package-lock.json': '{}',
    'nx.json': '{ "targetDefaults": { "build": { "cache": true } } }\n',
    'project.json': { name: 'api', sourceRoot: 'src', projectType: 'application', targets: { build, serve: { executor: '@nx/js:node', options: { buildTarget: 'api:build' } } } },
    'src/main.ts': "import express from 'express';\n\nconst app = express();\nconst PORT = process.env.PORT || 3000;\napp.listen(PORT, () => console.info(`up on ${PORT}`));\n",
    ...extra,
  });
  const esbuild = { executor: '@nx/esbuild:esbuild', options: { platform: 'node', outputPath: 'dist/api', format: ['cjs'], bundle: false, main: 'src/main.ts', tsConfig: 'tsconfig.app.json' } };

  it('esbuild: `nx build`, then node runs <outputPath>/main.js; named after the Nx project; port from the code', async () => {
    const t = await detectFiles(nxNode(esbuild));
    expect(t.services.map((s) => [s.name, s.path, s.role ?? 'web', s.framework, s.commands.build, s.commands.start, s.port])).toEqual([['api', '.', 'web', 'express', 'npm run build', 'node dist/api/main.js', 3000]]);
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'project.json', signal: expect.stringContaining('@nx/esbuild:esbuild') }));
  });

  it.each([
    ['@nx/webpack:webpack for node', { executor: '@nx/webpack:webpack', options: { target: 'node', compiler: 'tsc', outputPath: 'dist/apps/api', main: 'src/main.ts' } }, 'node dist/apps/api/main.js'],
    ['@nx/js:tsc keeps the source layout', { executor: '@nx/js:tsc', options: { outputPath: 'dist/api', main: 'src/main.ts' } }, 'node dist/api/src/main.js'],
    ['@nx/js:tsc with rootDir src', { executor: '@nx/js:tsc', options: { outputPath: 'dist/api', main: 'src/main.ts', rootDir: 'src' } }, 'node dist/api/main.js'],
    ['outputFileName wins', { executor: '@nx/js:swc', options: { outputPath: '{workspaceRoot}/dist/api', main: '{projectRoot}/src/main.ts', outputFileName: 'server.js' } }, 'node dist/api/server.js'],
  ])('%s', async (_shape, build, start) => {
    const t = await detectFiles(nxNode(build));
    expect(t.services.map((s) => s.commands.start)).toEqual([start]);
  });

  it('no build script: the image runs Nx\'s own build', async () => {
    const files = nxNode(esbuild);
    const t = await detectFiles({ ...files, 'package.json': { ...(files['package.json'] as object), scripts: { start: 'nx serve' } } });
    expect(t.services.map((s) => s.commands.build)).toEqual(['npx --no-install nx build']);
  });

  it('a browser build (webpack\'s default target) or a library project starts nothing', async () => {
    const web = await candidates(nxNode({ executor: '@nx/webpack:webpack', options: { outputPath: 'dist/web', main: 'src/main.ts' } }));
    expect(web[0]).toMatchObject({ role: 'workspace' });
    const files = nxNode(esbuild);
    const lib = await candidates({ ...files, 'project.json': { ...(files['project.json'] as object), projectType: 'library' } });
    expect(lib[0]).toMatchObject({ role: 'workspace' });
  });

  it('a Prisma schema moved by package.json\'s `prisma.schema` names the database', async () => {
    const files = nxNode(esbuild, { 'src/prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' });
    const t = await detectFiles({ ...files, 'package.json': { ...(files['package.json'] as object), prisma: { schema: 'src/prisma/schema.prisma' }, dependencies: { express: '~4.18.1', '@prisma/client': '^4.16.1' } } });
    expect(t.backingServices.map((b) => [b.kind, b.evidence[0]?.file])).toEqual([['postgres', 'src/prisma/schema.prisma']]);
  });
});

describe('a start that runs TypeScript through a require hook', () => {
  const nest = (start: string, extra: RepoFiles = {}) => ({
    'package.json': { name: 'api', scripts: { start, 'start:watch': 'nodemon', 'prestart:prod': 'tsc', 'start:prod': 'node dist/main.js' }, dependencies: { '@nestjs/core': '^10', '@nestjs/common': '^10', 'ts-node': '^10' } },
    'src/main.ts': "import { NestFactory } from '@nestjs/core';\nasync function bootstrap() {\n  const app = await NestFactory.create({});\n  await app.listen(3000);\n}\nbootstrap();\n",
    ...extra,
  });

  it.each([
    ['an index.js that loads ts-node/register', 'node index.js', { 'index.js': "require('ts-node/register');\nrequire('./src/main');\n" }],
    ['node -r ts-node/register', 'node -r ts-node/register src/main.ts', {}],
  ])('%s: the production sibling runs, built by its `pre` script', async (_shape, start, extra) => {
    const t = await detectFiles(nest(start, extra));
    expect(t.services.map((s) => [s.commands.build, s.commands.start, s.port])).toEqual([['npm run prestart:prod', 'node dist/main.js', 3000]]);
  });

  it('a plain node start keeps `start`', async () => {
    const t = await detectFiles(nest('node index.js', { 'index.js': "require('./dist/main');\n" }));
    expect(t.services.map((s) => s.commands.start)).toEqual(['node index.js']);
  });
});

describe('frameworks', () => {
  it('Docusaurus as create-docusaurus writes it (`start` is its dev server, `serve` its preview) is a static site built into build/', async () => {
    const t = await detectFiles({
      'package.json': { name: 'site', private: true, scripts: { docusaurus: 'docusaurus', start: 'docusaurus start', build: 'docusaurus build', serve: 'docusaurus serve' }, dependencies: { '@docusaurus/core': '3.10.2', '@docusaurus/preset-classic': '3.10.2', react: '^19.0.0' } },
      'docusaurus.config.js': "export default { title: 'My Site' };\n",
    });
    expect(t.services.map((s) => [s.role, s.commands.build, s.staticDir])).toEqual([['static', 'npm run build', 'build']]);
  });

  it('a dev-server `start` and a `serve` script that runs node (a Qwik City adapter): the container runs `serve`', async () => {
    const t = await detectFiles({
      'package.json': { name: 'qwik-app', private: true, type: 'module', scripts: { build: 'qwik build', dev: 'vite --mode ssr', start: 'vite --open --mode ssr', serve: 'node server/entry.node-server' }, devDependencies: { '@builder.io/qwik': '^1.20.1', '@builder.io/qwik-city': '^1.20.1', vite: '7.3.1' } },
      'src/entry.node-server.tsx': "import { createServer } from 'node:http';\nconst PORT = process.env.PORT ?? 3004;\ncreateServer(() => {}).listen(PORT);\n",
    });
    expect(t.services.map((s) => [s.commands.start, s.port])).toEqual([['node server/entry.node-server', 3004]]);
  });

  it('prefers the server framework used in source over one only declared', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', scripts: { start: 'node index.js' }, dependencies: { express: '^4', koa: '^2' } },
      'index.js': "const Koa = require('koa');\nconst app = new Koa();\napp.listen(3000);\n",
    });
    expect(t.services[0]!.framework).toBe('koa');
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'index.js', line: 1, signal: expect.stringContaining('koa used') }));
  });

  it('a declared-only framework is kept with less confidence than a used one', async () => {
    const pkg = { name: 'svc', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } };
    const used = await detectFiles({ 'package.json': pkg, 'index.js': expressServer() });
    const declared = await detectFiles({ 'package.json': pkg, 'index.js': "require('./lib');\n", 'lib.js': 'module.exports = 1;\n' });
    expect(declared.services[0]!.framework).toBe('express');
    expect(declared.services[0]!.confidence).toBeLessThan(used.services[0]!.confidence);
  });

  it('a type-only import is not usage', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', scripts: { start: 'node dist/main.js' }, dependencies: { express: '^4', '@nestjs/core': '^10' } },
      'src/main.ts': "import { NestFactory } from '@nestjs/core';\nimport type { Request } from 'express';\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000);\n",
    });
    expect(t.services[0]!.framework).toBe('nestjs');
    expect(t.services[0]!.evidence.some((e) => e.signal.includes('express used'))).toBe(false);
  });

  it.each([
    ['vite SPA', { 'package.json': { name: 'a', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6' } }, 'index.html': '<div></div>' }, { role: 'static', staticDir: 'dist', framework: 'vite' }],
    ['next static export', { 'package.json': { name: 'a', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15' } }, 'next.config.js': "module.exports = { output: 'export' };\n" }, { role: 'static', staticDir: 'out', framework: 'nextjs' }],
    ['nuxt ssr: false', { 'package.json': { name: 'a', scripts: { build: 'nuxt build', generate: 'nuxt generate' }, dependencies: { nuxt: '^3' } }, 'nuxt.config.ts': 'export default defineNuxtConfig({ ssr: false });\n' }, { role: 'static', staticDir: '.output/public', commands: { build: 'npm run generate' } }],
    ['sveltekit adapter-static', { 'package.json': { name: 'a', scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/kit': '^2', '@sveltejs/adapter-static': '^3' } } }, { role: 'static', staticDir: 'build', framework: 'sveltekit' }],
    ['qwik city static adapter', { 'package.json': { name: 'a', scripts: { build: 'qwik build', start: 'vite --open --mode ssr' }, devDependencies: { '@builder.io/qwik-city': '^1' } }, 'adapters/static/vite.config.ts': 'export default {};\n' }, { role: 'static', staticDir: 'dist', framework: 'qwik-city' }],
    ['astro without adapter', { 'package.json': { name: 'a', scripts: { build: 'astro build' }, dependencies: { astro: '^5' } } }, { role: 'static', staticDir: 'dist', framework: 'astro' }],
  ])('%s builds static files and has no start', async (_label, files, want) => {
    const t = await detectFiles(files);
    expect(t.services[0]).toMatchObject({ ...want, port: null, commands: { start: null } });
  });

  // create-expo-app's default template: no build script, `expo start` (Metro, a dev server) as start.
  const expoApp = (output: string, lock: Record<string, string> = { 'package-lock.json': '{}' }) => ({
    'package.json': { name: 'e', main: 'expo-router/entry', scripts: { start: 'expo start', web: 'expo start --web' }, dependencies: { expo: '~57.0.26', 'expo-router': '~57.0.24', react: '19.2.3', 'react-dom': '19.2.3', 'react-native': '0.86.3', 'react-native-web': '~0.21.0' } },
    'app.json': `{\n  "expo": {\n    "name": "e",\n    "web": {\n      "output": "${output}"\n    }\n  }\n}\n`,
    'src/app/index.tsx': 'export default function Home() { return null; }\n',
    ...lock,
  });

  it.each([
    ['npm', { 'package-lock.json': '{}' }, 'npx --no-install expo export -p web'],
    ['bun (its `bun run` shims node for the Expo CLI)', { 'bun.lock': '{}' }, 'bun run expo export -p web'],
  ])('an Expo app with web support exports static files without a build script (%s)', async (_pm, lock, build) => {
    const t = await detectFiles(expoApp('static', lock));
    expect(t.services[0]).toMatchObject({ role: 'static', framework: 'expo', staticDir: 'dist', port: null, commands: { build, start: null } });
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'app.json', line: 5, signal: 'Expo web (react-native-web, web.output static): `expo export -p web` writes dist' }));
  });

  it('an Expo app with server output (API routes) is not a static export', async () => {
    const t = await detectFiles(expoApp('server'));
    expect(t.services[0]!.role).not.toBe('static');
  });

  it.each([
    ['next', { 'package.json': { name: 'a', scripts: { build: 'next build', start: 'next start -p 4100' }, dependencies: { next: '15' } } }, { framework: 'nextjs', port: 4100, commands: { start: 'next start -p 4100' } }],
    ['astro with the node adapter', { 'package.json': { name: 'a', scripts: { build: 'astro build' }, dependencies: { astro: '^5', '@astrojs/node': '^9' } } }, { framework: 'astro', port: 4321, commands: { start: 'node ./dist/server/entry.mjs' } }],
    ['sveltekit adapter-node', { 'package.json': { name: 'a', scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/kit': '^2', '@sveltejs/adapter-node': '^5' } } }, { framework: 'sveltekit', port: 3000, commands: { start: 'node build' } }],
    ['angular with SSR', { 'package.json': { name: 'a', scripts: { build: 'ng build', 'serve:ssr:a': 'node dist/a/server/server.mjs' }, dependencies: { '@angular/core': '^18', '@angular/ssr': '^18' } } }, { framework: 'angular', port: 4000, commands: { start: 'node dist/a/server/server.mjs' } }],
    ['qwik city with the node-server adapter but no serve script', { 'package.json': { name: 'a', scripts: { build: 'qwik build', start: 'vite --open --mode ssr' }, devDependencies: { '@builder.io/qwik': '^1', '@builder.io/qwik-city': '^1' } }, 'adapters/node-server/vite.config.ts': 'export default {};\n' }, { framework: 'qwik-city', port: 3000, commands: { start: 'node server/entry.node-server' } }],
    ['qwik router (qwik 2) with the express adapter', { 'package.json': { name: 'a', scripts: { build: 'qwik build', serve: 'node server/entry.express' }, devDependencies: { '@qwik.dev/core': '^2', '@qwik.dev/router': '^2' } }, 'adapters/express/vite.config.ts': 'export default {};\n', 'src/entry.express.tsx': 'const PORT = process.env.PORT ?? 3005;\napp.listen(PORT);\n' }, { framework: 'qwik-city', port: 3005, commands: { start: 'node server/entry.express' } }],
  ])('%s runs a server', async (_label, files, want) => {
    const t = await detectFiles(files);
    expect(t.services[0]).toMatchObject({ ...want });
    expect(t.services[0]!.role).toBeUndefined();
  });

  it.each([
    [
      'SvelteKit on adapter-vercel (sveltejs/realworld)',
      { 'package.json': { name: 'rw', scripts: { build: 'vite build', preview: 'vite preview' }, devDependencies: { '@sveltejs/kit': '^2', '@sveltejs/adapter-vercel': '^6' } }, 'svelte.config.js': "import adapter from '@sveltejs/adapter-vercel';\nexport default { kit: { adapter: adapter() } };\n" },
      { file: 'svelte.config.js', line: 1, message: /adapter-vercel.*install @sveltejs\/adapter-node/ },
    ],
    [
      'Astro server output on the Netlify adapter',
      { 'package.json': { name: 'site', scripts: { build: 'astro build' }, dependencies: { astro: '^5', '@astrojs/netlify': '^6' } }, 'astro.config.mjs': "import netlify from '@astrojs/netlify';\nexport default { output: 'server', adapter: netlify() };\n" },
      { file: 'astro.config.mjs', line: 1, message: /@astrojs\/netlify.*install @astrojs\/node/ },
    ],
    [
      'an Expo app without react-native-web (create-t3-turbo apps/expo)',
      { 'package.json': { name: 'mobile', main: 'index.ts', scripts: { dev: 'expo start', android: 'expo run:android' }, dependencies: { expo: '~54.0.0', 'react-native': '0.81.5', react: '19.1.0' } }, 'index.ts': "import 'expo-router/entry';\n" },
      { file: 'package.json', message: /a mobile app.*EAS/ },
    ],
  ])('%s has no server a container runs: no service, and a warning that says why and what to do', async (_label, files, want) => {
    const t = await detectFiles(files as RepoFiles);
    expect(t.services).toEqual([]);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: want.file, ...('line' in want ? { line: want.line } : {}), message: expect.stringMatching(want.message) }));
  });
});

describe('ports, health, metrics and backing services', () => {
  it('an explicit listen wins over a database config port', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4', pg: '^8' } },
      'src/db.js': "module.exports = { host: 'localhost', port: 5432 };\n",
      'src/index.js': "const express = require('express');\nconst app = express();\nconst PORT = process.env.PORT ?? 8080;\napp.get('/healthz', (q, r) => r.send('ok'));\napp.listen(PORT);\n",
    });
    expect(t.services[0]).toMatchObject({ port: 8080, healthPath: '/healthz', backingServices: ['postgres'] });
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'src/index.js', line: 3 }));
  });

  it('reads express-generator bin/www', async () => {
    const t = await detectFiles({
      'package.json': { name: 'gen', scripts: { start: 'node ./bin/www' }, dependencies: { express: '~4.16.1' } },
      'app.js': "var express = require('express');\nvar app = express();\nmodule.exports = app;\n",
      'bin/www': "var app = require('../app');\nvar http = require('http');\nvar port = normalizePort(process.env.PORT || '3001');\nvar server = http.createServer(app);\nserver.listen(port);\n",
    });
    expect(t.services[0]).toMatchObject({ port: 3001, framework: 'express', commands: { start: 'node ./bin/www' } });
  });

  it('an env file port is taken before a framework convention', async () => {
    const t = await detectFiles({ 'package.json': { name: 'svc', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } }, 'index.js': expressServer('process.env.PORT'), '.env.example': 'PORT=7070\n' });
    expect(t.services[0]!.port).toBe(7070);
  });

  it('a Prometheus client means /metrics; prisma names the database with its line', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', scripts: { start: 'node index.js' }, dependencies: { express: '^4', 'prom-client': '^15', '@prisma/client': '^6' } },
      'index.js': expressServer(),
      'prisma/schema.prisma': 'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n',
    });
    expect(t.services[0]).toMatchObject({ metricsPath: '/metrics', backingServices: ['mysql'] });
    expect(t.backingServices[0]!.evidence[0]).toMatchObject({ file: 'prisma/schema.prisma', line: 2 });
  });

  it('a port inside a redis options object or named after a database is not the app port', async () => {
    const t = await detectFiles({
      'package.json': { name: 'svc', scripts: { start: 'node index.js' }, dependencies: { ioredis: '^5' } },
      'index.js': "const Redis = require('ioredis');\nconst redis = new Redis({\n  host: 'cache',\n  port: 6380,\n});\nconst DB_PORT = process.env.DB_PORT || 5433;\nrequire('http').createServer(handler).listen(process.env.PORT || 8081);\n",
    });
    expect(t.services[0]!.port).toBe(8081);
  });

  it('Qwik City as create-qwik writes it: the framework, its serve script and the port its node-server entry reads', async () => {
    const t = await detect(path.resolve('fixtures/apps/qwik-city-node'));
    expect(t.services[0]).toMatchObject({ framework: 'qwik-city', port: 3004, commands: { build: 'pnpm run build', start: 'node server/entry.node-server' } });
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', signal: 'dependency `@builder.io/qwik-city`' }));
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'src/entry.node-server.tsx', line: 17 }));
    // Before `qwik add <adapter>` the only start is the dev server: nothing a container runs.
    const bare = await candidates({ 'package.json': { name: 'q', scripts: { build: 'qwik build', start: 'vite --open --mode ssr' }, devDependencies: { '@builder.io/qwik-city': '^1' } } });
    expect(bare.map((c) => [c.framework, c.role])).toEqual([['qwik-city', 'library']]);
  });

  it('a started process that never listens is a worker; desktop apps are no service', async () => {
    const bot = await detectFiles({ 'package.json': { name: 'bot', scripts: { start: 'node index.js' }, dependencies: { 'discord.js': '^14' } }, 'index.js': "const { Client } = require('discord.js');\nnew Client({}).login(process.env.TOKEN);\n" });
    expect(bot.services[0]).toMatchObject({ role: 'worker', port: null });
    const desktop = await candidates({ 'package.json': { name: 'd', main: 'main.js', scripts: { start: 'electron .' }, devDependencies: { electron: '^33' } }, 'main.js': "const { app } = require('electron');\n" });
    expect(desktop.map((c) => c.role)).toEqual(['library']);
  });

  it('a root app whose build only builds a sub-project has no build of its own', async () => {
    const t = await detectFiles({
      'package.json': { name: 'shop', scripts: { start: 'node backend/server.js', build: 'npm install --prefix frontend && npm run build --prefix frontend' }, dependencies: { express: '^4' } },
      'backend/server.js': expressServer('process.env.PORT || 5000'),
      'frontend/package.json': { name: 'frontend', scripts: { build: 'react-scripts build' }, dependencies: { 'react-scripts': '5.0.1' } },
    });
    expect(t.services.find((s) => s.name === 'shop')).toMatchObject({ port: 5000, commands: { build: null, start: 'node backend/server.js' } });
    expect(t.services.find((s) => s.name === 'frontend')).toMatchObject({ role: 'static', dependsOn: [] });
  });

  it('a package with "main" and no scripts runs its main: a job when it ends, a worker when a timer keeps it up; a library that exports stays a library', async () => {
    const job = await detectFiles({ 'package.json': { name: 'export-csv', main: 'index.js' }, 'index.js': "const fs = require('fs');\nfs.writeFileSync('/tmp/out.csv', 'a,b\\n');\n" });
    expect(job.services[0]).toMatchObject({ name: 'export-csv', role: 'job', port: null, commands: { start: 'node index.js' } });
    expect(job.services[0]!.evidence.map((e) => e.signal)).toContain('main index.js runs (exports nothing): a program');
    const worker = await detectFiles({ 'package.json': { name: 'poller', main: 'poll.js' }, 'poll.js': "setInterval(() => console.log('tick'), 1000);\n" });
    expect(worker.services[0]).toMatchObject({ role: 'worker', port: null, commands: { start: 'node poll.js' } });
    const cli = await detectFiles({ 'package.json': { name: 'greet', bin: { greet: './cli.js' }, main: 'lib.js' }, 'cli.js': "#!/usr/bin/env node\nconsole.log('hi');\n", 'lib.js': 'module.exports = {};\n' });
    expect(cli.services[0]).toMatchObject({ role: 'job', commands: { start: 'node cli.js' } });
    const lib = await detectFiles({ 'package.json': { name: 'lib', main: 'index.js' }, 'index.js': 'module.exports = (x) => x;\n' });
    expect(lib.services).toEqual([]);
  });

  it('ports: an env fallback (`process.env.APP_PORT || 4000`) passed through its variable, and a gRPC server\'s bindAsync', async () => {
    const env = await detectFiles({ 'package.json': { name: 'api', scripts: { start: 'node server.js' } }, 'server.js': "const http = require('http');\nconst port = process.env.APP_PORT || 4000;\nhttp.createServer((q, s) => s.end('ok')).listen(port);\n" });
    expect(env.services[0]).toMatchObject({ port: 4000, portEnv: 'APP_PORT' });
    const grpc = await detectFiles({ 'package.json': { name: 'greeter', main: 'server.js', dependencies: { '@grpc/grpc-js': '^1' } }, 'server.js': "const grpc = require('@grpc/grpc-js');\nconst server = new grpc.Server();\nserver.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), () => {});\n" });
    expect(grpc.services[0]).toMatchObject({ port: 50051, commands: { start: 'node server.js' } });
    expect(grpc.services[0]!.role).toBeUndefined();
  });

  it('a start script that neither listens nor keeps running is a job; with a queue library it is a worker', async () => {
    const t = await detectFiles({ 'package.json': { name: 'seed', scripts: { start: 'node seed.js' } }, 'seed.js': "console.log('seeded');\n" });
    expect(t.services[0]).toMatchObject({ role: 'job', port: null, commands: { start: 'node seed.js' } });
    const q = await detectFiles({ 'package.json': { name: 'orders', scripts: { start: 'node consume.js' }, dependencies: { amqplib: '^0.10' } }, 'consume.js': "const amqp = require('amqplib');\nrun(amqp);\n" });
    expect(q.services[0]).toMatchObject({ role: 'worker', port: null, backingServices: ['rabbitmq'] });
  });

  it('a queue consumer with no server is a worker', async () => {
    const t = await detectFiles({
      'package.json': { name: 'mailer', scripts: { start: 'node worker.js' }, dependencies: { bullmq: '^5' } },
      'worker.js': "const { Worker } = require('bullmq');\nnew Worker('mail', async (job) => send(job.data), { connection: {} });\n",
    });
    expect(t.services[0]).toMatchObject({ role: 'worker', port: null, backingServices: ['redis'] });
  });

  it('a CRA proxy becomes a dependency on the service at that port', async () => {
    const t = await detectFiles({
      'web/package.json': { name: 'web', proxy: 'http://localhost:5000', scripts: { start: 'react-scripts start', build: 'react-scripts build' }, dependencies: { 'react-scripts': '5.0.1' } },
      'api/package.json': { name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4' } },
      'api/index.js': expressServer('5000'),
    });
    expect(t.services.find((s) => s.name === 'web')).toMatchObject({ role: 'static', staticDir: 'build', dependsOn: ['api'] });
  });
});

describe('Bun', () => {
  it('runs on bun when scripts run files with bun; Bun.serve defaults to port 3000', async () => {
    const t = await detectFiles({ 'package.json': { name: 'b', scripts: { start: 'bun run index.ts' }, devDependencies: { '@types/bun': 'latest' } }, 'bun.lockb': 'lock', 'index.ts': 'Bun.serve({ fetch: () => new Response("hi") });\n' });
    expect(t.services[0]).toMatchObject({ language: 'bun', packageManager: 'bun', port: 3000, commands: { install: 'bun install --frozen-lockfile', start: 'bun run index.ts' } });
  });

  it("serves an entry's default-exported app (create-hono's Bun template: only a `bun run --hot` dev script)", async () => {
    const t = await detectFiles({
      'package.json': { name: 'h', scripts: { dev: 'bun run --hot src/index.ts' }, dependencies: { hono: '^4' }, devDependencies: { '@types/bun': 'latest' } },
      'bun.lock': '{}',
      'src/index.ts': "import { Hono } from 'hono'\n\nconst app = new Hono()\n\napp.get('/', (c) => c.text('Hello Hono!'))\n\nexport default app\n",
    });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ language: 'bun', framework: 'hono', port: 3000, commands: { start: 'bun src/index.ts' } });
    expect(t.services[0]!.role).toBeUndefined(); // a web service
  });

  it('in Node, a default-exported app is a module, not a server entry', async () => {
    const c = await candidates({ 'package.json': { name: 'm', main: 'index.js', type: 'module', dependencies: { hono: '^4' } }, 'index.js': "import { Hono } from 'hono'\nconst app = new Hono()\nexport default app\n" });
    expect(c[0]).toMatchObject({ role: 'library', language: 'node' });
  });

  it('a Next.js app installed with bun still runs on node', async () => {
    const t = await detectFiles({ 'package.json': { name: 'n', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15' } }, 'bun.lock': '{}' });
    expect(t.services[0]).toMatchObject({ language: 'node', packageManager: 'bun', framework: 'nextjs' });
  });
});

describe('not a service', () => {
  it('a broken package.json is a warning with its line, and no candidate', async () => {
    const t = await detectFiles({ 'package.json': '{\n  "name": "x",\n  "scripts": { "start": "node a.js" }\n  "dependencies": {}\n}\n', 'a.js': expressServer() });
    expect(t.services.filter((s) => s.language === 'node')).toEqual([]);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'package.json', line: 4, message: expect.stringContaining('invalid JSON') }));
  });

  it('tooling-only package.json (tailwind at the root of a Python app) is a library', async () => {
    const files = {
      'package.json': { name: 'styles', private: true, scripts: { build: 'tailwindcss -i static/in.css -o static/out.css' }, devDependencies: { tailwindcss: '^3', postcss: '^8' } },
      'requirements.txt': 'flask==3.0.3\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/")\ndef index():\n    return "hi"\n\nif __name__ == "__main__":\n    app.run(port=5000)\n',
    };
    expect((await candidates(files)).map((c) => c.role)).toEqual(['library']);
    const t = await detectFiles(files);
    expect(t.services.map((s) => s.language)).not.toContain('node');
  });

  it('a Laravel-style vite asset build (no index.html) is no SPA', async () => {
    const c = await candidates({ 'package.json': { private: true, type: 'module', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6', 'laravel-vite-plugin': '^1' } }, 'composer.json': '{}' });
    expect(c.map((x) => x.role)).toEqual(['library']);
  });

  it("npm-run-all in the build (`run-p type-check \"build-only {@}\"`, as create-vue writes it) runs the package's own scripts: a static SPA", async () => {
    const t = await detectFiles({
      'package.json': { name: 'vue-app', private: true, type: 'module', scripts: { dev: 'vite', build: 'run-p type-check "build-only {@}" --', 'build-only': 'vite build', 'type-check': 'vue-tsc --build' }, dependencies: { vue: '^3.5.0' }, devDependencies: { vite: '^8.0.0', '@vitejs/plugin-vue': '^6.0.0', 'npm-run-all2': '^9.0.0' } },
      'index.html': '<div id="app"></div>\n',
      'src/main.ts': "import { createApp } from 'vue';\n",
    });
    expect(t.services.map((s) => [s.role, s.commands.build, s.staticDir])).toEqual([['static', 'npm run build', 'dist']]);
  });

  it("`next build --turbo` (Turbopack) in an npm-run-all build is the package's own build, not Turborepo (umami)", async () => {
    const t = await detectFiles({
      'package.json': { name: 'umami', scripts: { build: 'npm-run-all check-env build-db build-app', 'check-env': 'node scripts/check-env.js', 'build-db': 'npm-run-all build-db-client', 'build-db-client': 'prisma generate', 'build-app': 'next build --turbo', start: 'next start' }, dependencies: { next: '15.5.0', react: '19.1.0' }, devDependencies: { 'npm-run-all': '^4.1.5' } },
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'pnpm-workspace.yaml': "packages:\n  - '**'\n",
    });
    expect(t.services[0]).toMatchObject({ name: 'umami', framework: 'nextjs', commands: { build: 'pnpm run build', start: 'next start' } });
  });

  it('npm-run-all whose scripts build other packages (`run-s build:*` → `npm run build -w web`) still delegates', async () => {
    const c = await candidates({ 'package.json': { name: 'r', workspaces: ['apps/*'], scripts: { build: 'run-s build:*', 'build:web': 'npm run build -w web' }, devDependencies: { vite: '^6', 'npm-run-all': '^4' } }, 'index.html': '<div></div>\n', 'apps/web/package.json': { name: 'web' } });
    expect(c.find((x) => x.path === '.')!.role).toBe('workspace');
  });

  it('a root whose start only delegates (turbo) is a workspace', async () => {
    const c = await candidates({ 'package.json': { name: 'r', workspaces: ['apps/*'], scripts: { start: 'turbo run start', build: 'turbo run build' }, devDependencies: { turbo: '^2', vite: '^6' } }, 'apps/a/package.json': { name: 'a' } });
    expect(c.find((x) => x.path === '.')!.role).toBe('workspace');
  });
});
