/**
 * The external hadolint: JSON mapping, PATH lookup (never a download), merging, and the linter the
 * lint framework calls.
 */
import { describe, expect, it } from 'vitest';
import { findOnPath, mergeFindings, parseHadolintJson, runHadolint } from '../../../src/lint/dockerfile/hadolint.js';
import { createDockerfileLinter, dockerfileLinter, findHadolintConfig } from '../../../src/lint/dockerfile/linter.js';
import type { Finding } from '../../../src/lint/types.js';
import { tempRepo } from '../../helpers/temp-repo.js';

// The shape `hadolint --format json -` prints: an array of {line, code, message, column, file, level}.
const SAMPLE = JSON.stringify([
  { line: 1, code: 'DL3006', message: 'Always tag the version of an image explicitly', column: 1, file: '-', level: 'warning' },
  { line: 3, code: 'SC2086', message: 'Double quote to prevent globbing and word splitting.', column: 1, file: '-', level: 'info' },
  { line: 4, code: 'DL3048', message: 'Invalid label key.', column: 1, file: '-', level: 'style' },
  { line: 5, code: 'DL3004', message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root', column: 1, file: '-', level: 'error' },
]);

const emptyDir = tempRepo({}, 'sg-nopath-');

describe('parseHadolintJson', () => {
  it('maps hadolint JSON to findings for the linted file', () => {
    const findings = parseHadolintJson(SAMPLE, 'api/Dockerfile');
    expect(findings.map((f) => [f.rule, f.line, f.severity, f.tool, f.file])).toEqual([
      ['DL3006', 1, 'warning', 'hadolint', 'api/Dockerfile'],
      ['SC2086', 3, 'info', 'hadolint', 'api/Dockerfile'],
      ['DL3048', 4, 'style', 'hadolint', 'api/Dockerfile'],
      ['DL3004', 5, 'error', 'hadolint', 'api/Dockerfile'],
    ]);
    expect(findings[0]!.fix).toMatch(/hadolint\/wiki\/DL3006/);
    expect(findings[1]!.fix).toMatch(/shellcheck.*SC2086/);
  });

  it('accepts an empty result and rejects output that is not JSON', () => {
    expect(parseHadolintJson('[]', 'Dockerfile')).toEqual([]);
    expect(() => parseHadolintJson('hadolint: command failed', 'Dockerfile')).toThrow(/not JSON/);
  });
});

describe('runHadolint', () => {
  it('is skipped (returns no findings) when hadolint is not on PATH', async () => {
    expect(findOnPath('hadolint', emptyDir)).toBeNull();
    await expect(runHadolint({ path: 'Dockerfile', content: 'FROM debian\n' }, undefined, { pathEnv: emptyDir })).resolves.toEqual([]);
  });

  it('finds executables by scanning PATH', () => {
    const dir = tempRepo({ 'not-exec': 'x' }, 'sg-path-');
    expect(findOnPath('not-exec', dir)).toBeNull();
    expect(findOnPath('node', process.env.PATH)).toMatch(/node$/);
  });
});

describe('mergeFindings', () => {
  const f = (rule: string, line: number, tool: string): Finding => ({ file: 'Dockerfile', line, column: 1, rule, severity: 'warning', message: rule, tool });
  it('drops a built-in finding that hadolint also reported on the same line', () => {
    const merged = mergeFindings([f('DL3006', 1, 'stackgen'), f('DL3003', 4, 'stackgen'), f('SG1002', 1, 'stackgen')], [f('DL3006', 1, 'hadolint'), f('DL3003', 5, 'hadolint')]);
    expect(merged.map((x) => `${x.rule}@${x.line}:${x.tool}`)).toEqual(['DL3006@1:hadolint', 'SG1002@1:stackgen', 'DL3003@4:stackgen', 'DL3003@5:hadolint']);
  });
});

describe('dockerfileLinter', () => {
  const dockerfile = { path: 'services/api/Dockerfile', content: 'FROM debian\nRUN cd /x\n' };

  it('has kind dockerfile and lints with built-in rules', async () => {
    expect(dockerfileLinter.kind).toBe('dockerfile');
    const linter = createDockerfileLinter({ pathEnv: emptyDir });
    const findings = await linter.lint(dockerfile, { files: [dockerfile], external: true });
    expect(findings.map((x) => x.rule)).toEqual(['DL3006', 'SG1001', 'SG1002', 'DL3003']);
  });

  it('uses the nearest .hadolint.yaml among the linted files', async () => {
    const root = { path: '.hadolint.yaml', content: 'ignored: [DL3006]\n' };
    const near = { path: 'services/.hadolint.yml', content: 'ignored: [DL3003]\noverride:\n  error: [DL3006]\n' };
    expect(findHadolintConfig(dockerfile, [root, near, dockerfile])).toBe(near);
    const findings = await createDockerfileLinter({ pathEnv: emptyDir }).lint(dockerfile, { files: [root, near, dockerfile], external: false });
    expect(findings.map((x) => [x.rule, x.severity])).toEqual([
      ['DL3006', 'error'],
      ['SG1001', 'warning'],
      ['SG1002', 'warning'],
    ]);
  });

  it('reports an invalid config as a finding on the config file', async () => {
    const bad = { path: '.hadolint.yaml', content: 'ignored: DL3006\n' };
    const findings = await createDockerfileLinter({ pathEnv: emptyDir }).lint(dockerfile, { files: [bad, dockerfile], external: false });
    expect(findings).toEqual([expect.objectContaining({ file: '.hadolint.yaml', line: 1, rule: 'SG1000', severity: 'error' })]);
  });

  it('air-gapped linting flags a syntax directive', async () => {
    const file = { path: 'Dockerfile', content: '# syntax=docker/dockerfile:1.7\nFROM debian:12\nUSER app\nHEALTHCHECK NONE\n' };
    const findings = await createDockerfileLinter({ airGapped: true, pathEnv: emptyDir }).lint(file, { files: [file], external: true });
    expect(findings.map((x) => `${x.rule}@${x.line}`)).toEqual(['SG1005@1']);
  });
});
