/**
 * What every artifact needs to know about one application service, derived once from the spec (and
 * from a few files of the service read through the render's one repository view, repo.ts: lockfile
 * names, package.json scripts). The
 * Dockerfile and compose contexts both build on this, so their healthchecks and ports agree.
 */
import path from 'node:path';
import type { Service, Spec } from '../../spec/types.generated.js';
import { toExec } from './commands.js';
import { probeCommand, type ProbeKind } from './healthcheck.js';
import { exists, join, readJson, readText } from './repo.js';
import type { TemplateName } from './template-name.js';
import { workspaceOf, type Workspace } from './workspace.js';

export type { TemplateName };

export interface ServiceModel {
  name: string;
  spec: Service;
  /** Posix path of the service folder relative to the root ('.' for the root). */
  dir: string;
  /** Built-in template, or null when the user keeps their own Dockerfile. */
  template: TemplateName | null;
  /** Build context relative to the root, as compose writes it ('.' or './api'). */
  context: string;
  /** Dockerfile path relative to the build context. */
  dockerfile: string;
  /** Production target, or null to build the Dockerfile's last stage. */
  target: string | null;
  /** Whether the Dockerfile has a `dev` target (ours always do). */
  hasDevTarget: boolean;
  image: string;
  role: Service['role'];
  /** Port inside the container; null for workers. */
  port: number | null;
  /** Healthcheck command (exec form, without the CMD prefix), or null when none is known. */
  healthcheck: string[] | null;
  /** Root filesystem can be read-only with a tmpfs on these paths. */
  readOnly: boolean;
  tmpfs: string[];
  /** Where the source lives inside the dev container, for bind mounts. */
  workdir: string;
  /** Paths inside the dev container that must not be shadowed by the bind mount (e.g. node_modules). */
  devVolumes: string[];
  /** Environment defaults every container of this service gets (PORT etc.). */
  runtimeEnv: Record<string, string>;
  /** Who the runtime runs as. */
  uid: number;
  /** The go/cargo/uv/maven/.NET workspace the build needs (npm-style workspaces: see nodeWorkspaceRoot). */
  workspace: Workspace | null;
}

export function templateFor(s: Service, rootDir: string, dir: string): TemplateName | null {
  if ('path' in s.dockerfile) return null;
  if (s.dockerfile.template !== 'auto') return s.dockerfile.template;
  if (s.role === 'static') return 'static';
  switch (s.language) {
    case 'node':
      return s.packageManager === 'bun' ? 'bun' : 'node';
    case 'bun':
    case 'deno':
    case 'python':
    case 'go':
    case 'rust':
    case 'ruby':
    case 'php':
    case 'dotnet':
    case 'elixir':
    case 'static':
      return s.language;
    case 'java':
    case 'kotlin':
    case 'scala':
      if (s.packageManager === 'maven' || exists(rootDir, join(dir, 'pom.xml'))) return 'java-maven';
      if (s.packageManager === 'gradle' || exists(rootDir, join(dir, 'build.gradle')) || exists(rootDir, join(dir, 'build.gradle.kts'))) return 'java-gradle';
      return 'generic';
    default:
      return 'generic';
  }
}

const PROBE: Record<TemplateName, ProbeKind> = {
  node: 'node',
  bun: 'bun',
  deno: 'deno',
  python: 'python',
  go: 'binary',
  rust: 'binary',
  'java-maven': 'bash',
  'java-gradle': 'bash',
  ruby: 'ruby',
  php: 'php',
  dotnet: 'bash',
  elixir: 'bash',
  static: 'wget',
  generic: 'bash',
};

/** Runtimes verified to run with a read-only root filesystem given a tmpfs on /tmp. */
const READ_ONLY_OK: ReadonlySet<TemplateName> = new Set(['node', 'bun', 'deno', 'python', 'go', 'rust', 'static']);

export const DISTROLESS_UID = 65532;
export const NGINX_UID = 101;
/** nginx-unprivileged listens on 8080 as its unprivileged user. */
export const STATIC_PORT = 8080;

export function serviceModel(spec: Spec, name: string, rootDir: string): ServiceModel {
  const s = spec.services[name]!;
  const dir = path.posix.normalize(s.path.replace(/\\/g, '/').replace(/\/+$/, '') || '.');
  const template = templateFor(s, rootDir, dir);
  const role = s.role;
  // Workers and jobs listen on nothing unless the spec says so (a worker's metrics or health port).
  const port = template === 'static' ? STATIC_PORT : role === 'job' ? null : role === 'worker' && s.port === null ? null : (s.port ?? 8080);

  let context = dir === '.' ? '.' : `./${dir}`;
  let dockerfile = 'Dockerfile';
  let target: string | null = 'runtime';
  let hasDevTarget = true;
  if ('path' in s.dockerfile) {
    // The user's own Dockerfile: built from the context the spec names (what its compose file
    // builds it with), else from the service folder when it lives inside it, else from the root.
    const own = path.posix.normalize(s.dockerfile.path);
    const named = s.dockerfile.context === undefined ? undefined : path.posix.normalize(s.dockerfile.context.replace(/\/+$/, '') || '.');
    const inService = dir === '.' || own.startsWith(`${dir}/`);
    const from = named ?? (inService ? dir : '.');
    context = from === '.' ? '.' : `./${from}`;
    dockerfile = from === '.' ? own : path.posix.relative(from, own);
    target = s.dockerfile.target ?? null;
    hasDevTarget = /^FROM\s+\S+\s+AS\s+dev\s*$/im.test(readText(rootDir, own) ?? '');
  }
  const ecosystemWorkspace = 'path' in s.dockerfile ? null : workspaceOf(template, rootDir, dir);
  // A static site built with Node in an npm/yarn/pnpm workspace installs from the workspace root, like a Node service.
  const nodeBuilt = template === 'node' || (template === 'static' && s.commands.build !== null);
  const workspace = nodeBuilt ? nodeWorkspaceRoot(rootDir, dir) : (ecosystemWorkspace?.root ?? null);
  if (workspace !== null) {
    context = workspace === '.' ? '.' : `./${workspace}`;
    dockerfile = workspace === '.' ? join(dir, 'Dockerfile') : path.posix.relative(workspace, join(dir, 'Dockerfile'));
  }

  const uid = template === 'go' || template === 'rust' ? DISTROLESS_UID : template === 'static' ? NGINX_UID : s.user.uid;
  const healthcheck = port === null || template === null ? null : probeCommand(PROBE[template], { port, path: template === 'static' ? '/healthz' : s.healthcheck.path });
  // Interpreted runtimes run from the service's folder inside the copied workspace.
  const workdir = (template === 'node' || template === 'python') && workspace !== null ? path.posix.join('/app', path.posix.relative(workspace, dir)) : '/app';
  const runtimeEnv: Record<string, string> = {};
  if (port !== null && template !== 'static') {
    runtimeEnv.PORT = String(port);
    if (s.portEnv) runtimeEnv[s.portEnv] = String(port);
  }

  const devVolumes: string[] = [];
  if (template === 'node' || template === 'bun' || (template === 'static' && s.commands.build !== null)) {
    devVolumes.push(workspace !== null ? '/app/node_modules' : `${workdir}/node_modules`);
  }
  if (template === 'rust') devVolumes.push('/app/target');

  return {
    name,
    spec: s,
    dir,
    template,
    context,
    dockerfile,
    target,
    hasDevTarget,
    image: `${spec.name}-${name}:local`,
    role,
    port,
    healthcheck,
    readOnly: template !== null && READ_ONLY_OK.has(template),
    tmpfs: template === 'static' ? ['/tmp'] : ['/tmp'],
    workdir,
    devVolumes,
    runtimeEnv,
    uid,
    workspace: ecosystemWorkspace,
  };
}

/**
 * The npm/yarn/pnpm workspace root that owns `dir`, when `dir` is a workspace package: its lockfile
 * lives at the root, so the image must be built from there.
 */
export function nodeWorkspaceRoot(rootDir: string, dir: string): string | null {
  if (dir === '.') return null;
  const parts = dir.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const candidate = i === 0 ? '.' : parts.slice(0, i).join('/');
    const rel = path.posix.relative(candidate, dir);
    const pkg = readJson(rootDir, join(candidate, 'package.json'));
    const globs = workspaceGlobs(rootDir, candidate, pkg);
    if (globs.some((g) => matchesWorkspace(g, rel))) return candidate;
  }
  return null;
}

export function workspaceGlobs(rootDir: string, dir: string, pkg?: Record<string, unknown>): string[] {
  const ws = pkg?.workspaces;
  const globs: string[] = [];
  if (Array.isArray(ws)) globs.push(...ws.filter((x): x is string => typeof x === 'string'));
  else if (ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages)) {
    globs.push(...((ws as { packages: unknown[] }).packages.filter((x): x is string => typeof x === 'string')));
  }
  const pnpm = readText(rootDir, join(dir, 'pnpm-workspace.yaml'));
  if (pnpm) for (const m of pnpm.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?/gm)) globs.push(m[1]!);
  return globs;
}

function matchesWorkspace(glob: string, rel: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const re = new RegExp(`^${g.split('/').map((p) => (p === '**' ? '.*' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))).join('/')}$`);
  return re.test(rel);
}

export { toExec };

/** Every application service, sorted by name (deterministic output). */
export function serviceModels(spec: Spec, rootDir: string): ServiceModel[] {
  return Object.keys(spec.services).sort().map((n) => serviceModel(spec, n, rootDir));
}
