/**
 * Every dev target stackgen renders runs as a numeric non-root user: DEV_UID:DEV_GID build args with
 * numeric defaults, which compose.dev.yaml fills from the developer's environment (plain nginx: its
 * own uid 101, it writes nothing into the checkout). Checked on every sample and fixture render.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { render } from '../../src/render/render.js';
import { lintDockerfile } from '../../src/lint/dockerfile/lint.js';
import { materialize, SAMPLES } from './render-samples.js';

/** The instructions of the stage named `dev`, one logical line each (continuations joined). */
function devStage(dockerfile: string): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const start = lines.findIndex((l) => /^FROM\s+\S+\s+AS\s+dev$/i.test(l));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^FROM\s/i.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe.each(SAMPLES)('dev target of $name', (sample) => {
  it('runs as a numeric non-root user that compose.dev.yaml sets from DEV_UID/DEV_GID', async () => {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    const dev = tree.read('compose.dev.yaml');
    const devServices = (dev ? (parseYaml(dev) as { services: Record<string, { build: { target: string; args?: Record<string, string> } }> }).services : {}) ?? {};
    const dockerfiles = tree.files().filter((f) => /(^|\/)Dockerfile$/.test(f.path) && f.owner !== 'user');
    expect(dockerfiles.length).toBeGreaterThan(0);
    for (const f of dockerfiles) {
      const stage = devStage(f.content);
      expect(stage.length, `${f.path}: a dev stage`).toBeGreaterThan(0);
      const users = stage.filter((l) => /^USER\s/.test(l));
      const user = users[users.length - 1]?.replace(/^USER\s+/, '');
      expect(user, `${f.path}: USER in the dev stage`).toBeDefined();
      if (user === '${DEV_UID}:${DEV_GID}') {
        expect(stage, f.path).toContain('ARG DEV_UID=1000');
        expect(stage, f.path).toContain('ARG DEV_GID=1000');
      } else {
        expect(user, `${f.path}: numeric USER`).toMatch(/^[1-9]\d*$/);
      }
      // The built-in linter agrees: no dev stage running as root (SG1009), no root USER (DL3002).
      const rules = lintDockerfile({ path: f.path, content: f.content }).map((x) => x.rule);
      expect(rules, f.path).not.toContain('SG1009');
      expect(rules, f.path).not.toContain('DL3002');
    }
    const withDevArgs = Object.entries(devServices).filter(([, s]) => s.build.args);
    for (const [name, s] of withDevArgs) expect(s.build.args, name).toEqual({ DEV_UID: '${DEV_UID:-1000}', DEV_GID: '${DEV_GID:-1000}' });
    // Every service whose dev stage reads DEV_UID gets it from compose.dev.yaml.
    const readers = dockerfiles.filter((f) => devStage(f.content).includes('ARG DEV_UID=1000')).length;
    expect(withDevArgs.length).toBe(readers);
  });
});
