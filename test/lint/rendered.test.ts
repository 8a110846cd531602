/**
 * Everything stackgen renders must lint with zero error findings: every fixture (detect → spec →
 * render) and every render sample. Warnings are allowed; an exception needs an inline ignore with its reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { lintTree } from '../../src/lint/index.js';
import { render } from '../../src/render/render.js';
import type { Spec } from '../../src/spec/types.generated.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { renderableFixtures } from '../helpers/fixtures.js';
import { materialize, SAMPLES } from '../render/render-samples.js';


const airGapped = (spec: Spec) => Boolean(spec.images.mirror) || Object.keys(spec.images.overrides ?? {}).length > 0;
const errorsOf = (findings: { severity: string }[]) => findings.filter((f) => f.severity === 'error');

describe('rendered fixtures lint clean', () => {
  it.each(renderableFixtures())('$name', async (fx) => {
    const topology = await detect(fx.dir);
    expect(topology.services.length, `${fx.name}: stackgen.test.json expects services`).toBeGreaterThan(0);
    const spec = fixtureSpec(topology, fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `stackgen-lint-fx-`));
    fs.cpSync(fx.dir, root, { recursive: true });
    try {
      const tree = await render(spec, { rootDir: root });
      const result = await lintTree(tree, { airGapped: airGapped(spec) });
      expect(errorsOf(result.findings)).toEqual([]);
      expect(result.files.some((f) => f.path === 'compose.yaml')).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('rendered samples lint clean', () => {
  it.each(SAMPLES)('$name', async (sample) => {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    const result = await lintTree(tree, { airGapped: airGapped(spec) });
    expect(errorsOf(result.findings)).toEqual([]);
  }, 60_000);
});
