/**
 * Every free string of the spec, attacked. The test walks `schemas/stackgen.schema.json` for every
 * string the spec can hold (values and map keys), puts hostile payloads there one at a time, and
 * asserts one of two outcomes: validation refuses the spec and names the attacked field, or the rendered tree has exactly the
 * structure of the unmodified render — the same files, the same compose keys, the same Dockerfile
 * instructions, the same workflow jobs and steps, the same GitLab jobs, the same number of lines —
 * and the payload reaches no CI script, no GitHub expression and no compose interpolation. A field
 * added to the schema later is attacked the day it is added: the base spec must hold a value for
 * every schema path, or the first test fails and names the path.
 */
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { isStackgenError } from '../../src/errors.js';
import { render } from '../../src/render/render.js';
import { validateSpec } from '../../src/spec/load.js';
import { dotPath } from '../../src/spec/spec-error.js';
import { specSchema } from '../../src/spec/schema.js';
import type { Spec, SpecInput } from '../../src/spec/types.generated.js';
import { tempRepo } from '../helpers/temp-repo.js';

const PAYLOADS = [
  'x\nUSER root',
  'x\r\nRUN touch /pwned',
  'x\n    privileged: true',
  'x\n  evil:\n    image: alpine',
  "x'; touch /tmp/pwned; echo '",
  'x"; touch /tmp/pwned; echo "',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  '${HOME}',
  '$HOME',
  '${{ secrets.GITHUB_TOKEN }}',
  '{{ range.constructor("return process")().exit(7) }}',
  '{% raw %}x',
  'a\u202Egnp.exe',
  'a\u200Bb',
  'x #: comment',
  '--privileged',
  '../../../../etc/passwd',
  '/etc/passwd',
  'x && curl http://127.0.0.1:9/ | sh',
  "%s%n'\\",
];

/** A path through the spec: object keys, `*` for any map entry, `[]` for any array item, `{}` for a map key itself. */
type SchemaPath = string[];

interface Node {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  properties?: Record<string, Node>;
  additionalProperties?: Node | boolean;
  propertyNames?: Node;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
}

const defs = (specSchema as { $defs: Record<string, Node> }).$defs;

/** Every place a free string can stand in a spec (enums and constants are not free). */
function stringPaths(node: Node, at: SchemaPath, seen: Set<string> = new Set()): SchemaPath[] {
  if (node.$ref) {
    const name = node.$ref.replace('#/$defs/', '');
    return stringPaths(defs[name]!, at, seen);
  }
  const out: SchemaPath[] = [];
  for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) out.push(...stringPaths(alt, at, seen));
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.includes('string') && !node.enum && node.const === undefined) out.push(at);
  for (const [k, v] of Object.entries(node.properties ?? {})) out.push(...stringPaths(v, [...at, k], seen));
  if (node.propertyNames) out.push([...at, '{}']);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') out.push(...stringPaths(node.additionalProperties, [...at, '*'], seen));
  if (node.items) out.push(...stringPaths(node.items, [...at, '[]'], seen));
  const unique = new Map(out.map((p) => [p.join('/'), p]));
  return [...unique.values()];
}

/** Every concrete location of a schema path in a spec value: a list of keys, and whether it names a key. */
function locations(value: unknown, p: SchemaPath, prefix: Array<string | number> = []): Array<{ at: Array<string | number>; key: boolean }> {
  if (p.length === 0) return typeof value === 'string' ? [{ at: prefix, key: false }] : [];
  const [head, ...rest] = p as [string, ...string[]];
  if (value === null || typeof value !== 'object') return [];
  if (head === '{}') return Object.keys(value).map((k) => ({ at: [...prefix, k], key: true }));
  if (head === '*') return Object.entries(value).flatMap(([k, v]) => locations(v, rest, [...prefix, k]));
  if (head === '[]') return Array.isArray(value) ? value.flatMap((v, i) => locations(v, rest, [...prefix, i])) : [];
  return head in value ? locations((value as Record<string, unknown>)[head], rest, [...prefix, head]) : [];
}

function setAt(value: unknown, at: Array<string | number>, key: boolean, payload: string): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = at.at(-1)!;
  if (key) {
    const entries = Object.entries(node).map(([k, v]) => (k === last ? [payload, v] : [k, v]));
    for (const k of Object.keys(node)) delete node[k];
    for (const [k, v] of entries) node[k as string] = v;
  } else node[last] = payload;
  return copy;
}

let root: string;

/** A spec that sets every free string the schema has, with files where the spec points at them. */
function baseSpec(ci: 'github' | 'gitlab', proxy: 'traefik' | 'caddy'): SpecInput {
  return {
    $schema: './node_modules/stackgen/schemas/stackgen.schema.json',
    version: 1,
    name: 'shop',
    // Every target, so each payload is attacked in every file a target renders.
    targets: ['compose', 'swarm'],
    services: {
      web: {
        path: 'web',
        language: 'node',
        runtimeVersion: '20',
        packageManager: 'npm',
        framework: 'express',
        port: 3000,
        portEnv: 'HTTP_PORT',
        publish: 3001,
        commands: { install: 'npm ci', build: 'npm run build', start: 'node server.js', test: 'npm test' },
        healthcheck: { path: '/health?full=1', interval: '10s', timeout: '3s', startPeriod: '15s' },
        resources: { cpus: '0.5', memory: '256M' },
        user: { name: 'app' },
        platforms: ['linux/amd64'],
        metrics: { path: '/metrics' },
        env: { LOG_LEVEL: 'info', GREETING: 'hello world' },
        secrets: ['SESSION_SECRET'],
        wiring: { DATABASE_HOST: 'postgres.host', DATABASE_PASSWORD_FILE: 'postgres.password-file', REDIS_URL: 'redis.url' },
        expects: ['STRIPE_API_KEY'],
        dependsOn: ['postgres', 'redis'],
        buildArgs: { APP_FLAVOR: 'full', BUILD_LABEL: 'release' },
      },
      site: { path: 'site', language: 'static', role: 'static', staticDir: 'dist', port: 8080, publish: 8081, commands: { build: 'npm run build' } },
      custom: { path: 'custom', language: 'go', port: 9000, dockerfile: { path: 'custom/Dockerfile', target: 'runtime', context: '.' } },
      jobs: { path: 'jobs', language: 'python', role: 'worker', commands: { start: 'python worker.py' } },
      report: { path: 'report', language: 'python', role: 'job', commands: { start: 'python report.py' } },
    },
    backingServices: {
      postgres: { kind: 'postgres', version: '16', image: 'postgres:16.4-bookworm', initScripts: ['db/init.sql'] },
      redis: { kind: 'redis', aliases: ['cache'], auth: 'none' },
    },
    observability: { prometheus: true, grafana: true, scrapeInterval: '15s' },
    proxy: { kind: proxy, tls: 'acme', domains: ['shop.example.com', 'static.example.com'], email: 'ops@example.com' },
    ci: {
      provider: ci,
      registry: 'registry.example.com/acme',
      image: 'shop',
      branch: 'main',
      stackgenPackage: 'stackgen@0.1.0',
      platforms: ['linux/amd64', 'linux/arm64'],
      actions: { 'actions/checkout': { sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' } },
    },
    images: { mirror: 'mirror.example.com/dockerhub', overrides: { 'redis:*': 'mirror.example.com/redis:7.4.1' } },
    build: { caBundle: 'certs/ca.pem' },
    verify: { timeout: '180s', settle: '5s', checks: [{ service: 'web', path: '/api/items', bodyIncludes: 'items' }] },
    kubernetes: {
      namespace: 'shop',
      storage: { size: '2Gi', className: 'fast-ssd' },
      ingress: { className: 'nginx', hosts: { web: 'shop.example.com' }, tlsSecret: 'shop-tls' },
      networkPolicy: true,
      liveness: true,
      maxReplicas: 5,
      jobs: { migrate: { service: 'web', command: 'node migrate.js' } },
    },
  };
}

const BASES = [baseSpec('github', 'traefik'), baseSpec('gitlab', 'caddy')];

beforeAll(() => {
  root = tempRepo({
    'web/package.json': '{"name":"web","scripts":{"start":"node server.js"}}',
    'web/package-lock.json': '{"lockfileVersion":3}',
    'web/server.js': '',
    'site/package.json': '{"name":"site"}',
    'custom/Dockerfile': 'FROM scratch AS runtime\n',
    'custom/go.mod': 'module custom\n',
    'jobs/requirements.txt': '',
    'jobs/worker.py': '',
    'report/requirements.txt': '',
    'report/report.py': '',
    'db/init.sql': 'select 1;\n',
    'certs/ca.pem': '',
  }, 'stackgen-attack-');
});

function validate(input: unknown): Spec | null {
  const r = validateSpec(input, { baseDir: root });
  return r.spec ?? null;
}

/** The shape of a YAML document: every key path, with array positions. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [`${prefix}[${value.length}]`, ...value.flatMap((v, i) => keyPaths(v, `${prefix}[${i}]`))];
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
  return [];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The scripts CI runs: GitHub `run:` steps and GitLab `script`/`before_script`/`after_script`. */
function scripts(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'run' || k === 'script' || k === 'before_script' || k === 'after_script') out.push(...strings(x));
        else walk(x);
      }
    }
  };
  walk(doc);
  return out;
}

function occurrences(texts: string[], needle: string): number {
  return texts.reduce((n, t) => n + t.split(needle).length - 1, 0);
}

interface Shape {
  files: string[];
  lines: Record<string, number>;
  yaml: Record<string, string[]>;
  dockerfiles: Record<string, string[]>;
  /** Compose files: every `$` that compose would interpolate. */
  interpolations: Record<string, string[]>;
  /** Workflow files: every GitHub expression. */
  expressions: Record<string, string[]>;
  scripts: string[];
}

/** One file's part of a shape. */
interface FileShape {
  lines: number;
  yaml?: string[];
  dockerfile?: string[];
  interpolations?: string[];
  expressions?: string[];
  scripts: string[];
}

/**
 * Most payloads change one or two files: a file whose text is the same as before has the same shape,
 * so each distinct text is parsed once (the parse was most of this test's time).
 */
const fileShapes = new Map<string, FileShape>();

function fileShape(file: string, text: string): FileShape {
  const key = `${file}\0${text}`;
  const known = fileShapes.get(key);
  if (known) return known;
  const s: FileShape = { lines: text.split('\n').length, scripts: [] };
  if (/\.ya?ml$/.test(file)) {
    // Kubernetes manifests hold several documents each.
    const doc = (file.startsWith('kubernetes/') ? parseAllDocuments(text, { uniqueKeys: true }).map((d) => d.toJS() as unknown) : parseYaml(text, { uniqueKeys: true })) as unknown;
    s.yaml = keyPaths(doc);
    if (/compose/.test(file)) s.interpolations = strings(doc).flatMap((v) => v.replace(/\$\$/g, '').match(/\$\{?[A-Za-z_0-9]*/g) ?? []);
    // `${{ '${{' }}` is how a value's own `${{` is written: it evaluates to that literal text.
    if (file.startsWith('.github/')) s.expressions = (text.match(/\$\{\{[^}]*\}\}/g) ?? []).filter((e) => e !== "${{ '${{' }}");
    s.scripts = scripts(doc);
  }
  if (path.posix.basename(file) === 'Dockerfile') {
    s.dockerfile = DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword());
  }
  fileShapes.set(key, s);
  return s;
}

async function shape(spec: Spec): Promise<Shape> {
  const tree = await render(spec, { rootDir: root });
  const s: Shape = { files: [], lines: {}, yaml: {}, dockerfiles: {}, interpolations: {}, expressions: {}, scripts: [] };
  for (const file of tree.listChanges().map((c) => c.path).sort()) {
    const text = tree.read(file);
    if (text === undefined) continue;
    const f = fileShape(file, text);
    s.files.push(file);
    s.lines[file] = f.lines;
    if (f.yaml) s.yaml[file] = f.yaml;
    if (f.interpolations) s.interpolations[file] = f.interpolations;
    if (f.expressions) s.expressions[file] = f.expressions;
    if (f.dockerfile) s.dockerfiles[file] = f.dockerfile;
    s.scripts.push(...f.scripts);
  }
  return s;
}

describe('every free string in the spec, attacked', () => {
  const all = stringPaths(specSchema as Node, []);

  it('the base specs are valid and hold a value at every string path of the schema', () => {
    for (const base of BASES) expect(validateSpec(base, { baseDir: root }).errors).toEqual([]);
    const missing = all.filter((p) => BASES.every((b) => locations(b, p).length === 0)).map((p) => p.join('.'));
    expect(missing, 'add a value for these schema paths to baseSpec() so they are attacked too').toEqual([]);
    expect(all.length).toBeGreaterThan(40);
  });

  for (const [i, base] of BASES.entries()) {
    it(`${base.ci!.provider} + ${base.proxy!.kind}: each payload is refused or stays data`, async () => {
      const baseline = await shape(validate(base)!);
      const accepted: string[] = [];
      for (const p of all) {
        for (const loc of locations(base, p)) {
          for (const payload of PAYLOADS) {
            // Hand the event loop back between payloads: a body that holds it for minutes misses vitest's RPC heartbeats.
            await new Promise((resolve) => setImmediate(resolve));
            const attacked = setAt(base, loc.at, loc.key, payload);
            const where = `${loc.key ? 'key of ' : ''}${loc.at.join('.')} = ${JSON.stringify(payload)}`;
            const result = validateSpec(attacked, { baseDir: root });
            if (!result.spec) {
              // A refusal names the attacked field (a renamed key: the field under its new name), not some other finding.
              const at = dotPath(loc.key ? [...loc.at.slice(0, -1), payload] : loc.at);
              const named = result.errors.some((e) => e.path === at || e.path.startsWith(`${at}.`) || e.path.startsWith(`${at}[`));
              expect(named, `${where}: refused with ${JSON.stringify(result.errors.map((e) => e.path))}`).toBe(true);
              continue;
            }
            const spec = result.spec;
            let got: Shape;
            try {
              got = await shape(spec);
            } catch (err) {
              // Refusing at render time is fine; crashing is not.
              expect(isStackgenError(err) && (err as { code: string }).code !== 'E_INTERNAL', `${where}: ${String(err)}`).toBe(true);
              continue;
            }
            accepted.push(where);
            expect(got.files, where).toEqual(baseline.files);
            expect(got.lines, where).toEqual(baseline.lines);
            expect(got.yaml, where).toEqual(baseline.yaml);
            expect(got.dockerfiles, where).toEqual(baseline.dockerfiles);
            expect(got.interpolations, where).toEqual(baseline.interpolations);
            expect(got.expressions, where).toEqual(baseline.expressions);
            expect(occurrences(got.scripts, payload), `${where} reaches a CI script`).toBe(occurrences(baseline.scripts, payload));
          }
        }
      }
      // Free text (env values, commands, build args, expected bodies) does accept most payloads: proof
      // that the structural assertions above ran on real cases, not only on refusals.
      expect(accepted.length, `base ${i}`).toBeGreaterThan(20);
    }, 600_000);
  }
});
