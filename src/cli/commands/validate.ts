import path from 'node:path';
import type { CommandModule } from 'yargs';
import { readSpecBytes, validateSpecBytes } from '../../spec/load.js';
import { specErrorsToStackgenError } from '../../spec/spec-error.js';
import { info, printJson, style } from '../output.js';
import { fromCwd, setExitCode } from '../session.js';
import { COMMAND_META } from './meta.js';

interface ValidateArgs {
  spec: string;
  json: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  ...COMMAND_META.validate,
  builder: (y) => y.positional('spec', { type: 'string', default: 'stackgen.yaml', describe: 'Spec file' }) as never,
  handler: (args) => {
    const file = args.spec;
    const result = validateSpecBytes(readSpecBytes(fromCwd(file)), file, { baseDir: path.dirname(fromCwd(file)) });
    if (args.json) {
      printJson({ valid: result.errors.length === 0, errors: result.errors });
      if (result.errors.length > 0) setExitCode(1);
      return;
    }
    if (result.errors.length > 0) throw specErrorsToStackgenError(file, result.errors);
    const n = Object.keys(result.spec?.services ?? {}).length;
    info(`${style.green('✓')} ${file} is valid (${n} service${n === 1 ? '' : 's'})`);
  },
};
