/**
 * Image mapping for air-gapped and mirrored registries: every image reference stackgen renders or
 * runs passes through `mapImage`. Overrides match an exact reference ("postgres:16.11-bookworm")
 * or a repository with any tag ("postgres:*"); everything else gets the mirror prefix, if any.
 */
import fs from 'node:fs';
import { parseDocument } from 'yaml';
import { StackgenError } from '../errors.js';

export interface ImageMap {
  /** Registry prefix put in front of every image without an override, e.g. "mirror.corp.example/dockerhub". */
  mirror?: string;
  /** Reference (or "repo:*") → replacement reference. */
  overrides?: Record<string, string>;
  /** Mapped reference → `sha256:…` (images.pinDigests): appended as `@digest` where the reference has none. */
  digests?: Record<string, string>;
  /** When set, every mapped reference is added here (render's first pass, to know what to resolve). */
  seen?: Set<string>;
}

/** "node" → "docker.io/library/node"; keeps explicit registries as they are. */
export function normalizeRepository(repo: string): string {
  const first = repo.split('/')[0] ?? '';
  const hasRegistry = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return repo;
  return repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
}

export function splitReference(ref: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag, digest] = ref.split('@') as [string, string | undefined];
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > slash;
  const out: { repository: string; tag?: string; digest?: string } = { repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag };
  if (hasTag) out.tag = nameAndTag.slice(colon + 1);
  if (digest) out.digest = digest;
  return out;
}

export function mapImage(ref: string, map: ImageMap | undefined): string {
  if (!map) return ref;
  const mapped = mapReference(ref, map);
  map.seen?.add(mapped);
  const digest = map.digests?.[mapped];
  return digest && !mapped.includes('@') ? `${mapped}@${digest}` : mapped;
}

function mapReference(ref: string, map: ImageMap): string {
  const { repository, tag, digest } = splitReference(ref);
  const full = normalizeRepository(repository);
  // An override naming the exact reference wins over a repository wildcard, whatever their order.
  let wildcard: string | undefined;
  for (const [pattern, target] of Object.entries(map.overrides ?? {})) {
    const p = splitReference(pattern);
    if (normalizeRepository(p.repository) !== full) continue;
    if (p.tag === '*' || p.tag === undefined) wildcard ??= target;
    else if (p.tag === tag && (p.digest === undefined || p.digest === digest)) return target;
  }
  if (wildcard !== undefined) return wildcard;
  if (map.mirror) {
    const mirror = map.mirror.replace(/\/+$/, '');
    const path = full.replace(/^docker\.io\//, '');
    return `${mirror}/${path}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  }
  return ref;
}

/** Merges maps; later maps win (spec < --image-map file). */
export function mergeImageMaps(...maps: Array<ImageMap | undefined>): ImageMap {
  const out: ImageMap = { overrides: {} };
  for (const m of maps) {
    if (!m) continue;
    if (m.mirror) out.mirror = m.mirror;
    Object.assign(out.overrides!, m.overrides ?? {});
  }
  return out;
}

/** Reads an image-map YAML/JSON file: `{ mirror?: string, overrides?: { ref: ref } }`. */
export function loadImageMap(file: string): ImageMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new StackgenError('E_INPUT', `${file}: cannot read image map`, { cause, hint: 'Pass an existing YAML file with `mirror:` and/or `overrides:`.', locations: [{ file }] });
  }
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) {
    throw new StackgenError('E_INVALID', `${file}: invalid YAML: ${err.message.split('\n')[0]}`, { locations: [{ file, line: err.linePos?.[0].line, column: err.linePos?.[0].col }] });
  }
  const value = doc.toJS() as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StackgenError('E_INVALID', `${file}: an image map is a mapping with \`mirror\` and/or \`overrides\``, { locations: [{ file, line: 1 }] });
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'mirror' && key !== 'overrides') {
      throw new StackgenError('E_INVALID', `${file}: unknown key \`${key}\``, { hint: 'Allowed keys: mirror, overrides.', locations: [{ file }] });
    }
  }
  if (v.mirror !== undefined && typeof v.mirror !== 'string') throw new StackgenError('E_INVALID', `${file}: \`mirror\` must be a string`, { locations: [{ file }] });
  const overrides = v.overrides ?? {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides) || Object.values(overrides).some((x) => typeof x !== 'string')) {
    throw new StackgenError('E_INVALID', `${file}: \`overrides\` maps image references to replacement references (strings)`, { locations: [{ file }] });
  }
  const out: ImageMap = { overrides: overrides as Record<string, string> };
  if (typeof v.mirror === 'string') out.mirror = v.mirror;
  return out;
}
