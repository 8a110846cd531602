import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { gateDecision } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

describe('Docker test gate', () => {
  it('runs Docker tests when an engine answers, in CI or not', () => {
    expect(gateDecision(true, undefined)).toBe('run');
    expect(gateDecision(true, 'true')).toBe('run');
  });

  it('skips without an engine locally, and fails without one in CI', () => {
    expect(gateDecision(false, undefined)).toBe('skip');
    expect(gateDecision(false, 'false')).toBe('skip');
    expect(gateDecision(false, 'true')).toBe('fail');
    expect(gateDecision(false, '1')).toBe('fail');
  });

  // The real thing: a child vitest run whose DOCKER_HOST points at a socket nobody listens on.
  const config = path.join(REPO_ROOT, 'test/infra/gate-fixture/vitest.config.ts');
  const noEngine = `unix:///tmp/stackgen-no-engine-${process.pid}.sock`;
  async function childRun(ci: string | undefined) {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: noEngine, NO_COLOR: '1' };
    delete env.CI;
    if (ci !== undefined) env.CI = ci;
    const r = await execa(process.execPath, [path.join(REPO_ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', config], { env, extendEnv: false, reject: false, all: true, timeout: 60_000 });
    return { code: r.exitCode, out: String(r.all) };
  }

  it('without an engine and outside CI: exits 0, skips every Docker test and says why, loudly', async () => {
    const r = await childRun(undefined);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`SKIPPED Docker-backed tests: no Docker engine reachable at ${noEngine}`);
    expect(r.out).toContain('scripts/ensure-docker.sh');
    expect(r.out).toMatch(/Tests\s+2 skipped/);
  }, 60_000);

  it('without an engine under CI=true: the Docker tests fail with the reason', async () => {
    const r = await childRun('true');
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/Tests\s+2 failed/);
    expect(r.out).toContain(`no Docker engine reachable at ${noEngine}`);
    expect(r.out).toContain('a missing Docker engine is a failure, not a skip');
  }, 60_000);
});
