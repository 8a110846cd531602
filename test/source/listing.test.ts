/** What SourceView lists: regular files only, never through links, without dependency/VCS folders or excluded paths; the same sync and async. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceView } from '../../src/source/source-view.js';
import { tempRepo } from '../helpers/temp-repo.js';

const FILES = ['package.json', '.env', 'src/a.js', 'src/.hidden/b.js', 'tmp/x.log', 'tmp/deep/y.log', 'node_modules/dep/index.js', 'api/node_modules/dep/i.js', 'bin/Debug/app.dll', 'bin/tool.sh', 'vendor/lib.go'];
const root = tempRepo(Object.fromEntries(FILES.map((f) => [f, 'x'])), 'sg-listing-');
const outside = tempRepo({ 'secret.txt': 'secret' }, 'sg-listing-outside-');
fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'src/link.txt'));
fs.symlinkSync(outside, path.join(root, 'linked-dir'));

describe('SourceView listing', () => {
  it('lists regular files, dot files included; no links, no dependency, VCS or build folders', async () => {
    const view = await SourceView.open(root, { gitignore: false });
    expect(view.files).toEqual(['.env', 'bin/tool.sh', 'package.json', 'src/.hidden/b.js', 'src/a.js', 'tmp/deep/y.log', 'tmp/x.log']);
  });

  it('leaves out excluded files and whole excluded folders', async () => {
    const view = await SourceView.open(root, { gitignore: false, exclude: ['tmp', 'src/.hidden/**', '**/*.sh'] });
    expect(view.files).toEqual(['.env', 'package.json', 'src/a.js']);
  });

  it('openSync lists the same tree; ignoreDirs replaces the default list', async () => {
    const options = { gitignore: false, ignoreDirs: ['node_modules'] };
    const sync = SourceView.openSync(root, options);
    expect(sync.files).toEqual((await SourceView.open(root, options)).files);
    expect(sync.files).toContain('vendor/lib.go');
    expect(sync.files).toContain('bin/Debug/app.dll');
    expect(sync.files.some((f) => f.includes('node_modules') || f.includes('link'))).toBe(false);
  });
});

describe('SourceView manifests', () => {
  it('leaves out manifests in test, fixture, fuzz and example folders, examples named by suffix too (uptime-kuma extra/push-examples/*)', () => {
    const view = SourceView.openSync(
      tempRepo({ 'package.json': '{}', 'api/package.json': '{}', 'test/fixtures/app/package.json': '{}', 'examples/a/package.json': '{}', 'extra/push-examples/javascript-fetch/package.json': '{}', 'docs/code_samples/x/package.json': '{}', 'packages/examples-lib/package.json': '{}', 'fuzz/package.json': '{}' }, 'sg-listing-manifests-'),
      { gitignore: false },
    );
    // A package named for examples (examples-lib) is kept: only a folder of examples is left out.
    expect(view.manifests('package.json')).toEqual(['package.json', 'api/package.json', 'packages/examples-lib/package.json']);
  });
});
