/**
 * `.stackgen/manifest.json`: every file stackgen wrote, with the sha256 of the bytes it wrote. A file
 * whose bytes on disk differ from its manifest hash was edited by someone since.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StackgenError } from '../errors.js';

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

export function readManifest(rootDir: string): Manifest {
  const file = path.join(rootDir, MANIFEST_PATH);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return emptyManifest();
  }
  try {
    const value = JSON.parse(text) as Manifest;
    if (value?.version !== 1 || typeof value.files !== 'object' || value.files === null) throw new Error('unexpected shape');
    return value;
  } catch (cause) {
    throw new StackgenError('E_INVALID', `${MANIFEST_PATH}: not a stackgen manifest`, {
      hint: 'Delete the file to start over; stackgen will then treat existing files as yours and not overwrite them without --force.',
      locations: [{ file }],
      cause,
    });
  }
}

/** Sorted keys and no timestamps, so an unchanged stack gives an unchanged manifest. */
export function serializeManifest(m: Manifest): string {
  const files: Manifest['files'] = {};
  for (const k of Object.keys(m.files).sort()) files[k] = { sha256: m.files[k]!.sha256 };
  return `${JSON.stringify({ version: 1, files }, null, 2)}\n`;
}
