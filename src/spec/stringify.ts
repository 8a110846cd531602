/**
 * Spec → YAML a person reads: the schema comment editors use for completion, `version: 1` first,
 * keys in a fixed readable order, a short comment per section. And the re-run of init: the new
 * detection merged into the user's existing document in place, so their values and comments stay.
 */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { SCHEMA_ID } from './schema.js';
import type { Segment } from './yaml-source.js';

const TOP_ORDER = ['$schema', 'version', 'name', 'services', 'backingServices', 'observability', 'proxy', 'ci', 'images', 'build', 'verify'];
const SERVICE_ORDER = [
  'path', 'language', 'framework', 'runtimeVersion', 'packageManager', 'role', 'staticDir', 'port', 'publish', 'commands', 'healthcheck',
  'metrics', 'env', 'secrets', 'dependsOn', 'replicas', 'resources', 'user', 'dockerfile', 'buildArgs', 'platforms',
];
const BACKING_ORDER = ['kind', 'version', 'image', 'persistence', 'initScripts'];
const COMMAND_ORDER = ['install', 'build', 'start', 'test'];

const SECTION_COMMENTS: Record<string, string> = {
  services: ' Application services: one image and container each. `port` is inside the container, `publish` the host port on 127.0.0.1.',
  backingServices: ' Databases, caches and brokers: official images; credentials are generated into .env, never written here.',
  observability: ' Prometheus scrapes every service with `metrics`; Grafana gets a dashboard.',
  proxy: ' Reverse proxy in front of the web services: none, traefik or caddy.',
  ci: ' CI pipeline: build, test, scan and push the images.',
};

export interface StringifySpecOptions {
  /** What the `yaml-language-server: $schema=` comment points at. Default: the schema's published URL. */
  schemaRef?: string;
}

function ordered(obj: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in obj && obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Orders a spec's keys the way stringifySpec writes them. */
function orderSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const top = ordered(spec, TOP_ORDER);
  if (isRecord(top.services)) {
    const services: Record<string, unknown> = {};
    for (const [n, s] of Object.entries(top.services)) services[n] = isRecord(s) ? orderService(s) : s;
    top.services = services;
  }
  if (isRecord(top.backingServices)) {
    const b: Record<string, unknown> = {};
    for (const [n, s] of Object.entries(top.backingServices)) b[n] = isRecord(s) ? ordered(s, BACKING_ORDER) : s;
    top.backingServices = b;
  }
  return top;
}

function orderService(s: Record<string, unknown>): Record<string, unknown> {
  const o = ordered(s, SERVICE_ORDER);
  if (isRecord(o.commands)) o.commands = ordered(o.commands, COMMAND_ORDER);
  return o;
}

/** Short lists of scalars read best on one line: `dependsOn: [postgres, redis]`. */
function flowShortLists(node: unknown): void {
  if (isMap(node)) for (const p of node.items) flowShortLists(p.value);
  else if (isSeq(node)) {
    if (node.items.every((i) => isScalar(i)) && node.items.length <= 8) node.flow = true;
    else for (const i of node.items) flowShortLists(i);
  }
}

function annotate(doc: Document, schemaRef: string): void {
  doc.commentBefore = ` yaml-language-server: $schema=${schemaRef}\n stackgen spec: edit freely, then run \`stackgen render\`. \`stackgen validate\` checks it.`;
  const root = doc.contents;
  if (!isMap(root)) return;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const comment = SECTION_COMMENTS[key];
    if (comment && isScalar(pair.key)) {
      pair.key.commentBefore = comment;
      pair.key.spaceBefore = true;
    } else if (key !== 'version' && key !== 'name' && isScalar(pair.key)) pair.key.spaceBefore = true;
  }
  flowShortLists(root);
}

const TO_STRING = { lineWidth: 0, indent: 2, flowCollectionPadding: false } as const;

/** The spec as YAML, starting with the schema comment and `version: 1`. */
export function stringifySpec(spec: object, options: StringifySpecOptions = {}): string {
  const value = isRecord(spec) ? orderSpec(spec) : spec;
  const doc = new Document(value);
  annotate(doc, options.schemaRef ?? SCHEMA_ID);
  return doc.toString(TO_STRING);
}

export interface MergeResult {
  /** The merged text; byte-identical to the input when nothing was added, set or pruned. */
  text: string;
  addedServices: string[];
  addedBacking: string[];
  /** Services in the file that detection no longer finds (kept unless pruned). */
  dropped: string[];
  pruned: string[];
  /** Paths set from explicit flags, e.g. services.api.port. */
  set: string[];
}

export interface MergeOptions {
  /** Remove services detection no longer finds. Default false (they are reported, not deleted). */
  prune?: boolean;
  /** Values the user asked for explicitly on this run (flags or answers): written even over existing values. */
  set?: Array<{ path: Segment[]; value: unknown }>;
}

function mapAt(doc: Document.Parsed, key: string): YAMLMap | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const v = root.get(key, true);
  return isMap(v) ? v : undefined;
}

function keysOf(map: YAMLMap | undefined): string[] {
  return map ? map.items.filter(isPair).map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter(Boolean) : [];
}

/**
 * Merges a freshly generated spec into the user's existing one: services and backing services that
 * are new are added (and new backing services wired into the dependsOn of the services that use
 * them); nothing the user wrote is changed except the values in `set`.
 */
export function mergeSpecText(existingText: string, fresh: Record<string, unknown>, options: MergeOptions = {}): MergeResult {
  const doc = parseDocument(existingText, { keepSourceTokens: false });
  const result: MergeResult = { text: existingText, addedServices: [], addedBacking: [], dropped: [], pruned: [], set: [] };
  const root: unknown = doc.contents;
  if (!isMap(root) || doc.errors.length > 0) return result;
  let changed = false;

  const freshServices = isRecord(fresh.services) ? fresh.services : {};
  const freshBacking = isRecord(fresh.backingServices) ? fresh.backingServices : {};

  let backingMap = mapAt(doc, 'backingServices');
  const existingBacking = keysOf(backingMap);
  for (const [name, b] of Object.entries(freshBacking)) {
    if (existingBacking.includes(name)) continue;
    // Same kind under another name counts as present.
    const kind = isRecord(b) ? b.kind : undefined;
    const sameKind = backingMap?.items.some((p) => isPair(p) && isMap(p.value) && p.value.get('kind') === kind);
    if (sameKind) continue;
    if (!backingMap) {
      backingMap = doc.createNode({}) as YAMLMap;
      root.set('backingServices', backingMap);
    }
    backingMap.set(name, doc.createNode(isRecord(b) ? ordered(b, BACKING_ORDER) : b));
    result.addedBacking.push(name);
    changed = true;
  }

  const servicesMap = mapAt(doc, 'services');
  if (servicesMap) {
    const existing = keysOf(servicesMap);
    for (const [name, s] of Object.entries(freshServices)) {
      if (existing.includes(name)) {
        // Wire newly added backing services into services that already existed.
        const deps = isRecord(s) && Array.isArray(s.dependsOn) ? (s.dependsOn as string[]) : [];
        const newDeps = deps.filter((d) => result.addedBacking.includes(d));
        if (newDeps.length > 0) {
          const svc = servicesMap.get(name, true);
          if (isMap(svc)) {
            const cur = svc.get('dependsOn', true);
            if (isSeq(cur)) for (const d of newDeps) cur.add(doc.createNode(d));
            else svc.set('dependsOn', doc.createNode(newDeps, { flow: true }));
            changed = true;
          }
        }
        continue;
      }
      const node = doc.createNode(isRecord(s) ? orderService(s) : s) as Node;
      flowShortLists(node);
      servicesMap.set(name, node);
      result.addedServices.push(name);
      changed = true;
    }
    for (const name of existing) {
      if (name in freshServices) continue;
      result.dropped.push(name);
      if (options.prune) {
        servicesMap.delete(name);
        result.pruned.push(name);
        changed = true;
      }
    }
  }

  for (const { path, value } of options.set ?? []) {
    const cur = doc.getIn(path);
    if (JSON.stringify(cur) === JSON.stringify(value)) continue;
    if (path[0] === 'services' && !(servicesMap && servicesMap.has(String(path[1])))) continue;
    doc.setIn(path, doc.createNode(value));
    result.set.push(path.join('.'));
    changed = true;
  }

  if (changed) result.text = doc.toString(TO_STRING);
  return result;
}

