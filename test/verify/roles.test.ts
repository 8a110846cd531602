import { describe, expect, it } from 'vitest';
import { failureText, judge, passed, type ContainerState } from '../../src/verify/roles.js';

const up: ContainerState = { running: true, exitCode: 0, restartCount: 0 };
const SETTLE = 5000;

describe('when a service of each role has passed verify', () => {
  it('a job passes when it exits 0, fails with its exit code, and is pending while it runs', () => {
    expect(judge('job', up, 0, SETTLE)).toEqual({ state: 'pending' });
    expect(judge('job', { running: false, exitCode: 0, restartCount: 0 }, 0, SETTLE)).toEqual({ state: 'completed' });
    const failed = judge('job', { running: false, exitCode: 3, restartCount: 0 }, 0, SETTLE);
    expect(failed).toEqual({ state: 'exited', exitCode: 3 });
    expect(passed(failed)).toBe(false);
    expect(failureText('job', failed, 60)).toBe('the job exited with code 3');
    expect(failureText('job', { state: 'pending' }, 60)).toBe('the job did not finish within 60s');
  });

  it('a worker passes only after staying up for the settle time, counted across polls', () => {
    const first = judge('worker', up, 1000, SETTLE);
    expect(first).toEqual({ state: 'pending', upSince: 1000 });
    expect(judge('worker', up, 4000, SETTLE, 1000)).toEqual({ state: 'pending', upSince: 1000 });
    expect(judge('worker', up, 6000, SETTLE, 1000)).toEqual({ state: 'healthy' });
  });

  it('a worker that was restarted or exited fails, however long it has been up since', () => {
    expect(judge('worker', { ...up, restartCount: 2 }, 60_000, SETTLE, 0)).toEqual({ state: 'restarted', restarts: 2 });
    expect(failureText('worker', { state: 'restarted', restarts: 1 }, 60)).toBe('the worker stopped and was restarted 1 time');
    expect(judge('worker', { running: false, exitCode: 0, restartCount: 0 }, 0, SETTLE)).toEqual({ state: 'exited', exitCode: 0 });
  });

  it('a worker with a healthcheck settles from when it turns healthy, and fails when it turns unhealthy', () => {
    expect(judge('worker', { ...up, health: 'starting' }, 9000, SETTLE)).toEqual({ state: 'pending' });
    expect(judge('worker', { ...up, health: 'healthy' }, 10_000, SETTLE)).toEqual({ state: 'pending', upSince: 10_000 });
    expect(judge('worker', { ...up, health: 'healthy' }, 15_000, SETTLE, 10_000)).toEqual({ state: 'healthy' });
    expect(judge('worker', { ...up, health: 'unhealthy' }, 15_000, SETTLE, 10_000)).toEqual({ state: 'unhealthy' });
  });

  it('a web service passes when healthy, or running without a healthcheck; an exit fails it', () => {
    expect(judge('web', { ...up, health: 'healthy' }, 0, SETTLE)).toEqual({ state: 'healthy' });
    expect(judge('web', up, 0, SETTLE)).toEqual({ state: 'running' });
    expect(judge('web', { ...up, health: 'starting' }, 0, SETTLE)).toEqual({ state: 'pending' });
    expect(judge('backing', { running: false, exitCode: 1, restartCount: 0 }, 0, SETTLE)).toEqual({ state: 'exited', exitCode: 1 });
  });
});
