import { lintFiles, type LintOptions } from '../../src/lint/index.js';
import type { Finding } from '../../src/lint/types.js';

/** Lints in-memory files (built-in checks only unless options say otherwise). */
export async function lintMemory(files: Record<string, string>, options: LintOptions = {}): Promise<Finding[]> {
  return lintFiles(
    Object.entries(files).map(([path, content]) => ({ path, content })),
    { external: false, ...options },
  );
}

export const rulesOf = (findings: readonly Finding[]) => findings.map((f) => f.rule);
