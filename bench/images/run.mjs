// Images and verify benchmark: for every fixture with an e2e block, stackgen's generated images (via
// `stackgen verify`) beside a naive single-stage Dockerfile on the same base.
// Cold = builder cache pruned first; warm = a source-only change, then verify again.
// Usage: npm run bench:images  (needs a running engine and the stand-ins of scripts/offline-images.sh)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'bin/stackgen.js');
const DOCKER = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const CA = '/etc/ssl/certs/ca-certificates.crt';
const IMAGE_MAP = path.join(root, 'scripts/offline-images.yaml');

// The source file a developer would edit, with a comment syntax that keeps it valid.
const SOURCE_EDIT = {
  'node-express-pg-redis': ['src/server.js', '\n// bench edit\n'],
  'python-stdlib-api': ['app.py', '\n# bench edit\n'],
  'go-stdlib-api': ['main.go', '\n// bench edit\n'],
  'static-site': ['index.html', '\n<!-- bench edit -->\n'],
  'mono-npm-workspaces': ['apps/api/src/server.js', '\n// bench edit\n'],
};
// Naive Dockerfiles per app service (a monorepo has one per app).
const NAIVE = {
  'node-express-pg-redis': { 'node-express-pg-redis': 'node-express-pg-redis/Dockerfile' },
  'python-stdlib-api': { 'python-stdlib-api': 'python-stdlib-api/Dockerfile' },
  'go-stdlib-api': { 'go-stdlib-api': 'go-stdlib-api/Dockerfile' },
  'static-site': { 'static-site': 'static-site/Dockerfile' },
  'mono-npm-workspaces': { api: 'mono-npm-workspaces/api/Dockerfile', web: 'mono-npm-workspaces/web/Dockerfile' },
};

const only = process.argv.slice(2);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
const mb = (b) => (b / 1e6).toFixed(1);
const s = (ms) => (ms / 1000).toFixed(1);

function verify(dir, extra) {
  const t0 = Date.now();
  const r = run(process.execPath, [CLI, 'verify', dir, '--json', '--image-map', IMAGE_MAP, '--ca-bundle', CA, ...extra]);
  const wall = Date.now() - t0;
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`verify printed no report (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  }
  if (r.status !== 0) throw new Error(`verify failed (exit ${r.status}): ${report.failure}`);
  return { report, wall };
}

function dockerBuild(dockerfile, context, tag, noCache) {
  const t0 = Date.now();
  const args = ['build', '--progress=plain', '-f', dockerfile, '-t', tag, '--secret', `id=ca,src=${CA}`, ...(noCache ? ['--no-cache'] : []), context];
  const r = run(DOCKER, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  if (r.status !== 0) throw new Error(`naive build failed: ${(r.stderr + r.stdout).slice(-2000)}`);
  const ms = Date.now() - t0;
  const size = JSON.parse(run(DOCKER, ['image', 'inspect', tag, '--format', '{{json .Size}}']).stdout);
  return { ms, size };
}

const rows = [];
for (const name of Object.keys(SOURCE_EDIT)) {
  if (only.length && !only.includes(name)) continue;
  const fx = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', name, 'stackgen.test.json'), 'utf8'));
  const e2e = fx.e2e ?? {};
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-'));
  const dir = path.join(parent, name);
  try {
    fs.cpSync(path.join(root, 'fixtures', name), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'stackgen.test.json'));
    const init = run(process.execPath, [CLI, 'init', dir, '--yes', ...(e2e.initArgs ?? [])]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);

    run(DOCKER, ['builder', 'prune', '-af']);
    const cold = verify(dir, e2e.verifyArgs ?? []);
    const [file, edit] = SOURCE_EDIT[name];
    fs.appendFileSync(path.join(dir, file), edit);
    const warm = verify(dir, e2e.verifyArgs ?? []);

    // Naive: same context (the user's files, as before the edit is irrelevant: cold is --no-cache).
    for (const [svc, df] of Object.entries(NAIVE[name])) {
      const tag = `stackgen-bench-naive-${name}-${svc}:latest`;
      const naiveCold = dockerBuild(path.join(root, 'bench/images/naive', df), dir, tag, true);
      fs.appendFileSync(path.join(dir, file), edit);
      const naiveWarm = dockerBuild(path.join(root, 'bench/images/naive', df), dir, tag, false);
      run(DOCKER, ['image', 'rm', tag]);
      const c = cold.report.services.find((x) => x.name === svc);
      const w = warm.report.services.find((x) => x.name === svc);
      const healthy = (rep) => Math.max(...rep.services.filter((x) => x.healthyAfterMs).map((x) => x.healthyAfterMs));
      rows.push({
        fixture: name,
        service: svc,
        coldBuild: c.build.ms,
        warmBuild: w.build.ms,
        warmCached: `${w.build.cachedSteps}/${w.build.totalSteps}`,
        size: c.build.sizeBytes,
        naiveCold: naiveCold.ms,
        naiveWarm: naiveWarm.ms,
        naiveSize: naiveCold.size,
        healthyCold: healthy(cold.report),
        healthyWarm: healthy(warm.report),
        verifyCold: cold.wall,
        verifyWarm: warm.wall,
      });
    }
  } catch (e) {
    rows.push({ fixture: name, error: String(e.message ?? e).split('\n')[0] });
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

const header = '| fixture / service | cold build s | rebuild after source edit s (cached steps) | rebuild/cold | image MB | naive cold s | naive rebuild s | naive MB | size/naive | healthy cold/warm s | verify wall cold/warm s |';
console.log(header);
console.log('|' + '---|'.repeat(11));
for (const r of rows) {
  if (r.error) {
    console.log(`| ${r.fixture} | ERROR: ${r.error} |`);
    continue;
  }
  console.log(
    `| ${r.fixture} / ${r.service} | ${s(r.coldBuild)} | ${s(r.warmBuild)} (${r.warmCached}) | ${(r.warmBuild / r.coldBuild).toFixed(2)} | ${mb(r.size)} | ${s(r.naiveCold)} | ${s(r.naiveWarm)} | ${mb(r.naiveSize)} | ${(r.size / r.naiveSize).toFixed(2)} | ${s(r.healthyCold)} / ${s(r.healthyWarm)} | ${s(r.verifyCold)} / ${s(r.verifyWarm)} |`,
  );
}
console.log(`\n${os.cpus().length} cores, ${new Date().toISOString()}`);
if (rows.some((r) => r.error)) process.exitCode = 1;
