/**
 * templates/dockerfile/node: npm, pnpm, yarn classic or yarn berry, alone or in a workspace whose
 * root is the build context. The static template reuses the install half for its build stage.
 */
import path from 'node:path';
import { IMAGES } from '../../../images/catalog.js';
import { hasUnsafeChars } from '../../../safe-text.js';
import { splitSimple, toExec } from '../commands.js';
import { installDownloads, installManifests, type InstallDownloads } from '../install-downloads.js';
import { exists, globIn, join, readJson, readText } from '../repo.js';
import { nodeWorkspaceRoot, workspaceGlobs } from '../service.js';
// A pure decision shared with detect, so the evidence and the rendered ARG never disagree.
import { choosePnpm, pnpmLockfileVersion, type PnpmChoice } from '../../../detect/providers/node/pnpm-version.js';
import { hasScript, type BuildInput, type BuildRuntimeImages, type TemplateContext } from './base.js';

export type NodePm = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry';

/** The package manager's install commands: production only, everything, its cache, its own setup. */
export interface NodeInstall {
  prod: string;
  all: string;
  cache: string;
  setup: string | null;
}

export interface NodeX {
  pm: NodePm;
  installDownloads: InstallDownloads;
  /** package.json and the lockfiles (and pnpm-workspace.yaml) at the package or workspace root. */
  manifests: string[];
  /** `RUN --mount` flags for the package manager's configuration secrets ('' when none). */
  configMounts: string;
  /** Every workspace member's package.json, relative to the workspace root. */
  memberManifests: string[];
  /** Files the install runs (yarn berry's checked-in release). */
  toolFiles: string[];
  /** Whether the build context is a workspace root rather than the service folder. */
  workspace: boolean;
  /** The service folder relative to the workspace root ('.' without a workspace). */
  serviceDir: string;
  workdir: string;
  install: NodeInstall;
  pnpmVersion: string | null;
  /** Yarn berry with Plug'n'Play: its package cache must live in the project (see below). */
  yarnPnp: boolean;
  /** The spec's build command as the build stage runs it, or null. */
  build: string | null;
  /** The stage whose node_modules the runtime image takes: production dependencies, or every one. */
  runtimeDeps: 'deps' | 'dev-deps';
}

/**
 * Frameworks whose production server imports packages the project lists as devDependencies.
 * Qwik City keeps every package in devDependencies (its vite config throws when a Qwik package is in
 * `dependencies`) and its adapters' SSR build leaves node_modules imports external, so
 * server/entry.node-server imports @builder.io/qwik-city, undici, … at run time: a production-only
 * install starts nothing (ERR_MODULE_NOT_FOUND). Which of them the bundle imports is only known
 * after the build, and each brings its own dependencies, so the image keeps the complete install:
 * correct first, at the cost of the build tools' size (the qwik-city-node app: node_modules is
 * 206 MB of a 381 MB image, typescript, prettier and eslint among it).
 */
const SERVER_IMPORTS_DEV_DEPS: ReadonlySet<string> = new Set(['qwik-city']);

export type NodeContext = TemplateContext<'node', BuildRuntimeImages, NodeX>;

/**
 * Package-manager configuration that may hold a registry token (`//registry/:_authToken=…`,
 * `npmAuthToken`). .dockerignore keeps it out of the build context; the install steps read it as a
 * BuildKit secret at the place the package manager looks (never a layer), and compose and verify
 * pass the project's file under these ids.
 */
export const NODE_CONFIG_FILES = [
  { id: 'npmrc', file: '.npmrc' },
  { id: 'yarnrc', file: '.yarnrc.yml' },
] as const;

/** The NODE_CONFIG_FILES present in a Node package's folder (relative to the scanned root). */
export function nodeConfigSecrets(rootDir: string, pkgDir: string): Array<{ id: string; file: string }> {
  return NODE_CONFIG_FILES.filter((c) => exists(rootDir, join(pkgDir, c.file))).map((c) => ({ ...c }));
}

/** Shell that points corepack at npm's configured registry (trailing slash dropped: corepack appends paths). */
const COREPACK_FROM_NPM = 'export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-$(npm config get registry | sed \'s:/*$::\')}"';

export function nodeContext({ model: m, rootDir, img, base }: BuildInput): NodeContext {
  const s = m.spec;
  const dir = m.dir;
  const ws = nodeWorkspaceRoot(rootDir, dir);
  const pkgDir = ws ?? dir;
  const pm = nodePackageManager(rootDir, pkgDir, s.packageManager);
  const lockfiles = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'pnpm-workspace.yaml'].filter((f) => exists(rootDir, join(pkgDir, f)));
  const configMounts = nodeConfigSecrets(rootDir, pkgDir)
    .map((c) => `--mount=type=secret,id=${c.id},required=false,target=/app/${c.file}`)
    .join(' ');
  // Workspace builds copy every workspace package's manifest to its own folder, from the workspace root.
  const serviceRel = ws === null ? '.' : path.posix.relative(ws, dir);
  const memberManifests: string[] = [];
  if (ws !== null) {
    const globs = workspaceGlobs(rootDir, ws, readJson(rootDir, join(ws, 'package.json')));
    const found = globIn(rootDir, ws, globs.map((g) => `${g.replace(/\/+$/, '')}/package.json`), ['**/node_modules/**']);
    memberManifests.push(...found.sort());
  }
  // Yarn berry's checked-in release (`.yarnrc.yml` yarnPath): the install runs it, so it is copied with the manifests.
  const yarnrc = pm === 'yarn-berry' ? (readText(rootDir, join(pkgDir, '.yarnrc.yml')) ?? '') : '';
  const yarnPath = pm === 'yarn-berry' ? /^yarnPath:\s*["']?([^"'\s#]+)/m.exec(yarnrc)?.[1] : undefined;
  // Repository text that becomes a COPY source: a plain relative path of safe characters, inside the repository, that exists.
  const berryRelease = yarnPath && /^[A-Za-z0-9._@+/-]+$/.test(yarnPath) && !yarnPath.startsWith('/') && !yarnPath.split('/').includes('..') && exists(rootDir, join(pkgDir, yarnPath)) ? path.posix.normalize(yarnPath) : null;
  // Plug'n'Play, berry's default linker, resolves packages from yarn's zip cache whenever a tool
  // runs (the build, the app), so that cache must be in the image: the project's own .yarn/cache.
  // The cache mount then only feeds it (yarn's global mirror). The node-modules and pnpm linkers
  // copy the packages out, and keep the global cache in the mount.
  const yarnPnp = pm === 'yarn-berry' && ['pnp', undefined].includes(/^nodeLinker:\s*["']?([\w-]+)/m.exec(yarnrc)?.[1]);
  const hasLock = lockfiles.some((f) => ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'].includes(f));
  const wsFlag = ws === null ? '' : ` --workspace=${serviceRel}`;
  // pnpm selects a folder *with its dependencies* only as `{dir}...`: `./dir...` is a path glob that
  // selects the folder alone, so a workspace library the app compiles (its tsconfig `extends`, its own
  // dependencies) would be linked but not installed.
  const pnpmFilter = ws === null ? '' : ` --filter={./${serviceRel}}...`;
  const install: NodeInstall = {
    npm: {
      prod: `${hasLock ? 'npm ci' : 'npm install'} --omit=dev${wsFlag}`,
      all: `${hasLock ? 'npm ci' : 'npm install'}${wsFlag}`,
      cache: '/root/.npm',
      setup: null,
    },
    pnpm: {
      prod: `pnpm install --prod ${hasLock ? '--frozen-lockfile ' : ''}--store-dir=/pnpm/store${pnpmFilter}`,
      all: `pnpm install ${hasLock ? '--frozen-lockfile ' : ''}--store-dir=/pnpm/store${pnpmFilter}`,
      cache: '/pnpm/store',
      setup: 'npm install --global pnpm@${PNPM_VERSION}',
    },
    yarn: {
      prod: `yarn install ${hasLock ? '--frozen-lockfile ' : ''}--production --cache-folder /usr/local/share/.cache/yarn`,
      all: `yarn install ${hasLock ? '--frozen-lockfile ' : ''}--cache-folder /usr/local/share/.cache/yarn`,
      cache: '/usr/local/share/.cache/yarn',
      setup: null,
    },
    'yarn-berry': {
      prod: 'yarn install --immutable',
      all: 'yarn install --immutable',
      cache: '/root/.yarn/berry/cache',
      // corepack runs the `packageManager` pin; a checked-in release (`yarnPath`) runs itself; with
      // neither, corepack's default yarn is classic 1.x, which cannot read a berry lockfile.
      // Corepack fetches berry from the registry npm is configured for (a mirror an .npmrc names
      // included), not from yarn's own host: one host fewer for a firewalled or offline build.
      setup: `${COREPACK_FROM_NPM} && ${berryRelease || pinned(rootDir, dir, pkgDir, 'yarn') ? 'corepack enable' : 'corepack enable && corepack prepare yarn@stable --activate'}`,
    },
  }[pm];
  const pnpmVersion = pm === 'pnpm' ? pnpmFor(rootDir, dir, pkgDir).version : null;
  const pkgRel = join(dir, 'package.json');
  const pkg = readJson(rootDir, pkgRel);
  const start = resolveScript(rootDir, dir, s.commands.start ?? 'npm start', pkg && typeof pkg.main === 'string' ? ['node', pkg.main] : ['node', 'index.js']);
  const dev = hasScript(rootDir, dir, 'dev') ? [runner(pm), 'run', 'dev'] : start[0] === 'node' ? ['node', '--watch', ...start.slice(1)] : start;
  // SvelteKit's adapter-auto writes no server unless it recognises the platform; for a container
  // it has one route: with GCP_BUILDPACKS set (Cloud Run) it builds with adapter-node. The image
  // installs that adapter with the dev dependencies (pinned as adapter-auto pins it; never saved
  // to the package) and builds with the variable, so `node build` has its server.
  const pkgDeps = { ...((pkg?.dependencies ?? {}) as Record<string, string>), ...((pkg?.devDependencies ?? {}) as Record<string, string>) };
  const svelteAuto = s.framework === 'sveltekit' && Boolean(pkgDeps['@sveltejs/adapter-auto']) && !pkgDeps['@sveltejs/adapter-node'] && !pkgDeps['@sveltejs/adapter-static'];
  if (svelteAuto) {
    const adapter = '@sveltejs/adapter-node@5';
    const add = { npm: `npm install --no-save ${adapter}`, pnpm: `pnpm add --save-dev --store-dir=/pnpm/store ${adapter}`, yarn: `yarn add --dev ${adapter}`, 'yarn-berry': `yarn add --dev ${adapter}` }[pm];
    install.all = `${install.all} && ${add}`;
  }
  const image = img(IMAGES.node(s.runtimeVersion).ref);
  return {
    ...base,
    template: 'node',
    images: { build: image, runtime: image },
    start,
    dev,
    devDirs: ['/app/node_modules'],
    // Angular's SSR server answers 400 to a Host it was not told about (its SSRF guard): allow the
    // names the stack reaches it by (published port, compose network, the proxy's *.localhost
    // routes); a public domain is added by setting NG_ALLOWED_HOSTS where the stack is deployed.
    env: [['NODE_ENV', 'production'], ...base.env, ...(s.framework === 'angular' && start[0] === 'node' ? [['NG_ALLOWED_HOSTS', `localhost,127.0.0.1,${m.name},*.localhost`] as [string, string]] : [])],
    x: {
      pm,
      installDownloads: installDownloads(rootDir, installManifests(pkgDir, memberManifests), pkgRel),
      manifests: ['package.json', ...lockfiles],
      configMounts,
      memberManifests,
      toolFiles: berryRelease ? [berryRelease] : [],
      workspace: ws !== null,
      serviceDir: serviceRel,
      workdir: m.workdir,
      install,
      pnpmVersion,
      yarnPnp,
      build: s.commands.build ? `${svelteAuto ? 'GCP_BUILDPACKS=1 ' : ''}${s.commands.build.trim()}` : null,
      runtimeDeps: s.framework && SERVER_IMPORTS_DEV_DEPS.has(s.framework) ? 'dev-deps' : 'deps',
    },
  };
}

/**
 * The pnpm release the image installs: the same choice detect reports as evidence (one pure
 * function), read here from the package, its workspace root and the root's lockfile.
 */
function pnpmFor(rootDir: string, dir: string, pkgDir: string): PnpmChoice {
  const own = readJson(rootDir, join(dir, 'package.json'));
  const root = readJson(rootDir, join(pkgDir, 'package.json'));
  const field = (k: 'packageManager') => [own, root].map((p) => p?.[k]).find((v): v is string => typeof v === 'string');
  const enginesPnpm = [own, root].map((p) => (p?.engines as Record<string, unknown> | undefined)?.pnpm).find((v): v is string => typeof v === 'string');
  return choosePnpm({ packageManager: field('packageManager'), lockfileVersion: pnpmLockfileVersion(readText(rootDir, join(pkgDir, 'pnpm-lock.yaml'))), enginesPnpm });
}

function nodePackageManager(rootDir: string, dir: string, declared: string | null): NodePm {
  // Yarn 2+ as detect tells it: a `packageManager: yarn@2+` pin, `.yarnrc.yml`, or a lockfile with
  // berry's `__metadata` block. A berry lockfile installed by the image's classic yarn fails.
  const field = /^yarn@v?(\d+)/.exec(String(readJson(rootDir, join(dir, 'package.json'))?.packageManager ?? ''))?.[1];
  const berry = field !== undefined ? Number(field) >= 2 : exists(rootDir, join(dir, '.yarnrc.yml')) || /^__metadata:/m.test(readText(rootDir, join(dir, 'yarn.lock'))?.slice(0, 4000) ?? '');
  if (declared === 'pnpm' || exists(rootDir, join(dir, 'pnpm-lock.yaml'))) return 'pnpm';
  if (declared === 'yarn' || exists(rootDir, join(dir, 'yarn.lock'))) return berry ? 'yarn-berry' : 'yarn';
  return 'npm';
}

/** Whether the package or its workspace root pins `manager` in `packageManager`. */
function pinned(rootDir: string, dir: string, pkgDir: string, manager: string): boolean {
  return [dir, pkgDir].some((d) => String(readJson(rootDir, join(d, 'package.json'))?.packageManager ?? '').startsWith(`${manager}@`));
}

/** The command that runs a package script with this package manager. */
export function runner(pm: NodePm): string {
  return pm === 'yarn-berry' ? 'yarn' : pm;
}

/**
 * `npm start` → the script it runs, so the container's PID 1 is `node` (npm does not forward
 * SIGTERM). A script that is itself a plain command becomes exec form; anything else runs via sh.
 */
export function resolveScript(rootDir: string, dir: string, cmd: string, fallback: string[]): string[] {
  const scripts = (readJson(rootDir, join(dir, 'package.json'))?.scripts ?? {}) as Record<string, unknown>;
  let current = cmd.trim();
  for (let i = 0; i < 3; i++) {
    const m = /^(?:npm|pnpm|yarn|bun)(?:\s+run)?\s+([\w:.-]+)$/.exec(current);
    if (!m) break;
    const script = scripts[m[1]!];
    if (typeof script !== 'string') return m[1] === 'start' ? fallback : toExec(current);
    // A script that is not one plain line stays the package manager's to run: it is not inlined into CMD.
    if (hasUnsafeChars(script) || script.trim().endsWith('\\')) return toExec(current);
    current = script.trim();
  }
  const words = splitSimple(current);
  return words ?? ['sh', '-c', `exec ${current}`];
}
