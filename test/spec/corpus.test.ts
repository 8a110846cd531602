/**
 * The invalid-spec corpus: each fixtures/specs/invalid/<case>.yaml states, in <case>.expected.json,
 * every error a user must see: line, column, dot path, and what the message (and hint) say.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStackgenError, type StackgenError } from '../../src/errors.js';
import { loadSpec, validateSpecText } from '../../src/spec/load.js';
import type { SpecError } from '../../src/spec/spec-error.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

const INVALID = path.join(FIXTURES_DIR, 'specs/invalid');
const VALID = path.join(FIXTURES_DIR, 'specs/valid');

interface Expected {
  line: number;
  column: number;
  path: string;
  messageIncludes: string;
  hintIncludes?: string;
}

function errorsOf(file: string): SpecError[] {
  try {
    loadSpec(file);
  } catch (err) {
    expect(isStackgenError(err)).toBe(true);
    const e = err as StackgenError;
    expect(e.code).toBe('E_INVALID');
    return (e.details as { errors: SpecError[] }).errors;
  }
  throw new Error(`${file} loaded without errors`);
}

function tmpFile(name: string, content: Uint8Array | string): string {
  return path.join(tempRepo({ [name]: content }, 'stackgen-spec-'), name);
}

const cases = fs.readdirSync(INVALID).filter((f) => f.endsWith('.yaml')).sort();

describe('invalid spec corpus', () => {
  it('has at least 25 cases, each with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const c of cases) expect(fs.existsSync(path.join(INVALID, c.replace(/\.yaml$/, '.expected.json'))), c).toBe(true);
  });

  it.each(cases)('%s', (name) => {
    const file = path.join(INVALID, name);
    const expected = JSON.parse(fs.readFileSync(file.replace(/\.yaml$/, '.expected.json'), 'utf8')) as Expected[];
    const t0 = Date.now();
    const errors = errorsOf(file);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(errors.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual(expected.map((e) => `${e.line}:${e.column} ${e.path}`));
    expected.forEach((want, i) => {
      const got = errors[i]!;
      expect(got.file).toBe(file);
      expect(got.message).toContain(want.messageIncludes);
      if (want.hintIncludes) expect(got.hint ?? '').toContain(want.hintIncludes);
    });
  });

  it('a file that is not UTF-8 is refused at the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('version: 1\nname: caf'), Buffer.from([0xe9]), Buffer.from('\nservices: {}\n')]);
    const errors = errorsOf(tmpFile('stackgen.yaml', bytes));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 2, column: 10, message: expect.stringContaining('not valid UTF-8') });
  });

  it('a huge file is refused before parsing', () => {
    const big = `version: 1\nname: big\nservices:\n${'  # padding padding padding padding padding padding padding\n'.repeat(20_000)}`;
    const t0 = Date.now();
    const errors = errorsOf(tmpFile('stackgen.yaml', big));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(errors[0]!.message).toMatch(/at most 1048576 bytes/);
  });

  it('an alias bomb with many more levels still ends fast with one error', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 20; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
    const t0 = Date.now();
    const r = validateSpecText(`${levels.join('\n')}\n`, 'bomb.yaml');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toContain('alias');
  });

  it('a missing spec file is an input error naming it, with a hint to run init', () => {
    const missing = path.join(os.tmpdir(), 'stackgen-no-such-dir', 'stackgen.yaml');
    try {
      loadSpec(missing);
      expect.unreachable();
    } catch (err) {
      expect((err as StackgenError).code).toBe('E_INPUT');
      expect((err as StackgenError).message).toContain(missing);
      expect((err as StackgenError).hint).toContain('stackgen init');
    }
  });

  it('the thrown error lists every finding as a location with its own message', () => {
    try {
      loadSpec(path.join(INVALID, 'several-errors.yaml'));
      expect.unreachable();
    } catch (err) {
      const e = err as StackgenError;
      expect(e.message).toContain('5 problems');
      expect(e.locations.map((l) => `${l.line}:${l.column}`)).toEqual(['2:7', '7:11', '8:15', '9:26', '11:13']);
      expect(e.locations[1]).toMatchObject({ path: 'services.api.port', message: 'must be ≥ 1' });
    }
  });
});

describe('valid specs', () => {
  it('minimal: defaults are filled in', () => {
    const { spec } = loadSpec(path.join(VALID, 'minimal.yaml'));
    expect(spec.services.api).toMatchObject({ role: 'web', replicas: 1, publish: null, healthcheck: { interval: '10s', retries: 3 }, dockerfile: { template: 'auto' } });
    expect(spec.backingServices).toEqual({});
    expect(spec.observability).toEqual({ prometheus: true, grafana: true, alertRules: true, scrapeInterval: '15s' });
    expect(spec.proxy.kind).toBe('none');
    expect(spec.ci.provider).toBe('github');
  });

  it('anchors and aliases a person writes are fine', () => {
    const { spec } = loadSpec(path.join(VALID, 'anchors.yaml'));
    expect(spec.services.admin!.healthcheck.path).toBe('/health');
  });

  it('full: every section, files that exist, secrets referenced and declared', () => {
    const { spec, doc } = loadSpec(path.join(VALID, 'full/stackgen.yaml'));
    expect(Object.keys(spec.services)).toEqual(['api', 'web', 'worker']);
    expect(spec.services.api!.dockerfile).toEqual({ path: 'api/Dockerfile', target: 'runtime' });
    expect(spec.proxy).toMatchObject({ kind: 'traefik', tls: 'acme', email: 'ops@example.com' });
    expect(doc.toString()).toContain('# yaml-language-server: $schema=');
  });
});
