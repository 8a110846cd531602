/**
 * verify --target swarm without an engine: what it refuses before touching Docker, how it reads
 * `.env` (as the deploying shell would), and how the rolling update reads in the report. The run on
 * a real swarm is test/e2e/swarm-verify.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { formatRollout, parseEnvFile, verifySwarm, type SwarmVerifyReport } from '../../src/verify/swarm.js';
import { tempRepo } from '../helpers/temp-repo.js';

function project(spec: string, files: Record<string, string> = {}): string {
  return tempRepo({ 'stackgen.yaml': spec, ...files }, 'sg-vswarm-');
}

const SPEC = 'version: 1\nname: shop\nservices:\n  api: {path: ., language: node, port: 3000}\n';

describe('verifySwarm refuses before touching Docker', () => {
  it('a spec without the swarm target: says how to add it', async () => {
    const dir = project(SPEC, { 'compose.yaml': 'services: {}\n' });
    await expect(verifySwarm(dir)).rejects.toMatchObject({ code: 'E_INPUT', hint: expect.stringMatching(/targets: \[compose, swarm\]/) });
  });
  it('the target without a rendered stack file: says to render', async () => {
    const dir = project(`${SPEC}targets: [compose, swarm]\n`, { 'compose.yaml': 'services: {}\n' });
    await expect(verifySwarm(dir)).rejects.toMatchObject({ code: 'E_INPUT', hint: 'Run `stackgen render` first.' });
  });
  it('--keep (a swarm verify always removes its stack)', async () => {
    const dir = project(`${SPEC}targets: [compose, swarm]\n`, { 'compose.yaml': 'services: {}\n', 'compose.swarm.yaml': 'services: {}\n' });
    await expect(verifySwarm(dir, { keep: true })).rejects.toMatchObject({ code: 'E_INPUT', message: expect.stringMatching(/--keep is for compose verify/) });
  });
});

it('reads .env as a shell that sourced it would: comments, export, quotes', () => {
  expect(parseEnvFile('# db\nPOSTGRES_USER=shop\nexport REDIS_PASSWORD="a b"\nX=\'q\'\n\nbad line\nEMPTY=\n')).toEqual({ POSTGRES_USER: 'shop', REDIS_PASSWORD: 'a b', X: 'q', EMPTY: '' });
});

it('the report names the swarm, the routing mesh and each service of the rolling update', () => {
  const r = {
    ok: false, project: 'sgv-shop-1', services: [], checks: [], skipped: [], durationMs: 1, kept: false, probeHost: '127.0.0.1', target: 'swarm', createdSwarm: true, routingMesh: false,
    rollout: { ok: false, ms: 42_000, services: [
      { name: 'api', order: 'stop-first', rounds: 80, failedRounds: 0, longestGapMs: 0, converged: true, ok: true },
      { name: 'worker', order: 'start-first', rounds: 0, failedRounds: 0, longestGapMs: 0, converged: false, ok: false, message: 'not every task runs the new image within 180s: starting' },
    ] },
  } satisfies SwarmVerifyReport;
  const text = formatRollout(r);
  expect(text).toContain('single-node swarm made for this run, left again');
  expect(text).toContain('routing mesh off (dnsrr, host-mode ports)');
  expect(text).toMatch(/rolling update FAILED in 42\.0s/);
  expect(text).toMatch(/ok {3}api \(stop-first\): 80 probe rounds, 0 without an answer/);
  expect(text).toMatch(/FAIL worker \(start-first\): .* not every task runs the new image/);
});
