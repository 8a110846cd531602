import { expect, it } from 'vitest';
import { describeDocker, itDocker } from '../../helpers/docker.js';

describeDocker('a Docker-backed suite', () => {
  it('ran', () => expect(true).toBe(true));
});
itDocker('a Docker-backed test', () => expect(true).toBe(true));
