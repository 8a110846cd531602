/**
 * The one gate for tests that need a real Docker engine. With an engine they run; without one they
 * are skipped with a loud reason locally and FAIL under CI=true, so CI can never go green by
 * silently skipping the tests that matter most.
 *
 *   import { describeDocker, itDocker } from '../helpers/docker.js';
 *   describeDocker('builds and runs', () => { it(...) });   // or itDocker('…', async () => …)
 */
import fs from 'node:fs';
import os from 'node:os';
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

export interface DockerProbe {
  reachable: boolean;
  /** Where the engine was looked for, and why it did not answer. */
  detail: string;
}

let probe: Promise<DockerProbe> | undefined;

/** Pings the engine dockerode would use (DOCKER_HOST, else /var/run/docker.sock), once per process. */
export function dockerAvailable(): Promise<DockerProbe> {
  probe ??= (async () => {
    const where = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timed out after 5s')), 5000);
      });
      await Promise.race([new Docker().ping(), timeout]);
      return { reachable: true, detail: where };
    } catch (err) {
      return { reachable: false, detail: `no Docker engine reachable at ${where} (${(err as Error).message})` };
    } finally {
      clearTimeout(timer);
    }
  })();
  return probe;
}

export const docker = await dockerAvailable();
const decision = gateDecision(docker.reachable, process.env.CI);
const HOW = 'run `bash scripts/ensure-docker.sh` and `bash scripts/offline-images.sh`';
const failure = `${docker.detail}; ${HOW} (CI=true: a missing Docker engine is a failure, not a skip)`;

if (decision === 'skip') {
  console.warn(`\n*** SKIPPED Docker-backed tests: ${docker.detail} — ${HOW} ***\n`);
}
if (decision === 'run') configureTestcontainers();

/** `describe` for suites that need Docker: run, loudly skip, or fail under CI. */
export function describeDocker(name: string, fn: () => void): void {
  if (decision === 'run') {
    describe(name, fn);
  } else if (decision === 'skip') {
    describe.skip(`${name} [SKIPPED: ${docker.detail}]`, fn);
  } else {
    describe(name, () => {
      it('needs a Docker engine', () => {
        throw new Error(failure);
      });
    });
  }
}

/** `it` for a single test that needs Docker: run, loudly skip, or fail under CI. */
export function itDocker(name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (decision === 'run') it(name, fn, timeout);
  else if (decision === 'skip') it.skip(`${name} [SKIPPED: ${docker.detail}]`, fn);
  else
    it(name, () => {
      throw new Error(failure);
    });
}

/**
 * One lock, across vitest's worker processes, for the Docker tests that change the engine for everyone
 * (`docker swarm init` / `swarm leave --force` rewire its networks) and the stacks that change could
 * disturb (init-verify's stacks, whose apps must reach their databases). A directory made atomically
 * holds the holder's pid; a dead holder's lock is broken; the wait is bounded and then fails loudly.
 * Returns the release.
 */
export async function engineLock(maxWaitMs = 15 * 60_000): Promise<() => void> {
  const dir = path.join(os.tmpdir(), 'stackgen-test-engine.lock');
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = 0;
    try {
      holder = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      // Just made: its pid is being written.
    }
    if (holder > 0 && !processAlive(holder)) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > maxWaitMs) throw new Error(`the engine lock ${dir} is held by pid ${holder} for over ${maxWaitMs / 60_000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function withEngineLock<T>(run: () => Promise<T>): Promise<T> {
  const release = await engineLock();
  try {
    return await run();
  } finally {
    release();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
