/**
 * `.stackgen/manifest.json`: every file stackgen wrote, with the sha256 of the bytes it wrote. A file
 * whose bytes on disk differ from its manifest hash was edited by someone since. The manifest comes
 * from the repository, so it is input like any other: a key that is not a plain relative path inside
 * the project makes it invalid — an error naming the key, never a deletion somewhere else.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { StackgenError } from '../errors.js';
import { ProjectFs, relativePathProblem } from './project-fs.js';

export const MANIFEST_PATH = '.stackgen/manifest.json';

export interface Manifest {
  version: 1;
  /** Posix path relative to the root → sha256 (hex) of the content stackgen wrote. */
  files: Record<string, { sha256: string }>;
}

export function sha256(content: string | Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

export function emptyManifest(): Manifest {
  return { version: 1, files: {} };
}

const START_OVER = 'Delete the file to start over; stackgen will then treat existing files as yours and not overwrite them without --force.';

/** The project's manifest (empty when there is none); read through the file layer, every key checked. */
export function readManifest(rootDir: string, files: ProjectFs = new ProjectFs(rootDir)): Manifest {
  const file = path.join(files.rootDir, MANIFEST_PATH);
  const text = files.read(MANIFEST_PATH);
  if (text === undefined) return emptyManifest();
  let value: Manifest;
  try {
    value = JSON.parse(text) as Manifest;
    if (value?.version !== 1 || typeof value.files !== 'object' || value.files === null || Array.isArray(value.files)) throw new Error('unexpected shape');
  } catch (cause) {
    throw new StackgenError('E_INVALID', `${MANIFEST_PATH}: not a stackgen manifest`, { hint: START_OVER, locations: [{ file }], cause });
  }
  for (const [key, entry] of Object.entries(value.files)) {
    const problem = relativePathProblem(key);
    const bad = problem ? `the path ${JSON.stringify(key)} ${problem}` : !/^[0-9a-f]{64}$/.test(String((entry as { sha256?: unknown } | null)?.sha256)) ? `the entry ${JSON.stringify(key)} has no sha256` : undefined;
    if (bad) {
      throw new StackgenError('E_INVALID', `${MANIFEST_PATH}: ${bad}; a manifest lists only relative paths inside the project, so nothing was written or deleted`, {
        hint: `stackgen never writes such a key: someone edited ${MANIFEST_PATH}. Review it, or ${START_OVER.charAt(0).toLowerCase()}${START_OVER.slice(1)}`,
        locations: [{ file, path: `files[${JSON.stringify(key)}]` }],
        details: { key },
      });
    }
  }
  return value;
}

/** Sorted keys and no timestamps, so an unchanged stack gives an unchanged manifest. */
export function serializeManifest(m: Manifest): string {
  const files: Manifest['files'] = {};
  for (const k of Object.keys(m.files).sort()) files[k] = { sha256: m.files[k]!.sha256 };
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
