/**
 * Golden checks for every fixture: detect → the spec `init --yes` writes → render. A few
 * representative fixtures keep their whole tree as golden files; every other fixture is checked
 * against a structure summary (test/render/golden-structure.ts explains both).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { detect } from '../../src/detect/detect.js';
import { render } from '../../src/render/render.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { loadFixtureExpectations, renderableFixtures } from '../helpers/fixtures.js';
import { FULL_TREE_FIXTURES, goldenPath, structureText } from './golden-structure.js';
import { redactSecrets } from './render-samples.js';

const fixtures = renderableFixtures();
const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const FULL_DIR = path.join(GOLDEN_DIR, 'fixtures');
const STRUCTURE_DIR = path.join(GOLDEN_DIR, 'structure/fixtures');

const listFiles = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort()
    : [];

describe('rendered tree of each fixture', () => {
  it('covers the corpus, and every full-tree fixture exists', () => {
    expect(fixtures.length).toBeGreaterThan(20);
    for (const name of FULL_TREE_FIXTURES) expect(fixtures.map((f) => f.name), name).toContain(name);
  });

  it.each(fixtures)('$name', async (fx) => {
    const topology = await detect(fx.dir);
    expect(topology.services.length, `${fx.name}: stackgen.test.json expects services`).toBeGreaterThan(0);
    const spec = fixtureSpec(topology, fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
    // Render against a copy: a fixture's own .env or .gitignore must not leak into the golden.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `stackgen-fx-${fx.name}-`));
    fs.cpSync(fx.dir, root, { recursive: true });
    try {
      const files = (await render(spec, { rootDir: root })).files();
      for (const f of files) {
        if (/\.ya?ml$/.test(f.path)) for (const d of parseAllDocuments(f.content)) expect(d.errors, f.path).toEqual([]);
        if (f.path.endsWith('.json')) expect(() => JSON.parse(f.content), f.path).not.toThrow();
      }
      const dir = path.join(FULL_DIR, fx.name);
      if (FULL_TREE_FIXTURES.includes(fx.name)) {
        for (const f of files) await expect(redactSecrets(f.path, f.content)).toMatchFileSnapshot(`golden/fixtures/${fx.name}/${goldenPath(f.path)}`);
        // A golden no render produces any more is obsolete: delete it (`-u` does not remove files).
        expect(listFiles(dir), `obsolete goldens under ${dir}`).toEqual(files.map((f) => goldenPath(f.path)).sort());
      } else {
        await expect(structureText(files)).toMatchFileSnapshot(`golden/structure/fixtures/${fx.name}.json`);
        expect(fs.existsSync(dir), `${dir}: a full tree for a fixture not in FULL_TREE_FIXTURES; delete it`).toBe(false);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('no structure summary or full tree is left for a fixture that no longer renders', () => {
    const names = new Set(loadFixtureExpectations().map((f) => f.name));
    const summaries = fs.existsSync(STRUCTURE_DIR) ? fs.readdirSync(STRUCTURE_DIR) : [];
    for (const s of summaries) expect(names.has(s.replace(/\.json$/, '')) && !FULL_TREE_FIXTURES.includes(s.replace(/\.json$/, '')), `stale ${STRUCTURE_DIR}/${s}`).toBe(true);
    const trees = fs.readdirSync(FULL_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(trees.sort()).toEqual([...FULL_TREE_FIXTURES].sort());
  });
});
