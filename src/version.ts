/** stackgen's own version, from package.json (which ships next to src/ and dist/ alike). */
import { createRequire } from 'node:module';

export const STACKGEN_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
