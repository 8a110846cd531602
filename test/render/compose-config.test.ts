import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/render/render.js';
import { run } from '../helpers/run.js';
import { materialize, SAMPLES } from './render-samples.js';

/** Compose v2 (`docker compose`) when a client has it, else v1 `docker-compose`; null when neither. */
function composeCli(): string[] | null {
  for (const cmd of [['docker', 'compose'], ['/usr/bin/docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (r.status === 0) return cmd;
  }
  return null;
}

const cli = composeCli();

describe.skipIf(!cli)(`compose config validates rendered stacks (${cli?.join(' ') ?? 'no compose binary: skipped, CI has one'})`, () => {
  // build.secrets (the CA bundle) is Compose v2 only; v1 (EOL) rejects the key: such samples are skipped, by name.
  const v1Only = cli?.join(' ') === 'docker-compose';
  const runnable = SAMPLES.filter((s) => !(v1Only && s.spec.build?.caBundle));
  for (const s of SAMPLES.filter((x) => !runnable.includes(x))) it.skip(`${s.name} [SKIPPED: Compose v1 has no build.secrets, which this sample's CA bundle needs]`, () => {});
  it.each(runnable)('$name', async (sample) => {
    const { root, spec } = materialize(sample);
    (await render(spec, { rootDir: root })).flush();
    // Compose checks that a build secret's file exists.
    if (spec.build.caBundle) fs.mkdirSync(`${root}/${spec.build.caBundle.split('/').slice(0, -1).join('/')}`, { recursive: true }), fs.writeFileSync(`${root}/${spec.build.caBundle}`, '');
    const config = (files: string[], profiles: string[] = []) =>
      run(cli![0]!, [...cli!.slice(1), ...files.flatMap((f) => ['-f', f]), ...profiles.flatMap((p) => ['--profile', p]), 'config', '-q'], { cwd: root });
    const all = ['observability', 'proxy', 'test'];
    const checks = [['compose.yaml'], ...['compose.dev.yaml', 'compose.test.yaml'].filter((f) => fs.existsSync(`${root}/${f}`)).map((f) => ['compose.yaml', f])];
    for (const files of checks) {
      const r = await config(files, all);
      expect(r.code, `compose ${files.join(' + ')} config: ${r.stderr}`).toBe(0);
    }
  });
});
