/**
 * `specFileFor`: the spec file init writes, as a library call. A fresh file for a new repository; on
 * a re-run the user's text with their edits and comments kept, only explicit choices overwriting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { detect } from '../../src/detect/detect.js';
import { StackgenError } from '../../src/errors.js';
import { SPEC_FILE, specFileFor } from '../../src/spec/spec-file.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function copyOf(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-spec-file-'));
  dirs.push(dir);
  fs.cpSync(path.join(FIXTURES_DIR, fixture), dir, { recursive: true });
  fs.rmSync(path.join(dir, SPEC_FILE), { force: true });
  return dir;
}

it('writes a fresh, valid spec for a repository without one, and writes nothing itself', async () => {
  const dir = copyOf('node-hono');
  const file = specFileFor(dir, await detect(dir), { spec: { ci: 'gitlab' } });
  expect(file.merge).toBeNull();
  expect(file.path).toBe(path.join(dir, SPEC_FILE));
  expect(file.spec.ci.provider).toBe('gitlab');
  expect(parseDocument(file.text).toJS().ci.provider).toBe('gitlab');
  expect(fs.existsSync(file.path)).toBe(false);
});

it("keeps the user's edits and comments on a re-run; explicit choices overwrite, detected defaults do not", async () => {
  const dir = copyOf('node-hono');
  const topology = await detect(dir);
  const first = specFileFor(dir, topology);
  const [name] = Object.keys(first.spec.services);
  const edited = first.text.replace(/^ci:\n {2}provider: github/m, '# we deploy from GitLab\nci:\n  provider: gitlab').replace(/^(\s+)port: \d+/m, '$1port: 9999');
  expect(edited).not.toBe(first.text);
  fs.writeFileSync(path.join(dir, SPEC_FILE), edited);

  const again = specFileFor(dir, topology, { spec: { ci: 'github' } });
  expect(again.text).toContain('# we deploy from GitLab');
  expect(again.spec.ci.provider).toBe('gitlab');
  expect(again.spec.services[name!]!.port).toBe(9999);

  const forced = specFileFor(dir, topology, { spec: { ci: 'github' }, explicit: { ci: 'github', ports: { [name!]: 7000 } } });
  expect(forced.spec.ci.provider).toBe('github');
  expect(forced.spec.services[name!]!.port).toBe(7000);
  expect(forced.merge?.addedServices).toEqual([]);
});

it('refuses a broken existing spec with an error naming the file and the line', async () => {
  const dir = copyOf('node-hono');
  const topology = await detect(dir);
  fs.writeFileSync(path.join(dir, SPEC_FILE), 'version: 1\nservices: {}\nnmae: shop\n');
  let caught: unknown;
  try {
    specFileFor(dir, topology, { displayPath: 'stackgen.yaml' });
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StackgenError);
  expect((caught as StackgenError).code).toBe('E_INVALID');
  expect((caught as StackgenError).locations?.some((l) => l.file === 'stackgen.yaml' && l.line === 3 && /unknown key `nmae`/.test(l.message ?? ''))).toBe(true);
});

it('does not read a stackgen.yaml that is a link out of the project', async () => {
  const dir = copyOf('node-hono');
  const outside = tempRepo({ 'secret.yaml': 'version: 1\n# outside\n' }, 'sg-spec-outside-');
  fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, SPEC_FILE));
  const topology = await detect(dir);
  expect(() => specFileFor(dir, topology)).toThrow(/link/);
});
