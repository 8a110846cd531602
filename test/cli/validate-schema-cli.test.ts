/** `stackgen validate` and `stackgen schema` from the command line (run in process): exit codes, stderr positions, JSON. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';

async function stackgen(args: string[], cwd = REPO_ROOT) {
  const e = { ...process.env, NO_COLOR: '1' };
  return runCli(args, { cwd, env: e });
}


const invalid = (n: string) => path.relative(REPO_ROOT, path.join(FIXTURES_DIR, 'specs/invalid', n));

describe('stackgen validate', () => {
  it('a valid spec exits 0', async () => {
    const r = await stackgen(['validate', path.join(FIXTURES_DIR, 'specs/valid/full/stackgen.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('is valid (3 services)');
  });

  it('an invalid spec exits 1 and prints file:line:col, the path and the fix on stderr', async () => {
    const file = invalid('port-too-big.yaml');
    const r = await stackgen(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:7:11 services.api.port: must be ≤ 65535`);
    const typo = await stackgen(['validate', invalid('unknown-key-typo.yaml')]);
    expect(typo.stderr).toContain('unknown-key-typo.yaml:7:5 services.api.prot: unknown key `prot`');
    expect(typo.stderr).toContain('Did you mean `port`?');
  });

  it('defaults to ./stackgen.yaml', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-validate-'));
    fs.copyFileSync(path.join(FIXTURES_DIR, 'specs/valid/minimal.yaml'), path.join(dir, 'stackgen.yaml'));
    expect((await stackgen(['validate'], dir)).code).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints {valid, errors} with positions and still exits 1', async () => {
    const r = await stackgen(['validate', invalid('several-errors.yaml'), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { valid: boolean; errors: Array<{ line: number; column: number; path: string; message: string }> };
    expect(out.valid).toBe(false);
    expect(out.errors.map((e) => `${e.line}:${e.column} ${e.path}`)).toEqual(['2:7 name', '7:11 services.api.port', '8:15 services.api.replicas', '9:26 services.api.resources.memory', '11:13 ci.provider']);
    const ok = JSON.parse((await stackgen(['validate', path.join(FIXTURES_DIR, 'specs/valid/minimal.yaml'), '--json'])).stdout) as { valid: boolean; errors: unknown[] };
    expect(ok).toEqual({ valid: true, errors: [] });
  });

  it('a missing spec exits 2 and says how to get one', async () => {
    const r = await stackgen(['validate', 'no/such/stackgen.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/stackgen.yaml');
    expect(r.stderr).toContain('stackgen init');
  });

  it('render refuses an invalid spec with the same positions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-validate-render-'));
    fs.copyFileSync(path.join(FIXTURES_DIR, 'specs/invalid/port-too-big.yaml'), path.join(dir, 'stackgen.yaml'));
    const r = await stackgen(['render', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stackgen\.yaml:7:11 services\.api\.port: must be ≤ 65535/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('stackgen schema', () => {
  it('prints the JSON Schema the package ships', async () => {
    const r = await stackgen(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/stackgen.schema.json'), 'utf8')));
  });
});
