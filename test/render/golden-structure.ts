/**
 * Golden checks for rendered trees, in two depths:
 *
 * - a FULL tree: every rendered file is a golden file (`toMatchFileSnapshot`), for the few
 *   representative fixtures in `FULL_TREE_FIXTURES` and for the files that pin one template each in
 *   the samples (`SAMPLE_FULL_FILES`);
 * - a STRUCTURE summary for everything else: one small JSON file per fixture or sample with the files
 *   produced, each Dockerfile's instruction list, each compose service's keys, each workflow's jobs and
 *   steps, the variables of each env file and the top-level keys of other YAML/JSON.
 *
 * The summary deliberately leaves out what one template edit changes everywhere at once (RUN scripts,
 * comments, image digests, key order), so such an edit rewrites the few full trees, not 80 copies of
 * the same workflow. What a user would notice per stack (a service losing its healthcheck, a step or
 * a file disappearing, another base image or user, a changed CMD) still changes its summary.
 *
 * Update both with `npx vitest run test/render/render-golden.test.ts test/render/render-fixtures.test.ts -u`
 * and read the diff. CONTRIBUTING.md describes how to extend the summary for a new kind of file.
 */
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parse as parseYaml } from 'yaml';

/** Fixtures whose whole rendered tree is golden: one per main ecosystem, a monorepo, a static site, a polyglot stack with backing services. */
export const FULL_TREE_FIXTURES: readonly string[] = [
  'node-express-pg-redis', // Node, postgres + redis, observability, compose test file
  'python-django-postgres-celery', // Python web + worker, postgres, a broker
  'go-stdlib-api', // Go static binary, the healthcheck helper
  'java-spring-boot-maven', // JVM
  'mono-turbo-pnpm', // a pnpm/turbo monorepo: several Dockerfiles from one workspace
  'static-site', // nginx static site
  'polyglot-frontend-api', // two ecosystems in one repository
];

/** Files the samples keep in full: the ones that pin a single template each (Dockerfile family, nginx, the probe helper). */
export const SAMPLE_FULL_FILES = /(^|\/)(Dockerfile|[^/]+\.Dockerfile|\.dockerignore|nginx\.conf|\.stackgen\/.*)$/;

export interface RenderedFile {
  path: string;
  content: string;
  mode?: number;
  createOnly?: boolean;
  owner?: string;
}

/** A golden file's path: leading dots become `_.` so no golden is a hidden file. */
export const goldenPath = (p: string): string => p.replace(/^\./, '_.').replace(/\/\./g, '/_.');

/** One line per file: its path and what a user would see in `ls -l` or the manifest. */
export function fileIndex(files: readonly RenderedFile[]): string[] {
  return files.map((f) => `${f.path}${f.mode ? ` (mode ${f.mode.toString(8)})` : ''}${f.createOnly ? ' [create-only]' : ''}${f.owner === 'user' ? ' [user file]' : ''}`);
}

/** An image reference without its digest: digests are bumped in one place (src/images/catalog.ts). */
const undigest = (image: string): string => image.replace(/@sha256:[0-9a-f]{64}/g, '');

/** Keywords whose arguments a user depends on; the rest are listed by keyword only. */
const KEEP_ARGS = new Set(['FROM', 'USER', 'EXPOSE', 'WORKDIR', 'CMD', 'ENTRYPOINT', 'STOPSIGNAL', 'SHELL']);

export function dockerfileInstructions(text: string): string[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((ins) => {
      const kw = ins.getKeyword().toUpperCase();
      const args = (ins.getArgumentsContent() ?? '').replace(/\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
      if (KEEP_ARGS.has(kw)) return `${kw} ${undigest(args)}`.trim();
      // ARG and ENV: the names only (values are versions and defaults that move together).
      if (kw === 'ARG') return `ARG ${args.split('=')[0]}`;
      if (kw === 'ENV') return `ENV ${[...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]).join(' ') || args.split(' ')[0]}`;
      // COPY/ADD: only where from (another stage), not what.
      if (kw === 'COPY' || kw === 'ADD') {
        const from = 'getFlags' in ins ? (ins as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags().find((fl) => fl.getName() === 'from') : undefined;
        return from ? `${kw} --from=${from.getValue()}` : kw;
      }
      if (kw === 'HEALTHCHECK') return /^NONE$/i.test(args) ? 'HEALTHCHECK NONE' : 'HEALTHCHECK CMD';
      return kw;
    });
}

type Yaml = Record<string, unknown>;
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysOf = (v: unknown): string[] => (isObject(v) ? Object.keys(v).sort() : []);

export function composeStructure(text: string): Yaml {
  const doc = parseYaml(text) as Yaml;
  const services: Yaml = {};
  for (const [name, s] of Object.entries(isObject(doc.services) ? doc.services : {})) {
    const svc = isObject(s) ? s : {};
    const dependsOn = Array.isArray(svc.depends_on) ? svc.depends_on.map(String) : keysOf(svc.depends_on);
    services[name] = {
      keys: keysOf(svc),
      ...(typeof svc.image === 'string' ? { image: undigest(svc.image) } : {}),
      ...(dependsOn.length ? { depends_on: dependsOn.sort() } : {}),
      ...(Array.isArray(svc.profiles) ? { profiles: svc.profiles.map(String) } : {}),
    };
  }
  const out: Yaml = { top: keysOf(doc), services };
  for (const k of ['networks', 'volumes', 'secrets', 'configs']) if (isObject(doc[k])) out[k] = keysOf(doc[k]);
  return out;
}

export function githubWorkflowStructure(text: string): Yaml {
  const doc = parseYaml(text) as Yaml;
  const jobs: Yaml = {};
  for (const [id, j] of Object.entries(isObject(doc.jobs) ? doc.jobs : {})) {
    const job = isObject(j) ? j : {};
    const steps = Array.isArray(job.steps) ? job.steps : [];
    jobs[id] = {
      ...(job.needs ? { needs: ([] as unknown[]).concat(job.needs).map(String) } : {}),
      steps: steps.map((st: unknown) => {
        const s = isObject(st) ? st : {};
        if (typeof s.name === 'string') return s.name;
        if (typeof s.uses === 'string') return `uses ${s.uses.replace(/@.*$/, '')}`;
        return 'run';
      }),
    };
  }
  return { on: keysOf(doc.on), jobs };
}

export function gitlabStructure(text: string): Yaml {
  const doc = parseYaml(text) as Yaml;
  const jobs: Yaml = {};
  for (const [id, j] of Object.entries(doc)) if (isObject(j) && !id.startsWith('.') && ('script' in j || 'trigger' in j || 'extends' in j)) jobs[id] = j.stage ?? null;
  return { stages: Array.isArray(doc.stages) ? doc.stages : [], jobs };
}

const envNames = (text: string): string[] => [...text.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!);

/** The structure summary of a rendered tree (see the file comment). Keys are file paths, in render order. */
export function treeStructure(files: readonly RenderedFile[]): Yaml {
  const summary: Yaml = {};
  for (const f of files) {
    const base = path.posix.basename(f.path);
    let s: unknown;
    if (base === 'Dockerfile' || base.endsWith('.Dockerfile')) s = { instructions: dockerfileInstructions(f.content) };
    else if (/^compose(\.[a-z]+)?\.ya?ml$/.test(base)) s = composeStructure(f.content);
    else if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(f.path)) s = githubWorkflowStructure(f.content);
    else if (base === '.gitlab-ci.yml') s = gitlabStructure(f.content);
    else if (/^\.env(\..+)?$/.test(base)) s = { variables: envNames(f.content) };
    else if (/^prometheus\.ya?ml$/.test(base) && f.path.includes('prometheus/')) {
      const doc = parseYaml(f.content) as Yaml;
      s = { top: keysOf(doc), scrape_jobs: (Array.isArray(doc.scrape_configs) ? doc.scrape_configs : []).map((c: unknown) => (isObject(c) ? c.job_name : null)) };
    } else if (base === 'alerts.yml' || base === 'alerts.yaml') {
      const doc = parseYaml(f.content) as { groups?: { name: string; rules?: { alert?: string; record?: string }[] }[] };
      s = { groups: (doc.groups ?? []).map((g) => ({ name: g.name, rules: (g.rules ?? []).map((r) => r.alert ?? r.record ?? null) })) };
    } else if (/\.ya?ml$/.test(base)) s = { top: keysOf(parseYaml(f.content)) };
    else if (base.endsWith('.json')) s = { top: keysOf(JSON.parse(f.content)) };
    else if (base.endsWith('.md')) s = { headings: [...f.content.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,3} (.+)$/gm)].map((m) => m[1]!) };
    else continue; // .gitignore, .dockerignore, nginx.conf, sources: present in the file index only
    summary[f.path] = s;
  }
  return { files: fileIndex(files), structure: summary };
}

/** Stable, reviewable text of a summary: one JSON document, two-space indented, arrays of strings on one line each item. */
export function structureText(files: readonly RenderedFile[]): string {
  return `${JSON.stringify(treeStructure(files), null, 2)}\n`;
}
