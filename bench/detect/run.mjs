#!/usr/bin/env node
// Benchmark: detect's wall time and peak memory against a bare fast-glob listing of the same tree
// under the same ignores, on synthetic repos of 1k, 10k and 100k files. Run: npm run bench:detect
// (builds first). Each mode runs in its own process, alternating, REPEAT times; the median is reported.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateRepo } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.join(here, '..', '.work', 'detect');
const sizes = (process.env.SIZES ?? '1000,10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.REPEAT ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (mode, dir) => JSON.parse(execFileSync(process.execPath, [path.join(here, 'measure.mjs'), mode, dir], { encoding: 'utf8' }));

console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; median of ${REPEAT} runs each`);
console.log('| files | bare walk (ms) | detect (ms) | time ratio | walk peak RSS (MB) | detect peak RSS (MB) | services |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const size of sizes) {
  const dir = path.join(work, `repo-${size}`);
  generateRepo(dir, size);
  measure('walk', dir); // warm the page cache for both modes alike
  const walk = [];
  const det = [];
  for (let i = 0; i < REPEAT; i++) {
    walk.push(measure('walk', dir));
    det.push(measure('detect', dir));
  }
  const w = median(walk.map((r) => r.ms));
  const d = median(det.map((r) => r.ms));
  console.log(`| ${size} | ${w.toFixed(0)} | ${d.toFixed(0)} | ${(d / w).toFixed(2)}× | ${median(walk.map((r) => r.maxRssMB)).toFixed(0)} | ${median(det.map((r) => r.maxRssMB)).toFixed(0)} | ${det[0].count} |`);
}
