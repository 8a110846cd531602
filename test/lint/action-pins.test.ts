/**
 * `lint --check-pins` against real git repositories: local bare repositories stand where the actions
 * live (STACKGEN_GIT_BASE-style base URL, file://), with a lightweight and an annotated release tag.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/index.js';
import { runCli } from '../helpers/cli.js';

let base: string;
let first: string;
let second: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-pins-'));
  const work = path.join(base, 'work');
  fs.mkdirSync(work);
  git(work, 'init', '-q');
  fs.writeFileSync(path.join(work, 'action.yml'), 'name: x\n');
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'one');
  first = git(work, 'rev-parse', 'HEAD');
  git(work, 'tag', 'v1.0.0');
  fs.appendFileSync(path.join(work, 'action.yml'), 'description: y\n');
  git(work, 'commit', '-qam', 'two');
  second = git(work, 'rev-parse', 'HEAD');
  git(work, 'tag', '-a', 'v2.0.0', '-m', 'release two');
  fs.mkdirSync(path.join(base, 'actions'));
  git(base, 'clone', '-q', '--bare', work, path.join(base, 'actions/checkout'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

it('accepts pins that are their release, and names wrong, unknown, unnamed and unreachable ones', async () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  t:',
    '    runs-on: ubuntu-24.04',
    '    steps:',
    `      - uses: actions/checkout@${second} # v2.0.0`,
    `      - uses: actions/checkout@${first} # v1.0.0`,
    `      - uses: actions/checkout@${first} # v2.0.0`,
    `      - uses: actions/checkout@${first} # v3.0.0`,
    `      - uses: actions/checkout@${first}`,
    `      - uses: nobody/nothing@${first} # v1`,
    '',
  ].join('\n');
  const findings = await lintFiles([{ path: '.github/workflows/ci.yml', content: workflow }], { external: false, checkPins: { gitBase: `file://${base}` } });
  expect(findings.map((f) => [f.line, f.rule, f.severity])).toEqual([
    [8, 'SG5003', 'error'],
    [9, 'SG5004', 'error'],
    [10, 'SG5005', 'warning'],
    [11, 'SG5004', 'error'],
  ]);
  expect(findings[0]!.message).toContain(`v2.0.0 is commit ${second}`);
  expect(findings[0]!.fix).toContain(`actions/checkout@${second} # v2.0.0`);
  expect(findings[1]!.message).toBe('v3.0.0 is not a tag of actions/checkout');
  expect(findings[3]!.message).toMatch(/^cannot check nobody\/nothing v1: git ls-remote .* failed/);
  // Without the option nothing is asked.
  expect(await lintFiles([{ path: '.github/workflows/ci.yml', content: workflow }], { external: false })).toEqual([]);
});

it('the CLI flag checks a rendered workflow end to end', async () => {
  const dir = path.join(base, 'repo');
  fs.mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.github/workflows/ci.yml'), `on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${first} # v2.0.0\n`);
  const r = await runCli(['lint', '--check-pins', '--no-external', dir], { env: { ...process.env, NO_COLOR: '1', STACKGEN_GIT_BASE: `file://${base}` } });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('SG5003');
});
