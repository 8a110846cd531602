import type { CommandModule } from 'yargs';
import { specSchema } from '../../spec/schema.js';
import { printJson } from '../output.js';
import { COMMAND_META } from './meta.js';

export const schemaCommand: CommandModule<object, object> = {
  ...COMMAND_META.schema,
  handler: () => {
    printJson(specSchema);
  },
};
