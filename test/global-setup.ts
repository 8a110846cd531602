/**
 * CLI tests spawn the real binary, which runs from dist/: build it once before any test file runs,
 * so parallel test files never race each other rebuilding it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // tsc still emits on type errors; the typecheck test reports those, the CLI tests need the output.
  if (r.status !== 0 && r.status !== 2) throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`);
  // The rest of `npm run build`: the precompiled validators (Compose Specification, stackgen.yaml) and templates the built code loads.
  const g = spawnSync(process.execPath, [path.join(root, 'scripts/gen-validators.mjs')], { cwd: root, encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`precompiling the validators failed:\n${g.stdout}${g.stderr}`);
  const t = spawnSync(process.execPath, [path.join(root, 'scripts/precompile-templates.mjs')], { cwd: root, encoding: 'utf8' });
  if (t.status !== 0) throw new Error(`precompiling the templates failed:\n${t.stdout}${t.stderr}`);
}
