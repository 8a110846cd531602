/**
 * Golden trees for every fixture: detect → spec → render. Uses `specFromTopology` from
 * src/spec/from-topology.ts when it exists, else the minimal mapping below (kept deliberately small).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { detect } from '../../src/detect/detect.js';
import type { Topology } from '../../src/detect/types.js';
import { specFromValue } from '../../src/cli/commands/render.js';
import { render } from '../../src/render/render.js';
import type { Spec, SpecInput } from '../../src/spec/types.generated.js';
import { loadFixtureExpectations } from '../helpers/fixtures.js';
import { redactSecrets } from './render-samples.js';

async function toSpec(t: Topology, name: string): Promise<Spec> {
  try {
    const mod = (await import('../../src/spec/from-topology.js' as string)) as { specFromTopology?: (t: Topology, o?: object) => unknown };
    if (mod.specFromTopology) return specFromValue(mod.specFromTopology(t, { name }));
  } catch {
    // Not written yet: fall through to the minimal mapping.
  }
  const input: SpecInput = { version: 1, name, services: {}, backingServices: {} };
  for (const s of t.services) {
    input.services[s.name] = {
      path: s.path,
      language: s.language,
      framework: s.framework,
      packageManager: s.packageManager,
      runtimeVersion: s.runtimeVersion,
      role: s.role ?? 'web',
      ...(s.staticDir ? { staticDir: s.staticDir } : {}),
      commands: { install: s.commands.install, build: s.commands.build, start: s.commands.start },
      port: s.port,
      publish: s.port,
      healthcheck: { path: s.healthPath },
      ...(s.metricsPath ? { metrics: { path: s.metricsPath } } : {}),
      dependsOn: [...s.backingServices, ...s.dependsOn],
    };
  }
  for (const b of t.backingServices) input.backingServices![b.kind] = { kind: b.kind };
  return specFromValue(input);
}

const fixtures = loadFixtureExpectations();

describe.skipIf(fixtures.length === 0)('rendered tree of each fixture', () => {
  it.each(fixtures)('$name', async (fx) => {
    const topology = await detect(fx.dir);
    if (topology.services.length === 0) return; // fixtures that must not match have nothing to render
    const spec = await toSpec(topology, fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
    // Render against a copy: a fixture's own .env or .gitignore must not leak into the golden.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `stackgen-fx-${fx.name}-`));
    fs.cpSync(fx.dir, root, { recursive: true });
    try {
      const tree = await render(spec, { rootDir: root });
      for (const f of tree.files()) {
        if (/\.ya?ml$/.test(f.path)) for (const d of parseAllDocuments(f.content)) expect(d.errors, f.path).toEqual([]);
        await expect(redactSecrets(f.path, f.content)).toMatchFileSnapshot(`golden/fixtures/${fx.name}/${f.path.replace(/^\./, '_.').replace(/\/\./g, '/_.')}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
