/**
 * The project's `stackgen.yaml` as `init` produces it: written fresh from a detection, or, when the
 * user already has one, the new detection merged into their text in place (comments, order and
 * edits kept; only values they asked for on this run overwrite theirs). Either way the text is
 * validated before anyone writes it, so a program that calls this cannot save a spec `render` refuses.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Topology } from '../detect/types.js';
import { ProjectFs } from '../tree/project-fs.js';
import { normalizeTargets, specFromTopology, type SpecFromTopologyOptions } from './from-topology.js';
import { validateSpecText } from './load.js';
import { SCHEMA_ID, SCHEMA_RELATIVE_PATH } from './schema.js';
import { specErrorsToStackgenError } from './spec-error.js';
import { mergeSpecText, stringifySpec, type MergeResult } from './stringify.js';
import type { Spec } from './types.generated.js';
import type { Segment } from './yaml-source.js';

/** The spec's file name, at the repository root. */
export const SPEC_FILE = 'stackgen.yaml';

export interface SpecFileOptions {
  /** How the fresh spec is built from the topology (ports, backing services, proxy, CI, …). */
  spec?: SpecFromTopologyOptions;
  /**
   * Choices the user made explicitly on this run (flags, not prompt defaults): written into an
   * existing spec even over the value there. Default none: an existing spec keeps every value.
   */
  explicit?: SpecFromTopologyOptions;
  /** Remove services from an existing spec that detection no longer finds. Default false (reported, kept). */
  prune?: boolean;
  /** The path errors name (default: the spec file relative to the working directory). */
  displayPath?: string;
}

export interface SpecFile {
  /** Where the file lives: `<rootDir>/stackgen.yaml`. */
  path: string;
  /** The text to write (the user's text with the merge applied, or a fresh file). */
  text: string;
  /** The validated spec that text describes, defaults filled in. */
  spec: Spec;
  /** What a merge into an existing file added, dropped and pruned; null when the file is new. */
  merge: MergeResult | null;
}

/**
 * The spec file for `topology` in `rootDir`, validated. Reads an existing `stackgen.yaml` through the
 * project's file layer (a link there is refused, not followed) and writes nothing. Throws E_INVALID,
 * naming the file, line and fix, when the result does not validate (e.g. the user's file was broken).
 */
export function specFileFor(rootDir: string, topology: Topology, options: SpecFileOptions = {}): SpecFile {
  const fresh = specFromTopology(topology, options.spec ?? {});
  const specPath = path.join(rootDir, SPEC_FILE);
  const displayPath = options.displayPath ?? (path.relative(process.cwd(), specPath) || SPEC_FILE);
  const existing = new ProjectFs(rootDir).read(SPEC_FILE);
  let text: string;
  let merge: MergeResult | null = null;
  if (existing !== undefined) {
    merge = mergeSpecText(existing, fresh as unknown as Record<string, unknown>, { prune: options.prune ?? false, set: explicitValues(options.explicit ?? {}) });
    text = merge.text;
  } else {
    // The schema from the installed package when there is one (editors resolve it offline), else its id.
    const schemaRef = fs.existsSync(path.join(rootDir, SCHEMA_RELATIVE_PATH)) ? SCHEMA_RELATIVE_PATH : SCHEMA_ID;
    text = stringifySpec(fresh, { schemaRef });
  }
  const result = validateSpecText(text, displayPath, { baseDir: rootDir });
  if (!result.spec) throw specErrorsToStackgenError(displayPath, result.errors);
  return { path: specPath, text, spec: result.spec, merge };
}

/** The spec paths explicit choices write, with their values. */
function explicitValues(o: SpecFromTopologyOptions): Array<{ path: Segment[]; value: unknown }> {
  const set: Array<{ path: Segment[]; value: unknown }> = [];
  for (const [s, p] of Object.entries(o.ports ?? {})) set.push({ path: ['services', s, 'port'], value: p });
  for (const [s, c] of Object.entries(o.start ?? {})) set.push({ path: ['services', s, 'commands', 'start'], value: c });
  if (o.observability !== undefined) for (const k of ['prometheus', 'grafana', 'alertRules']) set.push({ path: ['observability', k], value: o.observability });
  if (o.proxy) for (const [k, v] of Object.entries(o.proxy)) set.push({ path: ['proxy', k], value: v });
  if (o.ci) set.push({ path: ['ci', 'provider'], value: o.ci });
  if (o.registry !== undefined) set.push({ path: ['ci', 'registry'], value: o.registry });
  if (o.targets) set.push({ path: ['targets'], value: normalizeTargets(o.targets) });
  return set;
}
