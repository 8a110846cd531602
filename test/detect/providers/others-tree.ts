/** Builds a throwaway repository from a map of path → content, for provider tests. */
import { detect } from '../../../src/detect/detect.js';
import type { Service, Topology } from '../../../src/detect/types.js';
import { tempRepo } from '../../helpers/temp-repo.js';

/** The repository as a folder (removed after the test file). */
export function tree(files: Record<string, string>): string {
  return tempRepo(files, 'stackgen-prov-');
}

export async function detectTree(files: Record<string, string>): Promise<Topology> {
  return detect(tree(files));
}

/** The one service at `p` (fails the test when absent). */
export function at(t: Topology, p = '.'): Service {
  const s = t.services.find((x) => x.path === p);
  if (!s) throw new Error(`no service at ${p}; got ${JSON.stringify(t.services.map((x) => `${x.path}:${x.language}`))} warnings ${JSON.stringify(t.warnings)}`);
  return s;
}
