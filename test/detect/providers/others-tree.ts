/** Builds a throwaway repository from a map of path → content, for provider tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import type { Service, Topology } from '../../../src/detect/types.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-prov-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
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
