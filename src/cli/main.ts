/**
 * The CLI: yargs commands and the one error boundary that maps error codes to exit codes.
 * The library below never exits the process; only this file does.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT_CODES } from '../errors.js';
import { errorJson, formatError, hasPrintedJson, note, printJson, setColor, toStackgenError } from './output.js';
import { detectCommand } from './commands/detect.js';
import { renderCommand } from './commands/render.js';
import { lintCommand } from './commands/lint.js';
import { templatesCommand } from './commands/templates.js';
import { initCommand } from './commands/init.js';
import { validateCommand } from './commands/validate.js';
import { schemaCommand } from './commands/schema.js';
import { verifyCommand } from './commands/verify.js';
import { STACKGEN_VERSION } from '../version.js';


export async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  try {
    await yargs(argv)
      .scriptName('stackgen')
      .usage('$0 <command> [options]\n\nTurn an application repository into a production Docker stack, proven to build and run.')
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces and debug detail' })
      .option('color', { type: 'boolean', default: true, describe: 'Colour output (--no-color to disable)' })
      .middleware((args) => setColor(Boolean(args.color) && Boolean(process.stdout.isTTY)))
      .command(detectCommand)
      .command(renderCommand)
      .command(lintCommand)
      .command(templatesCommand)
      .command(initCommand)
      .command(validateCommand)
      .command(schemaCommand)
      .command(verifyCommand)
      .demandCommand(1, 'Name a command: see `stackgen --help`.')
      .strict()
      .recommendCommands()
      .version(STACKGEN_VERSION)
      .alias('h', 'help')
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .exitProcess(false)
      .parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof UsageError) {
      note(`${err.message}\nRun \`stackgen --help\` for usage.`);
      return EXIT_CODES.E_INPUT;
    }
    const e = toStackgenError(err);
    if (e.code === 'E_INTERRUPTED') return EXIT_CODES.E_INTERRUPTED;
    // The exit code and stderr carry the failure; stdout keeps the one document already printed.
    if (wantsJson && !hasPrintedJson()) printJson(errorJson(e));
    note(formatError(e.code === 'E_INTERNAL' ? (e.cause ?? e) : e, verbose));
    return e.exitCode;
  }
}

class UsageError extends Error {}

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

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = EXIT_CODES.E_INTERNAL;
  },
);
