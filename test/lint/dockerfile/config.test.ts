/** Reading `.hadolint.yaml`: the keys hadolint uses, and errors that point at the line. */
import { describe, expect, it } from 'vitest';
import { loadHadolintConfig } from '../../../src/lint/dockerfile/config.js';
import { StackgenError } from '../../../src/errors.js';

function errorOf(text: string): StackgenError {
  try {
    loadHadolintConfig(text, 'repo/.hadolint.yaml');
  } catch (err) {
    if (err instanceof StackgenError) return err;
    throw err;
  }
  throw new Error('expected loadHadolintConfig to throw');
}

describe('loadHadolintConfig', () => {
  it('reads every supported key', () => {
    const config = loadHadolintConfig(
      [
        'failure-threshold: warning',
        'ignored: [DL3008, DL3009]',
        'override:',
        '  error: [DL3001]',
        '  style: [DL3059]',
        'trustedRegistries:',
        '  - docker.io',
        '  - "*.example.com"',
        'label-schema:',
        '  maintainer: text',
        '  version: semver',
        'strict-labels: true',
        'disable-ignore-pragma: false',
        'no-color: true',
        'format: tty',
      ].join('\n'),
      '.hadolint.yaml',
    );
    expect(config).toEqual({
      failureThreshold: 'warning',
      ignored: ['DL3008', 'DL3009'],
      override: { error: ['DL3001'], style: ['DL3059'] },
      trustedRegistries: ['docker.io', '*.example.com'],
      labelSchema: { maintainer: 'text', version: 'semver' },
      strictLabels: true,
      disableIgnorePragma: false,
    });
  });

  it('an empty file is the default config', () => {
    expect(loadHadolintConfig('', 'x').ignored).toEqual([]);
    expect(loadHadolintConfig('# just a comment\n', 'x').failureThreshold).toBe('info');
  });

  it('invalid YAML throws E_INVALID with file and line', () => {
    const err = errorOf('ignored:\n  - DL3008\noverride: [error\n');
    expect(err.code).toBe('E_INVALID');
    expect(err.locations[0]?.file).toBe('repo/.hadolint.yaml');
    expect(err.locations[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('a wrong type names the key and its line', () => {
    const err = errorOf('failure-threshold: info\nignored: DL3008\n');
    expect(err.message).toMatch(/ignored/);
    expect(err.locations[0]).toMatchObject({ file: 'repo/.hadolint.yaml', line: 2 });
  });

  it('rejects unknown severities, thresholds, label types and keys', () => {
    expect(errorOf('override:\n  fatal: [DL3000]\n').locations[0]?.line).toBe(2);
    expect(errorOf('failure-threshold: high\n').message).toMatch(/failure-threshold/);
    expect(errorOf('label-schema:\n  a: number\n').locations[0]?.line).toBe(2);
    expect(errorOf('ignore: [DL3000]\n').message).toMatch(/unknown key `ignore`/);
  });
});
