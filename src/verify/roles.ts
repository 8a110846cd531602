/**
 * When a service of each role has passed verify, decided from what the engine reports about its
 * container at each poll:
 * - web / static / backing: running and healthy (or running, when the image has no healthcheck);
 * - worker: up — and healthy, when it has a healthcheck — for a settle time without a single
 *   restart, so a worker that crashes and is restarted by its `unless-stopped` policy is caught;
 * - job: exited 0 before the timeout. A job that exits non-zero has failed; one still running at
 *   the timeout has not finished.
 */

export type VerifyRole = 'web' | 'static' | 'worker' | 'job' | 'backing';

/** What the engine says about one container (docker inspect's State and RestartCount). */
export interface ContainerState {
  running: boolean;
  /** Exit code of the last run; meaningful once it is not running. */
  exitCode: number;
  restartCount: number;
  /** The healthcheck's status, when the container has one. */
  health?: string;
}

export type Judgement =
  /** Not decided yet: keep polling. `upSince` carries a worker's settle clock between polls. */
  | { state: 'pending'; upSince?: number }
  | { state: 'healthy' }
  /** Running without a healthcheck (web, backing). */
  | { state: 'running' }
  /** A job that exited 0. */
  | { state: 'completed' }
  | { state: 'unhealthy' }
  | { state: 'exited'; exitCode: number }
  /** A worker the engine restarted: it stopped at least once. */
  | { state: 'restarted'; restarts: number };

/**
 * One poll's verdict. `upSince` is the time this worker was first seen up in an unbroken run of
 * polls (undefined before); `now` and `settleMs` in milliseconds.
 */
export function judge(role: VerifyRole, st: ContainerState, now: number, settleMs: number, upSince?: number): Judgement {
  if (role === 'job') {
    if (st.running) return { state: 'pending' };
    return st.exitCode === 0 ? { state: 'completed' } : { state: 'exited', exitCode: st.exitCode };
  }
  if (role === 'worker') {
    if (st.restartCount > 0) return { state: 'restarted', restarts: st.restartCount };
    if (!st.running) return { state: 'exited', exitCode: st.exitCode };
    if (st.health === 'unhealthy') return { state: 'unhealthy' };
    const up = st.health === undefined || st.health === 'healthy';
    if (!up) return { state: 'pending' };
    const since = upSince ?? now;
    return now - since >= settleMs ? { state: 'healthy' } : { state: 'pending', upSince: since };
  }
  if (!st.running) return { state: 'exited', exitCode: st.exitCode };
  if (st.health === 'healthy') return { state: 'healthy' };
  if (st.health === 'unhealthy') return { state: 'unhealthy' };
  if (st.health === undefined) return { state: 'running' };
  return { state: 'pending' };
}

/** Whether a final judgement passes verify. */
export function passed(j: Judgement): boolean {
  return j.state === 'healthy' || j.state === 'running' || j.state === 'completed';
}

/** Why a role's service failed, in the words a report shows. */
export function failureText(role: VerifyRole, j: Judgement, timeoutS: number): string | undefined {
  switch (j.state) {
    case 'exited':
      return role === 'job' ? `the job exited with code ${j.exitCode}` : `exited with code ${j.exitCode}`;
    case 'restarted':
      return `the worker stopped and was restarted ${j.restarts} time${j.restarts === 1 ? '' : 's'}`;
    case 'unhealthy':
      return 'its healthcheck failed';
    case 'pending':
      return role === 'job' ? `the job did not finish within ${timeoutS}s` : role === 'worker' ? `the worker did not stay up for its settle time within ${timeoutS}s` : `not healthy within ${timeoutS}s`;
    default:
      return undefined;
  }
}
