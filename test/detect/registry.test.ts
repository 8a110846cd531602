/**
 * Provider modules load on demand: the registry wakes a provider only when the repository holds a
 * file its marks name. That is safe only if a provider never finds or reads anything without one,
 * so every fixture (and the whole corpus as one repository, and trees built for the marks' edge
 * cases) is detected both ways, and every provider the marks leave asleep is run anyway and must
 * come back empty-handed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectWithReport } from '../../src/detect/detect.js';
import { allProviders, entriesFor, PROVIDER_ENTRIES } from '../../src/detect/registry.js';
import { SourceView } from '../../src/source/source-view.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

const subdirs = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(dir, d.name))
    .sort();

/** Trees whose only marks are the rarer ones: no manifest, a suffix, an override, a root program. */
function edgeCases(): Record<string, string> {
  const repos: Record<string, Record<string, string>> = {
    'go-without-module': { 'cmd/tool/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' },
    'deno-without-manifest': { 'main.ts': 'import { Hono } from "npm:hono";\nDeno.serve({ port: 8000 }, new Hono().fetch);\n' },
    'dotnet-slnx-vbproj': { 'App.slnx': '<Solution />\n', 'src/Web/Web.vbproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n' },
    'dockerfile-suffixes': { 'api.Dockerfile': 'FROM node:22\nCMD ["node", "server.js"]\nEXPOSE 3000\n', 'worker/Containerfile': 'FROM python:3.12\nCMD ["python", "worker.py"]\n', 'web/dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n' },
    'compose-override-only': { 'compose.prod.yaml': 'services:\n  api:\n    build: ./api\n    ports: ["8080:8080"]\n  db:\n    image: postgres:16\n' },
    'python-requirements-in': { 'requirements-dev.in': 'flask\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' },
    'python-setup-cfg': { 'setup.cfg': '[metadata]\nname = tool\n[options]\ninstall_requires = fastapi\n', 'main.py': 'import fastapi\n' },
    'haskell-hpack-stack': { 'package.yaml': 'name: svc\ndependencies: [scotty]\nexecutables:\n  svc:\n    main: Main.hs\n', 'stack.yaml': 'resolver: lts-22.0\n', 'app/Main.hs': 'main = scotty 3000 $ get "/health" $ text "ok"\n' },
    'haskell-dot-cabal': { 'svc.cabal': 'name: svc\nexecutable svc\n  main-is: Main.hs\n  build-depends: warp\n', 'Main.hs': 'main = run 8080 app\n' },
    'gradle-settings-only': { 'settings.gradle.kts': 'rootProject.name = "shop"\ninclude("api")\n', 'api/src/main/kotlin/App.kt': 'fun main() {}\n' },
    'static-staticfile': { Staticfile: 'root: site\n', 'site/index.html': '<h1>hi</h1>\n' },
    'shell-server-script': { 'web/serve.sh': '#!/bin/sh\nexec python3 -m http.server 8080\n' },
    'php-index-only': { 'public/index.php': '<?php echo "hi";\n' },
    'ruby-config-ru-only': { 'config.ru': 'run ->(env) { [200, {}, ["ok"]] }\n' },
  };
  const out: Record<string, string> = {};
  for (const [name, files] of Object.entries(repos)) out[name] = tempRepo(files, `stackgen-marks-${name}-`);
  // A root program: executable, a shebang, no extension, and nothing else in the repository.
  const job = tempRepo({ nightly: '#!/bin/sh\nset -e\necho done\n' }, 'stackgen-marks-shell-root-');
  fs.chmodSync(path.join(job, 'nightly'), 0o755);
  out['shell-root-program'] = job;
  return out;
}

const repos: Array<[string, string]> = [
  ...subdirs(FIXTURES_DIR).filter((d) => path.basename(d) !== 'apps').map((d): [string, string] => [path.relative(FIXTURES_DIR, d), d]),
  ...subdirs(path.join(FIXTURES_DIR, 'apps')).map((d): [string, string] => [path.relative(FIXTURES_DIR, d), d]),
  ['the whole corpus as one repository', FIXTURES_DIR],
  ...Object.entries(edgeCases()),
];

describe('providers loaded on demand', () => {
  it('lists every provider once, by its own name, generic ones last', async () => {
    const loaded = await allProviders();
    expect(loaded.map((p) => p.name)).toEqual(PROVIDER_ENTRIES.map((e) => e.name));
    expect(new Set(loaded.map((p) => p.name)).size).toBe(loaded.length);
    expect(PROVIDER_ENTRIES.slice(-4).map((e) => e.name)).toEqual(['static', 'shell', 'dockerfile', 'compose']);
  });

  it('wakes only what a one-service Node repository needs', async () => {
    const source = await SourceView.open(path.join(FIXTURES_DIR, 'node-hono'));
    expect(entriesFor(source.files).map((e) => e.name)).toEqual(['deno', 'node']);
  });

  for (const [name, dir] of repos) {
    it(`${name}: the same report as with every provider loaded`, async () => {
      const all = await allProviders();
      const onDemand = await detectWithReport(dir);
      const everything = await detectWithReport(dir, { providers: all });
      expect(onDemand).toEqual(everything);
    });

    it(`${name}: a provider left asleep finds nothing and reads nothing`, async () => {
      const source = await SourceView.open(dir);
      const awake = new Set(entriesFor(source.files).map((e) => e.name));
      const before = { lookedAt: source.lookedAt, warnings: [...source.warnings] };
      for (const provider of (await allProviders()).filter((p) => !awake.has(p.name))) {
        expect(provider.detect(source), provider.name).toEqual([]);
        expect({ lookedAt: source.lookedAt, warnings: source.warnings }, provider.name).toEqual(before);
      }
    });
  }

  it('each edge-case tree wakes the provider it was made for, and that provider changes its report', async () => {
    const wanted: Record<string, string> = {
      'go-without-module': 'go', 'deno-without-manifest': 'deno', 'dotnet-slnx-vbproj': 'dotnet', 'dockerfile-suffixes': 'dockerfile',
      'compose-override-only': 'compose', 'python-requirements-in': 'python', 'python-setup-cfg': 'python', 'haskell-hpack-stack': 'haskell',
      'haskell-dot-cabal': 'haskell', 'gradle-settings-only': 'jvm', 'static-staticfile': 'static', 'shell-server-script': 'shell',
      'php-index-only': 'php', 'ruby-config-ru-only': 'ruby', 'shell-root-program': 'shell',
    };
    const all = await allProviders();
    for (const [name, provider] of Object.entries(wanted)) {
      const dir = repos.find(([n]) => n === name)![1];
      const source = await SourceView.open(dir);
      expect(entriesFor(source.files).map((e) => e.name), name).toContain(provider);
      const without = await detectWithReport(dir, { providers: all.filter((p) => p.name !== provider) });
      expect(await detectWithReport(dir), name).not.toEqual(without);
    }
  });
});
