import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

// Asynchronous: tsc takes tens of seconds, and a synchronous spawn would hold the test worker's event loop.
// Incremental: tsc re-checks only what changed since the last run (its build info sits in dist/, which
// global-setup builds and `rm -rf dist` clears); a first run checks everything.
it('the whole project type-checks under strict settings', async () => {
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const buildInfo = path.join(REPO_ROOT, 'dist/.typecheck.tsbuildinfo');
  const r = await execa(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', buildInfo], { cwd: REPO_ROOT, reject: false });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
}, 180_000);
