/**
 * `init --yes` on every fixture: detect → specFromTopology → stringify → the same validation
 * loadSpec runs. Plus the options init's flags map onto, and the re-run merge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { detect } from '../../src/detect/detect.js';
import type { Topology } from '../../src/detect/types.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import { validateSpecText } from '../../src/spec/load.js';
import { mergeSpecText, stringifySpec } from '../../src/spec/stringify.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

const fixtureDirs = fs
  .readdirSync(FIXTURES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'specs' && fs.readdirSync(path.join(FIXTURES_DIR, d.name)).length > 0)
  .map((d) => d.name)
  .sort();

describe('init --yes on every fixture gives a valid spec', () => {
  it('covers the corpus', () => expect(fixtureDirs.length).toBeGreaterThan(20));

  it.each(fixtureDirs)('%s', async (name) => {
    const dir = path.join(FIXTURES_DIR, name);
    const t = await detect(dir);
    const input = specFromTopology(t);
    const text = stringifySpec(input);
    expect(text.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(text).toMatch(/^version: 1$/m);
    const r = validateSpecText(text, path.join(dir, 'stackgen.yaml'));
    if (t.services.length === 0) {
      // Nothing to run: init stops before writing; the spec would say why.
      expect(r.errors.map((e) => e.message)).toContain('needs at least one service');
      return;
    }
    expect(r.errors).toEqual([]);
    const spec = r.spec!;
    expect(Object.keys(spec.services).sort()).toEqual(t.services.map((s) => s.name).sort());
    expect(Object.keys(spec.backingServices).sort()).toEqual(t.backingServices.map((b) => b.kind).sort());
    const published = Object.values(spec.services).map((s) => s.publish).filter((p) => p !== null);
    expect(new Set(published).size).toBe(published.length);
    for (const s of t.services) {
      const got = spec.services[s.name]!;
      expect(got.path).toBe(s.path);
      expect(got.language).toBe(s.language);
      expect(got.role).toBe(s.role ?? 'web');
      if (s.port !== null && got.role === 'web') expect(got.port).toBe(s.port);
      for (const b of s.backingServices) expect(got.dependsOn).toContain(b);
      for (const d of s.dependsOn) expect(got.dependsOn).toContain(d);
    }
  });
});

function topo(): Topology {
  const svc = (name: string, port: number | null, extra: object = {}) => ({
    name, path: name, language: 'node' as const, framework: null, packageManager: 'npm' as const, runtimeVersion: '20',
    commands: { install: 'npm ci', build: null, start: 'node server.js' }, port, healthPath: '/health', backingServices: [] as never[], dependsOn: [] as string[], confidence: 0.9, evidence: [], ...extra,
  });
  return {
    root: '/tmp/My Shop',
    services: [svc('api', 3000, { backingServices: ['postgres', 'redis'] }), svc('admin', 3000, { dependsOn: ['api'] }), svc('jobs', null, { role: 'worker', healthPath: null, backingServices: ['redis'] })],
    backingServices: [
      { kind: 'postgres', version: '16', usedBy: ['api'], evidence: [] },
      { kind: 'redis', usedBy: ['api', 'jobs'], evidence: [] },
    ],
    warnings: [],
  };
}

describe('init --yes on shapes met in public repositories gives a valid spec', () => {
  const tree = (files: Record<string, string>) => tempRepo(files, 'sg-shape-');
  const spa = (outDir: string) => ({
    'frontend/package.json': JSON.stringify({ name: 'frontend', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6.0.0' } }),
    'frontend/index.html': '<div id="root"></div>\n',
    'frontend/vite.config.ts': `export default {\n  build: {\n    outDir: ${JSON.stringify(outDir)},\n  },\n}\n`,
  });
  const backend = {
    'backend/pyproject.toml': '[project]\nname = "app"\nversion = "0"\ndependencies = ["fastapi[standard]", "psycopg"]\n',
    'backend/app/__init__.py': '',
    'backend/app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
  };

  it.each([
    ['an SPA building into the API\'s folder, a virtual uv root with release scripts, a Playwright service in an override file', {
      ...backend,
      ...spa('../backend/app/frontend'),
      'pyproject.toml': '[dependency-groups]\ndev = ["typer"]\n\n[tool.uv.workspace]\nmembers = ["backend"]\n',
      'uv.lock': 'version = 1\n',
      'scripts/release.py': 'if __name__ == "__main__":\n    print("release")\n',
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['frontend'], scripts: { dev: 'bun run --filter frontend dev' } }),
      'compose.yml': 'services:\n  backend:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n    ports: ["8000:8000"]\n',
      'compose.override.yml': 'services:\n  playwright:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile.playwright\n    ports:\n      - 9323:9323\n',
      'backend/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["fastapi", "run"]\n',
      'frontend/Dockerfile.playwright': 'FROM mcr.microsoft.com/playwright:v1.49.0-jammy\nCOPY . .\n',
    }, [['app', 'web', 8000]], { path: 'backend/Dockerfile', context: '.' }],
    ['an SPA whose output folder cannot be a spec value, beside an API', { ...backend, ...spa('dist\tout') }, [['app', 'web', 8000]], { template: 'auto' }],
    ['an SPA building to an absolute folder', { ...backend, ...spa('/srv/www') }, [['app', 'web', 8000]], { template: 'auto' }],
  ])('%s', async (_shape, files, want, dockerfile) => {
    const dir = tree(files);
    const t = await detect(dir);
    const r = validateSpecText(stringifySpec(specFromTopology(t)), path.join(dir, 'stackgen.yaml'));
    expect(r.errors).toEqual([]);
    expect(Object.entries(r.spec!.services).map(([n, s]) => [n, s.role, s.port])).toEqual(want);
    // A Dockerfile the repository's compose builds from the root (`context: .`) keeps that context.
    expect(r.spec!.services.app!.dockerfile).toEqual(dockerfile);
  });
});

describe('specFromTopology options', () => {
  it('defaults: name from the folder, published ports unique and clear of Grafana, detected versions kept', () => {
    const s = specFromTopology(topo());
    expect(s.name).toBe('my-shop');
    expect(s.services.api).toMatchObject({ port: 3000, publish: 3001, dependsOn: ['postgres', 'redis'], healthcheck: { path: '/health' } });
    expect(s.services.admin).toMatchObject({ port: 3000, publish: 3002, dependsOn: ['api'] });
    expect(s.services.jobs).toMatchObject({ role: 'worker', dependsOn: ['redis'] });
    expect(s.services.jobs!.publish).toBeUndefined();
    expect(s.backingServices).toEqual({ postgres: { kind: 'postgres', version: '16' }, redis: { kind: 'redis' } });
    expect(s.observability).toMatchObject({ prometheus: true, grafana: true });
    expect(s.proxy).toEqual({ kind: 'none' });
    expect(s.ci).toEqual({ provider: 'github', registry: null });
  });

  it('flags: include, ports, start, with/without, no observability, proxy, ci, registry', () => {
    const s = specFromTopology(topo(), {
      services: ['api', 'jobs'], ports: { api: 8080 }, start: { jobs: 'node jobs.js' }, with: ['rabbitmq'], without: ['postgres'],
      observability: false, proxy: { kind: 'caddy', tls: 'acme', domains: ['shop.example.com'], email: 'ops@example.com' }, ci: 'gitlab', registry: 'ghcr.io/acme',
    });
    expect(Object.keys(s.services)).toEqual(['api', 'jobs']);
    expect(s.services.api).toMatchObject({ port: 8080, publish: 8080, dependsOn: ['redis', 'rabbitmq'] });
    expect(s.services.jobs!.commands!.start).toBe('node jobs.js');
    expect(Object.keys(s.backingServices!)).toEqual(['rabbitmq', 'redis']);
    expect(s.observability).toMatchObject({ prometheus: false, grafana: false });
    expect(s.ci).toEqual({ provider: 'gitlab', registry: 'ghcr.io/acme' });
    expect(validateSpecText(stringifySpec(s), '/nonexistent/stackgen.yaml', { baseDir: '/' }).errors.filter((e) => !e.message.startsWith('no such folder'))).toEqual([]);
  });

  it('an unknown service name in a flag is an input error with a suggestion', () => {
    expect(() => specFromTopology(topo(), { ports: { apii: 80 } })).toThrow(/no detected service named `apii`/);
  });
});

describe('re-running init merges into the existing spec', () => {
  const first = stringifySpec(specFromTopology(topo(), { services: ['api'] }));
  const edited = first.replace('port: 3000', 'port: 4000 # moved by hand').replace('version: 1', '# my note\nversion: 1');

  it('keeps the user values and comments, adds new services, reports dropped ones', () => {
    const fresh = specFromTopology({ ...topo(), services: topo().services.filter((s) => s.name !== 'api') }) as unknown as Record<string, unknown>;
    const m = mergeSpecText(edited, fresh);
    expect(m.addedServices).toEqual(['admin', 'jobs']);
    expect(m.dropped).toEqual(['api']);
    expect(m.text).toContain('port: 4000 # moved by hand');
    expect(m.text).toContain('# my note');
    const doc = parseDocument(m.text).toJS() as { services: Record<string, unknown> };
    expect(Object.keys(doc.services)).toEqual(['api', 'admin', 'jobs']);
    const pruned = mergeSpecText(edited, fresh, { prune: true });
    expect(Object.keys((parseDocument(pruned.text).toJS() as { services: object }).services)).toEqual(['admin', 'jobs']);
  });

  it('nothing new detected: the text is byte-identical', () => {
    const m = mergeSpecText(edited, specFromTopology(topo(), { services: ['api'] }) as unknown as Record<string, unknown>);
    expect(m.text).toBe(edited);
    expect(m.addedServices).toEqual([]);
  });

  it('a newly detected backing service is added and wired into the services that use it', () => {
    const withoutRedis = stringifySpec(specFromTopology(topo(), { services: ['api'], without: ['redis'] }));
    const m = mergeSpecText(withoutRedis, specFromTopology(topo(), { services: ['api'] }) as unknown as Record<string, unknown>);
    expect(m.addedBacking).toEqual(['redis']);
    const spec = parseDocument(m.text).toJS() as { services: { api: { dependsOn: string[] } } };
    expect(spec.services.api.dependsOn).toEqual(['postgres', 'redis']);
  });

  it('explicit values from flags overwrite, others stay', () => {
    const m = mergeSpecText(edited, specFromTopology(topo(), { services: ['api'] }) as unknown as Record<string, unknown>, { set: [{ path: ['proxy', 'kind'], value: 'traefik' }] });
    expect(m.set).toEqual(['proxy.kind']);
    expect(m.text).toContain('kind: traefik');
    expect(m.text).toContain('port: 4000 # moved by hand');
  });
});
