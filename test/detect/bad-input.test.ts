/**
 * detect on hostile or broken input: it must terminate quickly, never follow links out of the
 * folder, never throw for a file's content, and say what it could not read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { isStackgenError } from '../../src/errors.js';
import { SourceView } from '../../src/source/source-view.js';
import { type RepoFiles, tempRepo } from '../helpers/temp-repo.js';

// A mode-000 file needs no restoring before cleanup: removing it takes write access to its folder only.
const tmp = (files: RepoFiles = {}) => tempRepo(files, 'stackgen-bad-');

const KEMAL = { 'shard.yml': 'name: app\ntargets:\n  app:\n    main: src/app.cr\ndependencies:\n  kemal:\n    github: kemalcr/kemal\n', 'src/app.cr': 'require "kemal"\nKemal.run 3000\n' };
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('the path given', () => {
  it('a missing path is an input error that names the path', async () => {
    const missing = path.join(os.tmpdir(), 'stackgen-no-such-folder-4711');
    const err = await rejection(detect(missing));
    expect(isStackgenError(err) && err.code).toBe('E_INPUT');
    expect((err as Error).message).toContain(missing);
  });

  it('a file instead of a folder is an input error that names the file', async () => {
    const root = tmp({ 'README.md': '# hi\n' });
    const file = path.join(root, 'README.md');
    const err = await rejection(detect(file));
    expect(isStackgenError(err) && err.code).toBe('E_INPUT');
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(/not a folder/);
  });

  it('an empty folder detects nothing and says what stackgen knows', async () => {
    const t = await detect(tmp());
    expect(t.services).toEqual([]);
    expect(t.warnings.at(-1)?.message).toMatch(/no service detected in 0 files.*stackgen knows: node \(package\.json\)/s);
  });
});

describe('files that cannot be read as text', () => {
  it.skipIf(isRoot)('an unreadable manifest is a warning naming it (skipped as root: root reads mode-000 files)', async () => {
    const root = tmp({ 'locked/shard.yml': KEMAL['shard.yml'], 'locked/src/app.cr': KEMAL['src/app.cr'] });
    fs.chmodSync(path.join(root, 'locked', 'shard.yml'), 0o000);
    const t = await detect(root);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'locked/shard.yml', message: expect.stringMatching(/permission denied/) }));
  });

  it('a file that disappears between listing and reading is a warning, not a crash', async () => {
    const root = tmp(KEMAL);
    const view = await SourceView.open(root);
    fs.rmSync(path.join(root, 'shard.yml'));
    expect(view.readText('shard.yml')).toBeUndefined();
    expect(view.warnings).toContainEqual(expect.objectContaining({ file: 'shard.yml', message: expect.stringMatching(/unreadable \(ENOENT\)/) }));
  });

  it('a binary file named like a manifest is skipped with a warning', async () => {
    const bin = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0, 0xff, 0xfe]);
    const t = await detect(tmp({ 'gleam.toml': bin, 'Dockerfile': bin, 'compose.yaml': bin, 'package.json': bin }));
    expect(t.services).toEqual([]);
    for (const f of ['gleam.toml', 'Dockerfile', 'compose.yaml']) expect(t.warnings).toContainEqual(expect.objectContaining({ file: f, message: expect.stringMatching(/binary/) }));
  });

  it('a 50 MB manifest is read only up to the cap, with a warning, quickly', async () => {
    const big = `{"name":"huge","description":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const root = tmp({ 'package.json': big, 'shard.yml': `name: big\n# ${'y'.repeat(50 * 1024 * 1024)}\n` });
    const view = await SourceView.open(root);
    const text = view.readText('package.json');
    expect(text?.length).toBe(1024 * 1024);
    expect(view.readJson('package.json').error).toBeDefined();
    expect(view.warnings).toContainEqual(expect.objectContaining({ file: 'package.json', message: expect.stringMatching(/only the first 1048576/) }));
    const t = await detect(root);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'shard.yml', message: expect.stringMatching(/only the first/) }));
  });

  it('a Latin-1 manifest is read with a warning, and the service is still detected', async () => {
    const latin1 = Buffer.from(`${KEMAL['shard.yml']}description: "Caf\u00e9 cr\u00e8me"\n`, 'latin1');
    const t = await detect(tmp({ 'shard.yml': latin1, 'src/app.cr': KEMAL['src/app.cr'] }));
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'shard.yml', message: expect.stringMatching(/not valid UTF-8/) }));
    expect(t.services.map((s) => [s.language, s.port])).toEqual([['crystal', 3000]]);
  });
});

describe('syntax errors are located', () => {
  it('JSON, TOML and YAML errors carry the file and line', async () => {
    const root = tmp({
      'a/package.json': '{\n  "name": "a",\n  "scripts": {\n    "start": "node ."\n    "x": 1\n  }\n}\n',
      'b/gleam.toml': 'name = "b"\nversion = "1"\n[dependencies]\nmist = \n',
      'c/pubspec.yaml': 'name: c\ndependencies:\n  shelf: ^1.0.0\n    bad: indent\n',
    });
    const view = await SourceView.open(root);
    expect(view.readJson('a/package.json').error).toMatchObject({ file: 'a/package.json', line: 5 });
    const t = await detect(root);
    expect(t.warnings.find((w) => w.file === 'b/gleam.toml')).toMatchObject({ line: 4, message: expect.stringMatching(/invalid TOML/) });
    expect(t.warnings.find((w) => w.file === 'c/pubspec.yaml')).toMatchObject({ line: 3, message: expect.stringMatching(/invalid YAML/) });
  });
});

describe('the shape of the tree', () => {
  it('symlink loops terminate and links leaving the folder are not followed', async () => {
    const outside = tmp({ 'shard.yml': KEMAL['shard.yml'], 'src/app.cr': KEMAL['src/app.cr'], 'index.html': '<html></html>' });
    const root = tmp({ 'README.md': '# repo\n' });
    fs.symlinkSync('.', path.join(root, 'a'));
    fs.symlinkSync('b', path.join(root, 'b'));
    fs.mkdirSync(path.join(root, 'deep'));
    fs.symlinkSync('..', path.join(root, 'deep', 'up'));
    fs.symlinkSync(outside, path.join(root, 'elsewhere'));
    fs.symlinkSync(path.join(outside, 'shard.yml'), path.join(root, 'shard.yml'));
    fs.symlinkSync(path.join(outside, 'index.html'), path.join(root, 'index.html'));
    const started = Date.now();
    const t = await detect(root);
    const view = await SourceView.open(root);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(t.services).toEqual([]);
    expect(view.files).toEqual(['README.md']);
  });

  it('a named pipe called like a manifest is not opened (it would block forever)', async () => {
    const root = tmp({ 'src/app.cr': KEMAL['src/app.cr'] });
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(root, 'shard.yml')]);
    const t = await detect(root);
    expect(t.services).toEqual([]);
  });

  it('a service folder that .gitignore ignores is not detected; --no-gitignore brings it back', async () => {
    const root = tmp({
      '.gitignore': 'scratch/\n*.log\n',
      'app/shard.yml': KEMAL['shard.yml'],
      'app/src/app.cr': KEMAL['src/app.cr'],
      'scratch/shard.yml': KEMAL['shard.yml'],
      'scratch/src/app.cr': KEMAL['src/app.cr'],
    });
    expect((await detect(root)).services.map((s) => s.path)).toEqual(['app']);
    expect((await detect(root, { gitignore: false })).services.map((s) => s.path).sort()).toEqual(['app', 'scratch']);
  });

  it('a tree of 20 000 small files completes and still finds the service', async () => {
    const root = tmp({ 'svc/shard.yml': KEMAL['shard.yml'], 'svc/src/app.cr': KEMAL['src/app.cr'] });
    for (let d = 0; d < 200; d++) {
      const dir = path.join(root, 'data', `d${d}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), 'x');
    }
    const t = await detect(root);
    expect(t.services.map((s) => s.path)).toEqual(['svc']);
  }, 120_000);
});
