/**
 * Golden trees for every fixture: detect → the spec `init --yes` writes → render.
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
import { loadFixtureExpectations } from '../helpers/fixtures.js';
import { redactSecrets } from './render-samples.js';


const fixtures = loadFixtureExpectations();
const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden/fixtures');

describe.skipIf(fixtures.length === 0)('rendered tree of each fixture', () => {
  it.each(fixtures)('$name', async (fx) => {
    const topology = await detect(fx.dir);
    if (topology.services.length === 0) return; // fixtures that must not match have nothing to render
    const spec = fixtureSpec(topology, fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
    // Render against a copy: a fixture's own .env or .gitignore must not leak into the golden.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `stackgen-fx-${fx.name}-`));
    fs.cpSync(fx.dir, root, { recursive: true });
    try {
      const tree = await render(spec, { rootDir: root });
      const goldenPath = (p: string) => p.replace(/^\./, '_.').replace(/\/\./g, '/_.');
      for (const f of tree.files()) {
        if (/\.ya?ml$/.test(f.path)) for (const d of parseAllDocuments(f.content)) expect(d.errors, f.path).toEqual([]);
        await expect(redactSecrets(f.path, f.content)).toMatchFileSnapshot(`golden/fixtures/${fx.name}/${goldenPath(f.path)}`);
      }
      // A golden no render produces any more is obsolete: delete it (they are not removed by -u).
      const dir = path.join(GOLDEN_DIR, fx.name);
      const goldens = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')) : [];
      expect(goldens.sort(), `obsolete goldens under ${dir}`).toEqual(tree.files().map((f) => goldenPath(f.path)).sort());
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
