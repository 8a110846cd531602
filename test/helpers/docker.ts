/**
 * The one gate for tests that need a real Docker engine. With an engine they run; without one they
 * are skipped with a loud reason locally and FAIL under CI=true, so CI can never go green by
 * silently skipping the tests that matter most.
 */
import path from 'node:path';
import Docker from 'dockerode';
import { describe, it } from 'vitest';
import { REPO_ROOT } from './fixtures.js';

export type GateDecision = 'run' | 'skip' | 'fail';

/** Pure decision, unit-tested: an engine runs the tests; none fails them in CI and skips them elsewhere. */
export function gateDecision(reachable: boolean, ci: string | undefined): GateDecision {
  if (reachable) return 'run';
  return ci === 'true' || ci === '1' ? 'fail' : 'skip';
}

/** The stand-in image map the tests verify with (built by scripts/offline-images.sh). */
export const OFFLINE_IMAGE_MAP = path.join(REPO_ROOT, 'scripts/offline-images.yaml');
/** This machine's CA bundle, passed to builds as a BuildKit secret so `npm ci` reaches the registry. */
export const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** testcontainers must not try to pull its reaper or alpine helper: no registry is reachable here. */
export function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
}

let probe: Promise<{ reachable: boolean; detail: string }> | undefined;

export function dockerReachable(): Promise<{ reachable: boolean; detail: string }> {
  probe ??= (async () => {
    const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    try {
      const docker = new Docker();
      await Promise.race([docker.ping(), new Promise((_, rej) => setTimeout(() => rej(new Error('ping timed out after 5s')), 5000))]);
      return { reachable: true, detail: where };
    } catch (err) {
      return { reachable: false, detail: `no Docker engine reachable at ${where} (${(err as Error).message})` };
    }
  })();
  return probe;
}

const engine = await dockerReachable();
const decision = gateDecision(engine.reachable, process.env.CI);
const HOW = 'start one with `bash scripts/ensure-docker.sh` (then `bash scripts/offline-images.sh`)';

if (decision === 'skip') {
  console.warn(`\n*** SKIPPED Docker-backed tests: ${engine.detail}; ${HOW} ***\n`);
}

/** `describe` for suites that need Docker: run, loudly skip, or fail under CI. */
export function describeDocker(name: string, fn: () => void): void {
  if (decision === 'run') {
    configureTestcontainers();
    describe(name, fn);
  } else if (decision === 'skip') {
    describe.skip(`${name} [SKIPPED: ${engine.detail}]`, fn);
  } else {
    describe(name, () => {
      it('needs a Docker engine (CI=true: missing Docker is a failure, not a skip)', () => {
        throw new Error(`${engine.detail}; ${HOW}`);
      });
    });
  }
}
