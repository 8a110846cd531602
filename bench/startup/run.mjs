#!/usr/bin/env node
// Benchmark: wall time of CLI processes a user waits for, beside a bare `node -e 0` measured in the
// same run (so a busy machine moves both). Run: npm run bench:startup (builds first).
// Each case runs REPEAT times (default 9), interleaved with the others; the median is reported with its target.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
// STACKGEN_ROOT: another built checkout to measure (e.g. the commit before a change), same fixtures.
const bin = path.join(process.env.STACKGEN_ROOT ?? root, 'bin', 'stackgen.js');
const REPEAT = Number(process.env.REPEAT ?? 9);
const FIXTURE = process.env.FIXTURE ?? 'node-hono';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A one-service repository with its stackgen.yaml and nothing rendered yet: render --dry-run renders,
// lints and diffs every file.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-bench-startup-'));
const scratch = path.join(work, 'init');
const repo = path.join(work, 'repo');
fs.cpSync(path.join(root, 'fixtures', FIXTURE), scratch, { recursive: true });
fs.cpSync(path.join(root, 'fixtures', FIXTURE), repo, { recursive: true });
execFileSync(process.execPath, [bin, 'init', scratch, '--yes', '--ci', 'github', '--no-observability'], { stdio: 'ignore' });
fs.copyFileSync(path.join(scratch, 'stackgen.yaml'), path.join(repo, 'stackgen.yaml'));

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'stackgen --version', args: [bin, '--version'], target: (base) => 2 * base, targetText: '≤ 2× node' },
  { name: 'stackgen --help', args: [bin, '--help'], target: (base) => 2 * base, targetText: '≤ 2× node' },
  { name: `stackgen detect (${FIXTURE})`, args: [bin, 'detect', repo], target: () => 300, targetText: '≤ 300 ms' },
  { name: `stackgen render --dry-run (${FIXTURE})`, args: [bin, 'render', repo, '--dry-run'], target: () => 800, targetText: '≤ 800 ms' },
];

// CPU time (user + system, all threads) beside wall time: on a machine shared with other work the
// wall time moves with the load, the CPU a command burns much less. GNU time reports it when present.
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const samples = new Map(cases.map((c) => [c.name, []]));
for (const c of cases) time(c.args); // warm the page cache for every case alike
for (let i = 0; i < REPEAT; i++) for (const c of cases) samples.get(c.name).push(time(c.args));

const base = median(samples.get('node -e 0').map((x) => x.ms));
console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}; median of ${REPEAT} runs each`);
console.log('| command | wall median (ms) | × node -e 0 | CPU median (ms) | target | met |');
console.log('|---|---:|---:|---:|---|---|');
for (const c of cases) {
  const ms = median(samples.get(c.name).map((x) => x.ms));
  const cpu = median(samples.get(c.name).map((x) => x.cpuMs));
  const met = c.target ? (ms <= c.target(base) ? 'yes' : 'no') : '';
  console.log(`| \`${c.name}\` | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)}× | ${Number.isNaN(cpu) ? '' : cpu.toFixed(0)} | ${c.targetText ?? ''} | ${met} |`);
}
fs.rmSync(work, { recursive: true, force: true });
