/**
 * The library as another generator uses it: `import … from 'stackgen'`, resolved by Node through the
 * package's own `exports` (a self-reference from the repository root), against the built dist/.
 * detect → specFromTopology → validateSpec → render → lintTree, all in memory, nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './helpers/fixtures.js';
import { run } from './helpers/run.js';

const program = `
import { detect, specFromTopology, validateSpec, specFromInput, stringifySpec, render, lintTree, generate, mapImage, IMAGES, STACKGEN_VERSION } from 'stackgen';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const topology = await detect(process.argv[1]);
const input = specFromTopology(topology, { ci: 'gitlab', observability: false });
const { spec, errors } = validateSpec(input);
if (!spec) throw new Error(JSON.stringify(errors));
const tree = await render(spec, { rootDir: process.argv[1], imageMap: { overrides: { 'postgres:*': 'mirror.example/pg:16' } } });
const lint = await lintTree(tree, { external: false });
// The write path with its lint gate, as a dry run: what would be written, nothing written.
const dry = await generate(spec, { rootDir: process.argv[1], dryRun: true });
// The one entry from a folder: its stackgen.yaml loaded and validated, rendered, linted, written.
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-library-'));
fs.cpSync(process.argv[1], copy, { recursive: true });
fs.writeFileSync(path.join(copy, 'stackgen.yaml'), stringifySpec(specFromInput(input)));
const fromDir = await generate(copy, { lintGate: true });
const writtenFromDir = fromDir.flushed.written.filter((f) => fs.existsSync(path.join(copy, f))).length;
fs.rmSync(copy, { recursive: true, force: true });
console.log(JSON.stringify({
  services: topology.services.map((s) => s.name),
  files: tree.files().map((f) => f.path).sort(),
  composeImages: [...tree.read('compose.yaml').matchAll(/image: (\\S+)/g)].map((m) => m[1]),
  errors: lint.findings.filter((f) => f.severity === 'error').length,
  mapped: mapImage(IMAGES.redis.ref, { mirror: 'mirror.example/hub' }),
  version: STACKGEN_VERSION,
  wouldWrite: dry.flushed.written.length,
  warnings: dry.warnings.length,
  fromDir: { written: fromDir.flushed.written.length, onDisk: writtenFromDir, errors: fromDir.lint.findings.filter((f) => f.severity === 'error').length, name: fromDir.spec.name },
}));
`;

it("imports { detect, render, lintTree, … } from 'stackgen' and renders a fixture in memory", async () => {
  const fixture = path.join(FIXTURES_DIR, 'node-express-pg-redis');
  const { code, stdout: out, stderr } = await run(process.execPath, ['--input-type=module', '-e', program, fixture], { cwd: REPO_ROOT });
  expect(code, stderr).toBe(0);
  const r = JSON.parse(out) as { services: string[]; files: string[]; composeImages: string[]; errors: number; mapped: string; version: string; wouldWrite: number; warnings: number; fromDir: { written: number; onDisk: number; errors: number; name: string } };
  expect(r.services).toEqual(['node-express-pg-redis']);
  expect(r.files).toEqual(expect.arrayContaining(['Dockerfile', 'compose.yaml', '.gitlab-ci.yml', 'README.Docker.md', '.env', '.env.stack.example']));
  expect(r.files.some((f) => f.startsWith('observability/'))).toBe(false);
  expect(r.composeImages).toContain('mirror.example/pg:16');
  expect(r.errors).toBe(0);
  expect(r.mapped).toBe('mirror.example/hub/library/redis:7.4.7-bookworm');
  expect(r.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(r.wouldWrite).toBeGreaterThan(5);
  expect(r.warnings).toBe(0);
  expect(r.fromDir.written).toBe(r.wouldWrite);
  expect(r.fromDir.onDisk).toBe(r.fromDir.written);
  expect(r.fromDir.errors).toBe(0);
  expect(r.fromDir.name).toBe('node-express-pg-redis');
  expect(fs.existsSync(path.join(fixture, 'compose.yaml'))).toBe(false);
});
