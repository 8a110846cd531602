#!/usr/bin/env node
// Interleaved A/B of one CLI command across built checkouts, beside `node -e 0` in the same rounds, so a
// busy machine moves every column alike. Usage:
//   CMD="detect fixtures/node-hono" N=15 node bench/startup/ab.mjs <checkout-before> <checkout-after>
// Each checkout needs `npm run build`. Prints wall and CPU (user+sys, GNU time) medians per checkout.
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2);
if (roots.length === 0) throw new Error('name one or more built checkouts');
const N = Number(process.env.N ?? 11);
const argv = (process.env.CMD ?? 'detect fixtures/node-hono').split(' ');
const cases = [['node -e 0', ['-e', '0']], ...roots.map((r) => [r, [`${r}/bin/stackgen.js`, ...argv]])];
const samples = new Map(cases.map(([name]) => [name, []]));

function run(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // 3: a dry run that lists conflicts; the timing still counts.
  if (r.status !== 0 && r.status !== 3) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [, args] of cases) run(args); // warm the page cache for every case alike
for (let i = 0; i < N; i++) for (const [name, args] of cases) samples.get(name).push(run(args));
for (const [name, xs] of samples) {
  console.log(`wall ${median(xs.map((x) => x.wall)).toFixed(0).padStart(5)} ms  cpu ${median(xs.map((x) => x.cpu)).toFixed(0).padStart(5)} ms  ${name}`);
}
