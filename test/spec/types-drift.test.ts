import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { run } from '../helpers/run.js';

describe('spec types', () => {
  it('are generated from schemas/stackgen.schema.json and have not drifted', async () => {
    // --check exits 1 when the generated file differs from what the schema gives.
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/gen-spec-types.mjs'), '--check'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
