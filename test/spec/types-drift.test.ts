import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures.js';

describe('spec types', () => {
  it('are generated from schemas/stackgen.schema.json and have not drifted', () => {
    // --check exits 1 (execFileSync throws) when the generated file differs from what the schema gives.
    const run = () => execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/gen-spec-types.mjs'), '--check'], { cwd: REPO_ROOT, stdio: 'pipe' });
    expect(run).not.toThrow();
  });
});
