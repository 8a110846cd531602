import type { CommandModule } from 'yargs';
import { specSchema } from '../../spec/schema.js';
import { printJson } from '../output.js';

export const schemaCommand: CommandModule<object, object> = {
  command: 'schema',
  describe: "Print the JSON Schema of stackgen.yaml (for editors and other tools)",
  handler: () => {
    printJson(specSchema);
  },
};
