#!/usr/bin/env node
// Benchmark: the rendered multi-stage images against a naive single-stage Dockerfile on the same base,
// for each end-to-end fixture, in one run: cold build (no cache), rebuild after a source-only change,
// image size, and for the rendered stack the time to healthy and total verify wall time (cold, warm).
// Run: npm run bench:images (needs Docker and the stand-in images: scripts/offline-images.sh).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadImageMap } from '../../dist/images/image-map.js';
import { rewriteDockerfile } from '../../dist/verify/rewrite.js';
import { verify } from '../../dist/verify/verify.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const map = loadImageMap(path.join(root, 'scripts/offline-images.yaml'));
const CA = '/etc/ssl/certs/ca-certificates.crt';
const FIXTURES = (process.env.FIXTURES ?? 'node-express-pg-redis,python-stdlib-api,go-stdlib-api,static-site,mono-npm-workspaces,go-workspace,bun-hono,deno-stdlib-api').split(',');
// The source file a developer edits between builds, per fixture.
const EDIT = { 'node-express-pg-redis': 'src/server.js', 'python-stdlib-api': 'app.py', 'go-stdlib-api': 'main.go', 'static-site': 'index.html', 'mono-npm-workspaces': 'apps/api/src/server.js', 'go-workspace': 'services/greeter/main.go', 'bun-hono': 'src/index.ts', 'deno-stdlib-api': 'main.ts' };
const APP = { 'mono-npm-workspaces': 'api' };

function build(dockerfile, context, tag, { noCache = false, target } = {}) {
  const args = ['build', '--progress=plain', '-f', dockerfile, '-t', tag, '--secret', `id=ca,src=${CA}`, ...(target ? ['--target', target] : []), ...(noCache ? ['--no-cache'] : []), context];
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`build ${tag} failed:\n${r.stderr.slice(-2000)}`);
  const steps = new Set([...r.stderr.matchAll(/^#(\d+) \[/gm)].map((m) => m[1]));
  const cached = new Set([...r.stderr.matchAll(/^#(\d+) CACHED/gm)].map((m) => m[1]));
  const size = Number(execFileSync('/usr/bin/docker', ['image', 'inspect', '--format', '{{.Size}}', tag], { encoding: 'utf8' }).trim());
  return { ms: Date.now() - t0, size, cached: cached.size, steps: steps.size };
}

function touch(file) {
  const ext = path.extname(file);
  const comment = ext === '.html' ? `\n<!-- bench ${Date.now()} -->\n` : ext === '.py' ? `\n# bench ${Date.now()}\n` : `\n// bench ${Date.now()}\n`;
  fs.appendFileSync(file, comment);
}

const rows = [];
for (const name of FIXTURES) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-'));
  const dir = path.join(work, name);
  fs.cpSync(path.join(root, 'fixtures', name), dir, { recursive: true });
  const obs = name === 'node-express-pg-redis' ? [] : ['--no-observability'];
  execFileSync(process.execPath, [path.join(root, 'bin/stackgen.js'), 'init', dir, '--yes', ...obs], { stdio: 'ignore' });
  const compose = parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'));
  const svcName = APP[name] ?? Object.keys(compose.services).find((s) => compose.services[s].build);
  const b = compose.services[svcName].build;
  const rendered = path.join(work, 'rendered.Dockerfile');
  fs.writeFileSync(rendered, rewriteDockerfile(fs.readFileSync(path.join(dir, b.context, b.dockerfile), 'utf8'), map));
  const naive = path.join(work, 'naive.Dockerfile');
  fs.writeFileSync(naive, rewriteDockerfile(fs.readFileSync(path.join(here, 'naive', name, 'Dockerfile'), 'utf8'), map));
  const rCold = build(rendered, path.join(dir, b.context), `sg-bench-${name}:rendered`, { noCache: true, target: b.target });
  const nCold = build(naive, dir, `sg-bench-${name}:naive`, { noCache: true });
  touch(path.join(dir, EDIT[name]));
  const rWarm = build(rendered, path.join(dir, b.context), `sg-bench-${name}:rendered`, { target: b.target });
  const nWarm = build(naive, dir, `sg-bench-${name}:naive`);
  const opts = { imageMap: path.join(root, 'scripts/offline-images.yaml'), caBundle: CA, skipServices: obs.length ? [] : ['grafana'] };
  const v1 = await verify(dir, opts);
  const v2 = await verify(dir, opts);
  const healthy = (r) => Math.max(...r.services.filter((s) => s.healthyAfterMs !== undefined).map((s) => s.healthyAfterMs));
  rows.push({ name, rCold, nCold, rWarm, nWarm, v1, v2, healthy1: healthy(v1), healthy2: healthy(v2) });
  for (const t of [`sg-bench-${name}:rendered`, `sg-bench-${name}:naive`]) spawnSync('/usr/bin/docker', ['rmi', '-f', t], { stdio: 'ignore' });
  fs.rmSync(work, { recursive: true, force: true });
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
console.log(`node ${process.version}, ${os.cpus().length} cores; stand-in base images (scripts/offline-images.yaml); one run`);
console.log('| fixture | image rendered / naive (ratio) | cold build rendered / naive | source-only rebuild rendered (share of cold, cached steps) / naive | time to healthy cold / warm | verify wall cold / warm | verify ok |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${mb(r.rCold.size)} / ${mb(r.nCold.size)} (${(r.rCold.size / r.nCold.size).toFixed(2)}×) | ${s(r.rCold.ms)} / ${s(r.nCold.ms)} | ${s(r.rWarm.ms)} (${Math.round((100 * r.rWarm.ms) / r.rCold.ms)}%, ${r.rWarm.cached}/${r.rWarm.steps} cached) / ${s(r.nWarm.ms)} (${Math.round((100 * r.nWarm.ms) / r.nCold.ms)}%) | ${s(r.healthy1)} / ${s(r.healthy2)} | ${s(r.v1.durationMs)} / ${s(r.v2.durationMs)} | ${r.v1.ok && r.v2.ok} |`);
}
