// A one-file vitest project for docker-gate.test.ts: runs the gate in a child process whose
// environment (DOCKER_HOST, CI) the test controls.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: path.dirname(fileURLToPath(import.meta.url)),
    include: ['gate-probe.fixture.ts'],
  },
});
