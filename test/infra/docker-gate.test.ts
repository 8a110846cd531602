import { describe, expect, it } from 'vitest';
import { gateDecision } from '../helpers/docker.js';

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
});
