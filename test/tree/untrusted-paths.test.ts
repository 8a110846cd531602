/**
 * A repository is input: its manifest and its links must not make a flush write or delete anything
 * outside the project. Each attack here worked before the file layer (a `../` manifest key deleted the
 * outside file; a symlinked folder received the writes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StackgenError } from '../../src/errors.js';
import { MANIFEST_PATH, ProjectFs, VirtualTree, readManifest, sha256 } from '../../src/tree/index.js';

let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-paths-'));
  root = path.join(base, 'project');
  outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const VICTIM = 'precious data\n';

function plantManifest(files: Record<string, string>): void {
  fs.mkdirSync(path.join(root, '.stackgen'), { recursive: true });
  const entries = Object.fromEntries(Object.entries(files).map(([k, content]) => [k, { sha256: sha256(content) }]));
  fs.writeFileSync(path.join(root, MANIFEST_PATH), JSON.stringify({ version: 1, files: entries }));
}

function caught(fn: () => unknown): StackgenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StackgenError);
    return err as StackgenError;
  }
  throw new Error('expected an error');
}

function flushSomething(options: { dryRun?: boolean; force?: boolean; pruneEdited?: boolean } = {}) {
  const t = new VirtualTree(root);
  t.write('compose.yaml', 'services: {}\n');
  return t.flush(options);
}

describe('manifest keys from the repository', () => {
  const victim = () => path.join(outside, 'victim.txt');
  beforeEach(() => fs.writeFileSync(victim(), VICTIM));

  const keys: Array<[string, () => string]> = [
    ['../x', () => '../outside/victim.txt'],
    ['/abs', () => victim()],
    ['a/../../x', () => 'a/../../outside/victim.txt'],
    ['backslash', () => '..\\outside\\victim.txt'],
    ['control character', () => 'compose.yaml\u0000'],
    ['empty segment', () => 'a//b'],
    ['dot segment', () => './compose.yaml'],
  ];
  for (const [name, key] of keys) {
    it(`${name}: an E_INVALID error naming the key; nothing deleted, nothing written`, () => {
      plantManifest({ [key()]: VICTIM });
      for (const options of [{}, { dryRun: true }, { force: true, pruneEdited: true }]) {
        const err = caught(() => flushSomething(options));
        expect(err.code).toBe('E_INVALID');
        expect(err.message).toContain(JSON.stringify(key()));
        expect(err.hint).toBeTruthy();
        expect(err.locations[0]).toMatchObject({ file: path.join(root, MANIFEST_PATH), path: `files[${JSON.stringify(key())}]` });
      }
      expect(fs.readFileSync(victim(), 'utf8')).toBe(VICTIM);
      expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
    });
  }

  it('a key without a sha256 is invalid too', () => {
    fs.mkdirSync(path.join(root, '.stackgen'));
    fs.writeFileSync(path.join(root, MANIFEST_PATH), JSON.stringify({ version: 1, files: { 'compose.yaml': {} } }));
    expect(() => readManifest(root)).toThrow(/"compose\.yaml" has no sha256/);
  });

  it('a stale key reaching out through a symlinked folder deletes nothing', () => {
    fs.symlinkSync(outside, path.join(root, 'lnk'));
    plantManifest({ 'lnk/victim.txt': VICTIM });
    const err = caught(() => flushSomething({ pruneEdited: true }));
    expect(err.code).toBe('E_INVALID');
    expect(err.message).toContain('lnk is a symbolic link to');
    expect(fs.readFileSync(victim(), 'utf8')).toBe(VICTIM);
  });
});

describe('symbolic links in the project', () => {
  it('a symlinked .github pointing outside: refused before anything is written, naming the link and its target', () => {
    fs.symlinkSync(outside, path.join(root, '.github'));
    const t = new VirtualTree(root);
    t.write('compose.yaml', 'services: {}\n');
    t.write('.github/workflows/docker.yml', 'on: push\n');
    const err = caught(() => t.listChanges());
    expect(err.code).toBe('E_INVALID');
    expect(err.message).toContain('.github is a symbolic link to');
    expect(err.message).toContain(outside);
    expect(err.locations[0]!.file).toBe(path.join(fs.realpathSync(root), '.github'));
    expect(caught(() => t.flush()).message).toContain('.github');
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
  });

  it('a symlinked service folder pointing outside, even a relative link', () => {
    fs.symlinkSync('../outside', path.join(root, 'api'));
    const t = new VirtualTree(root);
    t.write('api/Dockerfile', 'FROM x\n');
    const err = caught(() => t.flush());
    expect(err.message).toMatch(/^api is a symbolic link to \.\.\/outside/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('a new folder under a symlinked folder is not created either', () => {
    fs.symlinkSync(outside, path.join(root, 'deploy'));
    const t = new VirtualTree(root);
    t.write('deploy/grafana/dashboards/app.json', '{}\n');
    expect(caught(() => t.flush()).message).toContain('deploy is a symbolic link');
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('a symlinked target file is refused wherever it points, and its target is neither read nor changed', () => {
    const victim = path.join(outside, 'victim.yaml');
    fs.writeFileSync(victim, VICTIM);
    fs.symlinkSync(victim, path.join(root, 'compose.yaml'));
    const t = new VirtualTree(root);
    t.write('compose.yaml', 'services: {}\n');
    const err = caught(() => t.diff());
    expect(err.message).toContain(`compose.yaml is a symbolic link to ${victim}`);
    expect(caught(() => t.flush({ force: true })).code).toBe('E_INVALID');
    expect(fs.readFileSync(victim, 'utf8')).toBe(VICTIM);
    expect(fs.lstatSync(path.join(root, 'compose.yaml')).isSymbolicLink()).toBe(true);
  });

  it('a .env that links to a file elsewhere is not read into the tree or overwritten', () => {
    const secret = path.join(outside, 'credentials');
    fs.writeFileSync(secret, 'AWS_SECRET=abc\n');
    fs.symlinkSync(secret, path.join(root, '.env'));
    const t = new VirtualTree(root);
    expect(() => t.read('.env')).toThrow(/\.env is a symbolic link/);
    t.write('.env', 'X=1\n', { createOnly: true, mode: 0o600 });
    expect(() => t.flush()).toThrow(/\.env is a symbolic link/);
    expect(fs.readFileSync(secret, 'utf8')).toBe('AWS_SECRET=abc\n');
  });

  it('a dangling link is refused and says its target does not exist', () => {
    fs.symlinkSync(path.join(outside, 'nope'), path.join(root, '.stackgen'));
    const err = caught(() => flushSomething());
    expect(err.message).toContain('.stackgen is a symbolic link to');
    expect(err.message).toContain('does not exist');
    expect(fs.existsSync(path.join(outside, 'nope'))).toBe(false);
  });

  it('a link to a folder inside the project is followed: the file lands in the real folder', () => {
    fs.mkdirSync(path.join(root, 'apps/web'), { recursive: true });
    fs.symlinkSync('apps/web', path.join(root, 'web'));
    const t = new VirtualTree(root);
    t.write('web/Dockerfile', 'FROM x\n');
    expect(t.flush().written).toEqual(['web/Dockerfile']);
    expect(fs.readFileSync(path.join(root, 'apps/web/Dockerfile'), 'utf8')).toContain('FROM x');
  });

  it('the project root may itself be a link (the user chose it)', () => {
    fs.symlinkSync(root, path.join(base, 'via-link'));
    const t = new VirtualTree(path.join(base, 'via-link'));
    t.write('compose.yaml', 'services: {}\n');
    t.flush();
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(true);
  });
});

describe('ProjectFs', () => {
  it('writes atomically (no temp file left), creates folders and keeps an existing mode', () => {
    const files = new ProjectFs(root);
    files.writeAtomic('a/b/run.sh', '#!/bin/sh\n', 0o755);
    files.writeAtomic('a/b/run.sh', '#!/bin/sh\necho 2\n');
    expect(fs.statSync(path.join(root, 'a/b/run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(path.join(root, 'a/b'))).toEqual(['run.sh']);
    expect(files.read('a/b/run.sh')).toBe('#!/bin/sh\necho 2\n');
  });

  it('refuses paths that are not plain relative paths, before touching the disk', () => {
    const files = new ProjectFs(root);
    for (const p of ['../x', '/etc/x', 'a/../../x', 'a\\b', '', 'a//b']) expect(() => files.writeAtomic(p, 'x')).toThrow(StackgenError);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('deletes regular files only', () => {
    const files = new ProjectFs(root);
    files.writeAtomic('x.txt', 'x');
    expect(files.remove('x.txt')).toBe(true);
    expect(files.remove('x.txt')).toBe(false);
    fs.mkdirSync(path.join(root, 'dir'));
    expect(() => files.remove('dir')).toThrow(/not a regular file/);
  });
});

describe('flush options', () => {
  it('--force overwrites conflicts but keeps stale files the user edited; pruneEdited deletes them', () => {
    const t1 = new VirtualTree(root);
    t1.write('old/Dockerfile', 'FROM a\n');
    t1.flush();
    fs.appendFileSync(path.join(root, 'old/Dockerfile'), 'RUN mine\n');

    const forced = new VirtualTree(root);
    const f = forced.flush({ force: true });
    expect(f.deleted).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'old/Dockerfile'), 'utf8')).toContain('RUN mine');
    // Kept as the user's: dropped from the manifest, so a later prune does not touch it either.
    plantManifestFrom('old/Dockerfile');
    const pruned = new VirtualTree(root);
    const p = pruned.flush({ pruneEdited: true });
    expect(p.deleted).toEqual(['old/Dockerfile']);
    expect(p.changes).toEqual([{ path: 'old/Dockerfile', kind: 'delete', reason: expect.stringContaining('--prune-edited') }]);
    expect(fs.existsSync(path.join(root, 'old/Dockerfile'))).toBe(false);
  });
});

/** A manifest entry for a file as stackgen first wrote it (hash of other bytes: the user edited it since). */
function plantManifestFrom(rel: string): void {
  fs.mkdirSync(path.join(root, '.stackgen'), { recursive: true });
  fs.writeFileSync(path.join(root, MANIFEST_PATH), JSON.stringify({ version: 1, files: { [rel]: { sha256: sha256('something else') } } }));
}
