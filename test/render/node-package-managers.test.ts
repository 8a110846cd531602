/**
 * Which package manager release a Node image installs, as a user sees it: the evidence `detect
 * --explain` prints and the rendered Dockerfile. A pnpm of another major than the lockfile's refuses
 * `--frozen-lockfile`; a berry lockfile under classic yarn fails the same way.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { render } from '../../src/render/render.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { type RepoFiles, tempRepo } from '../helpers/temp-repo.js';

const server = "const express = require('express');\nexpress().get('/health', (q, r) => r.send('ok')).listen(3000);\n";

async function renderApp(files: RepoFiles) {
  const dir = tempRepo({ 'server.js': server, ...files }, 'sg-pm-');
  const topology = await detect(dir);
  const tree = await render(fixtureSpec(topology, 'app'), { rootDir: dir });
  return { service: topology.services[0]!, dockerfile: tree.read('Dockerfile')! };
}

const pkg = (extra: object = {}) => ({ name: 'app', version: '1.0.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' }, ...extra });
const lock = (version: string) => `lockfileVersion: ${version}\n\ndependencies:\n  express:\n    specifier: ^4.19.2\n    version: 4.19.2\n`;

describe('pnpm: the major that reads the lockfile', () => {
  it.each([
    ['5.4 (pnpm 7)', '5.4', '7'],
    ["'6.0' (pnpm 8)", "'6.0'", '8'],
    ["'9.0' (pnpm 9 or 10: the newest)", "'9.0'", '10'],
  ])('lockfileVersion %s', async (_name, version, major) => {
    const { service, dockerfile } = await renderApp({ 'package.json': pkg(), 'pnpm-lock.yaml': lock(version) });
    expect(service.packageManager).toBe('pnpm');
    expect(dockerfile).toContain(`ARG PNPM_VERSION=${major}\n`);
    expect(dockerfile).toContain('npm install --global pnpm@${PNPM_VERSION}');
    expect(service.evidence).toContainEqual({ file: 'pnpm-lock.yaml', line: 1, signal: `pnpm ${major} (lockfileVersion ${version.replace(/'/g, '')})` });
  });

  it('the packageManager field wins over the lockfile', async () => {
    const { service, dockerfile } = await renderApp({ 'package.json': pkg({ packageManager: 'pnpm@8.15.9+sha512.abc' }), 'pnpm-lock.yaml': lock("'6.0'") });
    expect(dockerfile).toContain('ARG PNPM_VERSION=8.15.9\n');
    expect(service.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', signal: 'pnpm 8.15.9 (packageManager pnpm@8.15.9)' }));
  });

  it('engines.pnpm picks between the majors a 9.0 lockfile allows', async () => {
    const { service, dockerfile } = await renderApp({ 'package.json': pkg({ engines: { pnpm: '^9.1.0' } }), 'pnpm-lock.yaml': lock("'9.0'") });
    expect(dockerfile).toContain('ARG PNPM_VERSION=9\n');
    expect(service.evidence).toContainEqual(expect.objectContaining({ signal: 'pnpm 9 (lockfileVersion 9.0 and engines.pnpm ^9.1.0)' }));
  });

  it('a lockfile version no major is known for: engines.pnpm decides, else pnpm 10', async () => {
    const ranged = await renderApp({ 'package.json': pkg({ engines: { pnpm: '>=7 <9' } }), 'pnpm-lock.yaml': lock("'7.0'") });
    expect(ranged.dockerfile).toContain('ARG PNPM_VERSION=8\n');
    expect(ranged.service.evidence).toContainEqual(expect.objectContaining({ file: 'package.json', signal: 'pnpm 8 (engines.pnpm >=7 <9)' }));
    const bare = await renderApp({ 'package.json': pkg(), 'pnpm-lock.yaml': lock("'7.0'") });
    expect(bare.dockerfile).toContain('ARG PNPM_VERSION=10\n');
    expect(bare.service.evidence).toContainEqual(expect.objectContaining({ signal: expect.stringMatching(/^pnpm 10 \(default/) }));
  });

  it('a workspace member installs with the workspace packages it depends on (`{dir}...`, not the path glob `./dir...`)', async () => {
    const dir = tempRepo({
      'package.json': { name: 'mono', private: true, scripts: { build: 'turbo run build' }, devDependencies: { turbo: '^2' }, packageManager: 'pnpm@10.34.9' },
      'pnpm-workspace.yaml': 'packages:\n  - "apps/*"\n  - "packages/*"\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'turbo.json': '{ "tasks": { "build": { "dependsOn": ["^build"], "outputs": ["dist/**"] } } }\n',
      'apps/web/package.json': { name: 'web', private: true, scripts: { build: 'vite build' }, dependencies: { '@repo/ui': 'workspace:*' }, devDependencies: { vite: '^6' } },
      'apps/web/index.html': '<div id="app"></div><script type="module" src="/src/main.ts"></script>\n',
      'apps/web/src/main.ts': "import { Header } from '@repo/ui/header';\ndocument.body.innerHTML = Header();\n",
      // Compiled from source by the app's build: its tsconfig extends a package only its devDependencies install.
      'packages/ui/package.json': { name: '@repo/ui', private: true, exports: { './header': './src/header.ts' }, devDependencies: { '@repo/typescript-config': 'workspace:*' } },
      'packages/ui/tsconfig.json': '{ "extends": "@repo/typescript-config/vite.json" }\n',
      'packages/ui/src/header.ts': "export const Header = () => '<h1>Web</h1>';\n",
      'packages/typescript-config/package.json': { name: '@repo/typescript-config', private: true },
    }, 'sg-pm-');
    const topology = await detect(dir);
    const web = topology.services.find((s) => s.name === 'web')!;
    expect(web).toMatchObject({ role: 'static', commands: { build: 'turbo run build --filter=web' } });
    const dockerfile = (await render(fixtureSpec(topology, 'mono'), { rootDir: dir })).read('apps/web/Dockerfile')!;
    expect(dockerfile).toContain('pnpm install --frozen-lockfile --store-dir=/pnpm/store --filter={./apps/web}... \\\n');
    expect(dockerfile).not.toMatch(/--filter=\.\/apps\/web\.\.\./);
  });
});

describe('yarn: berry or classic, as detect tells them apart', () => {
  const berryLock = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"express@npm:^4.19.2":\n  version: 4.19.2\n';
  it('a packageManager yarn@4 pin without .yarnrc.yml installs with berry (corepack), immutably', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg({ packageManager: 'yarn@4.5.3' }), 'yarn.lock': berryLock });
    expect(dockerfile).toContain('corepack enable');
    expect(dockerfile).toContain('yarn install --immutable');
    expect(dockerfile).not.toContain('--frozen-lockfile');
  });

  it('a berry lockfile (__metadata) alone also means berry', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'yarn.lock': berryLock });
    expect(dockerfile).toContain('yarn install --immutable');
  });

  it('a classic lockfile stays on the image\'s yarn 1 with --frozen-lockfile', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'yarn.lock': '# yarn lockfile v1\n\nexpress@^4.19.2:\n  version "4.19.2"\n' });
    expect(dockerfile).toContain('yarn install --frozen-lockfile --production');
    expect(dockerfile).not.toContain('corepack enable');
  });
});

describe('yarn berry: which yarn runs the install', () => {
  const berryLock = '__metadata:\n  version: 8\n  cacheKey: 10c0\n';
  it('a checked-in release (yarnPath) is copied with the manifests, at its own path', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'yarn.lock': berryLock, '.yarnrc.yml': 'nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.3.cjs\n', '.yarn/releases/yarn-4.5.3.cjs': '// yarn\n' });
    expect(dockerfile).toContain('COPY .yarn/releases/yarn-4.5.3.cjs .yarn/releases/yarn-4.5.3.cjs\n');
    expect(dockerfile.indexOf('COPY .yarn/releases')).toBeLessThan(dockerfile.indexOf('yarn install --immutable'));
    expect(dockerfile).not.toContain('corepack prepare');
  });

  it('neither a pin nor a release: corepack activates a current berry, not its classic default', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'yarn.lock': berryLock, '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(dockerfile).toContain('corepack enable && corepack prepare yarn@stable --activate');
  });

  it("Plug'n'Play (no nodeLinker: berry's default) keeps yarn's cache in the project, where the build and the app load packages from", async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg({ packageManager: 'yarn@4.12.0' }), 'yarn.lock': berryLock });
    expect(dockerfile).toContain('ENV YARN_ENABLE_GLOBAL_CACHE=false\n');
    expect(dockerfile.indexOf('YARN_ENABLE_GLOBAL_CACHE')).toBeLessThan(dockerfile.indexOf('yarn install --immutable'));
    // The global cache stays mounted: as yarn's mirror it spares the network.
    expect(dockerfile).toContain('--mount=type=cache,target=/root/.yarn/berry/cache');
  });

  it('an explicit `nodeLinker: pnp` is Plug\'n\'Play too; the node-modules linker keeps the global cache', async () => {
    const pnp = await renderApp({ 'package.json': pkg({ packageManager: 'yarn@4.12.0' }), 'yarn.lock': berryLock, '.yarnrc.yml': 'nodeLinker: "pnp"\n' });
    expect(pnp.dockerfile).toContain('ENV YARN_ENABLE_GLOBAL_CACHE=false');
    const modules = await renderApp({ 'package.json': pkg({ packageManager: 'yarn@4.12.0' }), 'yarn.lock': berryLock, '.yarnrc.yml': 'nodeLinker: node-modules\n' });
    expect(modules.dockerfile).not.toContain('YARN_ENABLE_GLOBAL_CACHE');
  });

  it('a yarnPath that leaves the repository or carries odd characters is not copied', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'yarn.lock': berryLock, '.yarnrc.yml': 'yarnPath: ../outside/yarn.cjs\n' });
    expect(dockerfile).not.toContain('outside/yarn.cjs');
  });
});

describe('generated apps: the build stage runs what the project chose', () => {
  it('a Bun project built into static files installs from bun.lock with Bun and builds with it', async () => {
    const { service, dockerfile } = await renderApp({
      'server.js': '',
      'package.json': { name: 'lit-app', private: true, type: 'module', scripts: { dev: 'vite', build: 'vite build' }, dependencies: { lit: '^3.3.1' }, devDependencies: { vite: '^7.2.4' } },
      'bun.lock': '{\n  "lockfileVersion": 1,\n  "workspaces": {}\n}\n',
      'index.html': '<my-element></my-element>\n',
    });
    expect(service.packageManager).toBe('bun');
    expect(dockerfile).toMatch(/^FROM oven\/bun:[^\n]+ AS base$/m);
    expect(dockerfile).toContain('COPY package.json bun.lock ./');
    expect(dockerfile).toContain('bun install --frozen-lockfile');
    expect(dockerfile).not.toMatch(/npm (install|ci)/);
    expect(dockerfile).toContain('RUN bun run build');
  });

  it('yarn berry: corepack fetches yarn from the registry npm is configured for', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg({ packageManager: 'yarn@4.12.0' }), 'yarn.lock': '__metadata:\n  version: 8\n' });
    expect(dockerfile).toContain(`export COREPACK_NPM_REGISTRY="\${COREPACK_NPM_REGISTRY:-$(npm config get registry | sed 's:/*$::')}" && corepack enable`);
  });

  it('Angular SSR (as `ng new --ssr` writes it) allows the hosts the stack reaches it by: its server answers 400 to any other', async () => {
    const { service, dockerfile } = await renderApp({
      'server.js': '',
      'package.json': { name: 'ng-ssr', private: true, scripts: { start: 'ng serve', build: 'ng build', 'serve:ssr:ng-ssr': 'node dist/ng-ssr/server/server.mjs' }, dependencies: { '@angular/core': '^22.2.0', '@angular/ssr': '^22.2.7', express: '^5.1.0' }, devDependencies: { '@angular/build': '^22.2.7', '@angular/cli': '^22.2.7' } },
      'package-lock.json': '{}',
      'angular.json': JSON.stringify({ projects: { 'ng-ssr': { architect: { build: { options: { outputPath: 'dist/ng-ssr', server: 'src/main.server.ts', ssr: { entry: 'src/server.ts' } } } } } } }),
      'src/server.ts': "import { AngularNodeAppEngine } from '@angular/ssr/node';\n",
    });
    expect([service.framework, service.commands.start]).toEqual(['angular', 'node dist/ng-ssr/server/server.mjs']);
    expect(dockerfile).toMatch(/NG_ALLOWED_HOSTS="localhost,127\.0\.0\.1,ng-ssr,\*\.localhost"/);
  });

  it('SvelteKit with adapter-node and a Bun lockfile runs `bun ./build`: a bare `bun build` is the bundler', async () => {
    const { dockerfile } = await renderApp({
      'server.js': '',
      'package.json': { name: 'sk', private: true, type: 'module', scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/adapter-node': '^5.5.4', '@sveltejs/kit': '^2.63.0', vite: '^8.0.16' } },
      'bun.lock': '{\n  "lockfileVersion": 1,\n  "workspaces": {}\n}\n',
      'vite.config.ts': "import adapter from '@sveltejs/adapter-node';\n",
    });
    expect(dockerfile).toMatch(/^CMD \["bun","\.\/build"\]$/m);
  });

  it("a static site's folder redirects (/docs/intro → /docs/intro/, Docusaurus's layout) keep the published port: nginx answers with a relative Location", async () => {
    const dir = tempRepo({ 'package.json': JSON.stringify({ name: 'site', private: true, scripts: { start: 'docusaurus start', build: 'docusaurus build' }, dependencies: { '@docusaurus/core': '3.10.2' } }) }, 'sg-pm-');
    const topology = await detect(dir);
    const tree = await render(fixtureSpec(topology, 'app'), { rootDir: dir });
    const nginx = tree.files().map((e) => e.path).find((p) => p.endsWith('nginx.conf'));
    expect(nginx && tree.read(nginx)).toMatch(/^\s*absolute_redirect off;$/m);
  });

  it('SvelteKit with adapter-auto (as `sv create` writes it) builds with adapter-node and starts `node build`', async () => {
    const { service, dockerfile } = await renderApp({
      'server.js': '',
      'package.json': { name: 'sk', private: true, type: 'module', scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/adapter-auto': '^7.0.1', '@sveltejs/kit': '^2.63.0', vite: '^8.0.16' } },
      'package-lock.json': '{}',
      'vite.config.ts': "import adapter from '@sveltejs/adapter-auto';\n",
    });
    expect(service.framework).toBe('sveltekit');
    expect(service.commands.start).toBe('node build');
    expect(dockerfile).toContain('npm ci && npm install --no-save @sveltejs/adapter-node@5');
    expect(dockerfile).toContain('RUN GCP_BUILDPACKS=1 npm run build');
    expect(dockerfile).toMatch(/CMD \["node","build"\]/);
  });

  // create-qwik + `qwik add node-server`: every package is a devDependency, and the built
  // server/entry.node-server imports @builder.io/qwik-city, undici, … from node_modules at run time.
  it('Qwik City: the runtime image keeps every dependency, since its server imports devDependencies', async () => {
    const { service, dockerfile } = await renderApp({
      'server.js': '',
      'package.json': { name: 'q', private: true, type: 'module', scripts: { build: 'qwik build', serve: 'node server/entry.node-server', start: 'vite --open --mode ssr' }, devDependencies: { '@builder.io/qwik': '^1.20.1', '@builder.io/qwik-city': '^1.20.1', undici: '*', vite: '7.3.1' } },
      'pnpm-lock.yaml': lock("'9.0'"),
      'adapters/node-server/vite.config.ts': 'import { nodeServerAdapter } from "@builder.io/qwik-city/adapters/node-server/vite";\n',
      'src/entry.node-server.tsx': 'import { createServer } from "node:http";\nconst PORT = process.env.PORT ?? 3004;\ncreateServer().listen(PORT);\n',
    });
    expect([service.framework, service.commands.start, service.port]).toEqual(['qwik-city', 'node server/entry.node-server', 3004]);
    expect(dockerfile).toContain('COPY --from=dev-deps /app ./\n');
    expect(dockerfile).not.toContain('COPY --from=deps /app ./');
    expect(dockerfile).toMatch(/^CMD \["node","server\/entry\.node-server"\]$/m);
  });

  it('another Node server keeps production dependencies only in its runtime image', async () => {
    const { dockerfile } = await renderApp({ 'package.json': pkg(), 'package-lock.json': '{}' });
    expect(dockerfile).toContain('COPY --from=deps /app ./\n');
    expect(dockerfile).not.toContain('COPY --from=dev-deps /app ./');
  });
});
