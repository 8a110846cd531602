import { describe, expect, it } from 'vitest';
import { engineAddress } from '../../src/verify/verify.js';

describe('engineAddress: where verify publishes and probes ports', () => {
  it.each([
    [undefined, '127.0.0.1', '127.0.0.1'],
    ['unix:///var/run/docker.sock', '127.0.0.1', '127.0.0.1'],
    ['npipe:////./pipe/docker_engine', '127.0.0.1', '127.0.0.1'],
    ['tcp://localhost:2375', '127.0.0.1', '127.0.0.1'],
    ['tcp://127.0.0.1:2375', '127.0.0.1', '127.0.0.1'],
    ['tcp://[::1]:2375', '127.0.0.1', '127.0.0.1'],
    ['tcp://docker:2376', '0.0.0.0', 'docker'],
    ['ssh://deploy@build-host.internal', '0.0.0.0', 'build-host.internal'],
    ['tcp://10.1.2.3:2375', '0.0.0.0', '10.1.2.3'],
  ])('DOCKER_HOST=%s → bind %s, probe %s', (host, bindIp, probeHost) => {
    expect(engineAddress(host)).toEqual({ bindIp, probeHost });
  });
});
