import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/fixtures.js';

// Asynchronous: tsc takes tens of seconds, and a synchronous spawn would hold the test worker's event loop.
it('the whole project type-checks under strict settings', async () => {
  const r = await execa(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: REPO_ROOT, reject: false });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
}, 180_000);
