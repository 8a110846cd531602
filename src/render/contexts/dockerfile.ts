/**
 * The typed context of every Dockerfile template: one builder, one interface, every variable the
 * templates use. Image references are mapped here (mirror / overrides) so templates never see an
 * unmapped upstream reference.
 */
import path from 'node:path';
import fg from 'fast-glob';
import { IMAGES } from '../../images/catalog.js';
import { mapImage, type ImageMap } from '../../images/image-map.js';
import { hasUnsafeChars } from '../../safe-text.js';
import type { Spec } from '../../spec/types.generated.js';
import { splitSimple, toExec } from './commands.js';
import { exists, join, nodeWorkspaceRoot, readJson, readText, readToml, workspaceGlobs, type ServiceModel, type TemplateName } from './service.js';
import type { Workspace } from './workspace.js';
import { installDownloads, installManifests } from './install-downloads.js';
// A pure decision shared with detect, so the evidence and the rendered ARG never disagree.
import { choosePnpm, pnpmLockfileVersion, type PnpmChoice } from '../../detect/providers/node/pnpm-version.js';

const CA_TARGET = '/run/secrets/ca';

export interface HealthcheckContext {
  /** Exec form, or null: no HEALTHCHECK instruction. */
  cmd: string[] | null;
  interval: string;
  timeout: string;
  startPeriod: string;
  retries: number;
}

export interface DockerfileContext {
  template: TemplateName;
  project: string;
  service: { name: string; port: number | null; uid: number; user: string; role: string };
  /** Mapped image references by role (`build`, `runtime`, `probe`, …). */
  images: Record<string, string>;
  /** `RUN --mount` flag for the optional CA bundle secret (absent → nothing mounted). */
  caMount: string;
  /** Shell prefix that points `vars` at the CA bundle for one RUN step, only when the secret is there. */
  caExport: (...vars: string[]) => string;
  healthcheck: HealthcheckContext;
  start: string[];
  dev: string[];
  /** Production ENV defaults (NAME → value), rendered in order. */
  env: Array<[string, string]>;
  /** User build args declared in the spec: ARG names. */
  buildArgs: string[];
  /** Commands from the spec (null when absent). */
  commands: { install: string | null; build: string | null; test: string | null };
  /** The go/cargo/uv/maven/.NET workspace the build context is the root of, or null. */
  workspace: Workspace | null;
  /** A path inside the service folder, as seen from the build context (the workspace root or the folder itself). */
  inContext: (file: string) => string;
  /** Template-specific values. */
  x: Record<string, unknown>;
}

export function caExport(...vars: string[]): string {
  return `if [ -s ${CA_TARGET} ]; then export ${vars.map((v) => `${v}=${CA_TARGET}`).join(' ')}; fi`;
}

function duration(d: string): string {
  return d;
}

export function dockerfileContext(spec: Spec, m: ServiceModel, rootDir: string, imageMap: ImageMap): DockerfileContext {
  const s = m.spec;
  const template = m.template!;
  const img = (ref: string) => mapImage(ref, imageMap);
  const base: DockerfileContext = {
    template,
    project: spec.name,
    service: { name: m.name, port: m.port, uid: m.uid, user: s.user.name, role: m.role },
    images: {},
    caMount: `--mount=type=secret,id=ca,required=false,target=${CA_TARGET}`,
    caExport,
    healthcheck: {
      cmd: m.healthcheck,
      interval: duration(s.healthcheck.interval),
      timeout: duration(s.healthcheck.timeout),
      startPeriod: duration(s.healthcheck.startPeriod),
      retries: s.healthcheck.retries,
    },
    start: [],
    dev: [],
    env: Object.entries(m.runtimeEnv),
    buildArgs: Object.keys(s.buildArgs).sort(),
    commands: { install: s.commands.install, build: s.commands.build, test: s.commands.test },
    workspace: m.workspace,
    inContext: (file: string) => (m.workspace && m.workspace.member !== '.' ? path.posix.join(m.workspace.member, file) : file),
    x: {},
  };
  const dir = m.dir;
  const start = s.commands.start;
  switch (template) {
    case 'node':
      return nodeContext(base, m, rootDir, img);
    case 'static':
      return staticContext(base, m, rootDir, img);
    case 'bun': {
      const lock = ['bun.lock', 'bun.lockb'].filter((f) => exists(rootDir, join(dir, f)));
      const entry = firstExisting(rootDir, dir, ['src/index.ts', 'index.ts', 'src/index.js', 'index.js', 'server.ts', 'server.js']) ?? 'index.ts';
      base.images = { build: img(IMAGES.bun.ref), runtime: img(IMAGES.bun.ref) };
      base.start = bunForNode(start ? resolveScript(rootDir, dir, start, ['bun', 'run', entry]) : ['bun', 'run', entry]);
      base.dev = hasScript(rootDir, dir, 'dev') ? ['bun', 'run', 'dev'] : ['bun', '--watch', ...base.start.slice(base.start[0] === 'bun' && base.start[1] === 'run' ? 2 : 1)];
      base.env.unshift(['NODE_ENV', 'production']);
      base.x = { manifests: ['package.json', ...lock], frozen: lock.length > 0, installDownloads: installDownloads(rootDir, [join(dir, 'package.json')], join(dir, 'package.json')) };
      return base;
    }
    case 'deno': {
      const manifests = ['deno.json', 'deno.jsonc', 'deno.lock', 'package.json'].filter((f) => exists(rootDir, join(dir, f)));
      // The file the start (or install) command names — a program without deno.json is its own entry — else the conventional ones.
      const named = [s.commands.start, s.commands.install].map((c) => /^deno\s+(?:run|cache|serve)\s+(?:-\S+\s+)*([\w./@-]+\.[cm]?[jt]sx?)\s*$/.exec(c ?? '')?.[1]).find((f) => f !== undefined && exists(rootDir, join(dir, f)));
      const entry = named ?? firstExisting(rootDir, dir, ['main.ts', 'src/main.ts', 'server.ts', 'mod.ts', 'main.js']) ?? 'main.ts';
      base.images = { build: img(IMAGES.deno.ref), runtime: img(IMAGES.deno.ref) };
      base.start = start ? toExec(start) : ['deno', 'run', '--allow-net', '--allow-env', '--allow-read', entry];
      base.dev = base.start[0] === 'deno' && base.start[1] === 'run' ? ['deno', 'run', '--watch', ...base.start.slice(2)] : base.start;
      base.x = { manifests, entry, lock: manifests.includes('deno.lock') };
      return base;
    }
    case 'python':
      return pythonContext(base, m, rootDir, img);
    case 'go': {
      // The package detect chose to build (the serving one of several cmd/*) is the build command's last word.
      const fromBuild = /\s(\.(?:\/[\w./-]*)?)\s*$/.exec(s.commands.build ?? '')?.[1];
      const pkg = fromBuild
        ? fromBuild.replace(/^\.\/?/, '') || '.'
        : exists(rootDir, join(dir, 'main.go'))
          ? '.'
          : (fg.sync('cmd/*/main.go', { cwd: path.join(rootDir, dir) }).sort()[0]?.replace(/\/main\.go$/, '') ?? '.');
      base.images = { build: img(IMAGES.golang(s.runtimeVersion).ref), runtime: img(IMAGES.distrolessStatic.ref) };
      base.start = ['/app'];
      const fromContext = base.inContext(pkg);
      // In a go.work workspace a bare `go mod download` also looks up the members' own (replaced)
      // versions; download exactly the third-party requirements instead.
      const downloads = m.workspace ? goWorkspaceDownloads(rootDir, m.workspace) : [];
      base.dev = ['go', 'run', fromContext === '.' ? '.' : `./${fromContext}`];
      base.x = { noModule: !m.workspace && !exists(rootDir, join(dir, 'go.mod')), goSum: exists(rootDir, join(dir, 'go.sum')), pkg: fromContext === '.' ? '.' : `./${fromContext}`, vendor: !m.workspace && exists(rootDir, join(dir, 'vendor/modules.txt')), downloads };
      return base;
    }
    case 'rust': {
      const cargo = readToml(rootDir, join(dir, 'Cargo.toml'));
      const pkgName = ((cargo?.package as Record<string, unknown> | undefined)?.name as string | undefined) ?? m.name;
      const bins = (cargo?.bin as Array<{ name?: string }> | undefined)?.map((b) => b.name).filter((n): n is string => !!n) ?? [];
      // detect's start command names the binary it chose (`./target/release/<bin>`); else the first [[bin]].
      const fromStart = /target\/release\/([\w-]+)\s*$/.exec(s.commands.start ?? '')?.[1];
      const bin = fromStart ?? bins[0] ?? pkgName;
      base.images = { build: img(IMAGES.rust.ref), runtime: img(IMAGES.distrolessCc.ref), probe: img(IMAGES.golang(null).ref) };
      base.start = ['/app'];
      const ws = m.workspace;
      const stubs = ws ? cargoStubs(rootDir, ws) : [];
      base.dev = ['cargo', 'run', ...(ws ? ['--package', pkgName] : []), '--bin', bin];
      base.x = {
        bin,
        pkg: pkgName,
        lock: ws ? ws.manifests.includes('Cargo.lock') : exists(rootDir, join(dir, 'Cargo.lock')),
        stubs,
        stubFiles: stubs.map((f) => f.path).join(' '),
        memberDirs: ws ? ws.members.join(' ') : '.',
      };
      return base;
    }
    case 'java-maven':
    case 'java-gradle': {
      const spring = s.framework === 'spring-boot';
      const gradle = template === 'java-gradle';
      // A Gradle multi-project member builds from the settings root, as `:<project>:<task>`.
      const multi = gradle && m.workspace?.kind === 'gradle' ? m.workspace : null;
      const buildRoot = multi ? multi.root : dir;
      const wrapper = gradle ? exists(rootDir, join(buildRoot, 'gradlew')) : exists(rootDir, join(dir, 'mvnw'));
      const kts = exists(rootDir, join(dir, 'build.gradle.kts'));
      const manifests = multi
        ? multi.manifests
        : gradle
          ? ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties', 'gradle/libs.versions.toml'].filter((f) => exists(rootDir, join(dir, f)))
          : ['pom.xml'];
      const task = (name: string) => (multi ? `:${multi.member.replace(/\//g, ':')}:${name}` : name);
      base.images = { build: img(gradle ? IMAGES.gradle.ref : IMAGES.maven.ref), runtime: img(IMAGES.jre.ref) };
      base.start = spring ? ['java', 'org.springframework.boot.loader.launch.JarLauncher'] : ['java', '-jar', '/app/app.jar'];
      base.dev = gradle ? ['gradle', task(spring ? 'bootRun' : 'run'), '--no-daemon'] : spring ? ['mvn', '-B', 'spring-boot:run'] : ['mvn', '-B', 'exec:java'];
      base.env.push(['JAVA_TOOL_OPTIONS', '-XX:MaxRAMPercentage=75 -XX:+UseContainerSupport -XX:+ExitOnOutOfMemoryError']);
      if (spring && m.port !== null) base.env.push(['SERVER_PORT', String(m.port)]);
      // A Maven reactor module builds from the reactor root with its siblings (-pl … -am).
      const reactor = !gradle && m.workspace?.kind === 'maven' ? m.workspace : null;
      if (reactor) {
        const pl = `-pl ${reactor.member} -am`;
        base.dev = ['sh', '-c', `mvn -B -q ${pl} install -DskipTests && exec mvn -B -pl ${reactor.member} ${spring ? 'spring-boot:run' : 'exec:java'}`];
      }
      base.x = {
        spring,
        wrapper,
        kts,
        manifests: reactor ? reactor.manifests : manifests,
        reactor: reactor ? { member: reactor.member } : null,
        tasks: { dependencies: task('dependencies'), jar: task(spring ? 'bootJar' : 'jar') },
        libs: multi && multi.member !== '.' ? `${multi.member}/build/libs` : 'build/libs',
        gradleWrapperDir: gradle && wrapper && exists(rootDir, join(buildRoot, 'gradle/wrapper')),
      };
      return base;
    }
    case 'ruby': {
      const lock = readText(rootDir, join(dir, 'Gemfile.lock')) ?? '';
      const rails = s.framework === 'rails';
      const pg = /^\s{4}pg \(/m.test(lock);
      const mysql = /^\s{4}mysql2 \(/m.test(lock);
      base.images = { build: img(IMAGES.ruby.ref), runtime: img(IMAGES.ruby.ref) };
      base.start = start ? toExec(start) : rails ? ['bin/rails', 'server', '-b', '0.0.0.0'] : ['bundle', 'exec', 'rackup', '-o', '0.0.0.0', '-p', String(m.port ?? 8080)];
      base.dev = rails ? ['bin/rails', 'server', '-b', '0.0.0.0'] : base.start;
      base.env.push(['RAILS_ENV', 'production'], ['RACK_ENV', 'production'], ['RAILS_LOG_TO_STDOUT', '1'], ['RAILS_SERVE_STATIC_FILES', '1']);
      base.x = {
        lock: lock !== '',
        rails,
        buildPackages: ['build-essential', 'git', ...(pg ? ['libpq-dev'] : []), ...(mysql ? ['default-libmysqlclient-dev'] : [])],
        runtimePackages: [...(pg ? ['libpq5'] : []), ...(mysql ? ['libmariadb3'] : [])],
      };
      return base;
    }
    case 'php': {
      const laravel = s.framework === 'laravel';
      const symfony = s.framework === 'symfony';
      const kinds = new Set(s.dependsOn.map((d) => spec.backingServices[d]?.kind).filter(Boolean));
      const extensions = [
        ...(kinds.has('postgres') ? ['pdo_pgsql'] : []),
        ...(kinds.has('mysql') || kinds.has('mariadb') ? ['pdo_mysql'] : []),
        'opcache',
      ];
      base.images = { build: img(IMAGES.composer.ref), runtime: img(IMAGES.php.ref) };
      base.start = ['apache2-foreground'];
      base.dev = ['apache2-foreground'];
      base.service.uid = 33;
      base.service.user = 'www-data';
      base.x = {
        lock: exists(rootDir, join(dir, 'composer.lock')),
        composer: exists(rootDir, join(dir, 'composer.json')),
        docroot: laravel || symfony ? '/var/www/html/public' : '/var/www/html',
        extensions,
        aptPackages: [...(kinds.has('postgres') ? ['libpq-dev'] : [])],
        runtimeLibs: [...(kinds.has('postgres') ? ['libpq5'] : [])],
      };
      return base;
    }
    case 'dotnet': {
      const csproj = fg.sync(['*.csproj', '*.fsproj'], { cwd: path.join(rootDir, dir) }).sort()[0] ?? `${m.name}.csproj`;
      const assembly = csproj.replace(/\.(cs|fs)proj$/, '');
      base.images = { build: img(IMAGES.dotnetSdk.ref), runtime: img(IMAGES.dotnetAspnet.ref) };
      base.start = ['dotnet', `${assembly}.dll`];
      base.dev = ['dotnet', 'watch', 'run', '--no-launch-profile'];
      base.env = base.env.filter(([k]) => k !== 'PORT');
      if (m.port !== null) base.env.push(['ASPNETCORE_HTTP_PORTS', String(m.port)]);
      base.env.push(['DOTNET_EnableDiagnostics', '0']);
      // In a solution, restore and publish the project from the solution root, with the projects it references.
      const sln = m.workspace?.kind === 'dotnet' ? m.workspace : null;
      if (sln) base.dev = ['dotnet', 'watch', '--project', base.inContext(csproj), 'run', '--no-launch-profile'];
      base.x = {
        csproj: base.inContext(csproj),
        assembly,
        solution: sln !== null,
        manifests: sln ? sln.manifests : [csproj, ...['Directory.Build.props', 'Directory.Packages.props', 'NuGet.config', 'nuget.config', 'global.json'].filter((f) => exists(rootDir, join(dir, f)))],
      };
      return base;
    }
    case 'elixir': {
      const mix = readText(rootDir, join(dir, 'mix.exs')) ?? '';
      const app = /app:\s*:([a-z_][a-z0-9_]*)/.exec(mix)?.[1] ?? m.name.replace(/-/g, '_');
      const configs = ['config/config.exs', 'config/prod.exs'].filter((f) => exists(rootDir, join(dir, f)));
      base.images = { build: img(IMAGES.elixir.ref), runtime: img(IMAGES.debian.ref) };
      base.start = [`/app/bin/${app}`, 'start'];
      base.dev = ['mix', s.framework === 'phoenix' ? 'phx.server' : 'run', ...(s.framework === 'phoenix' ? [] : ['--no-halt'])];
      base.env.push(['MIX_ENV', 'prod'], ['LANG', 'C.UTF-8']);
      if (s.framework === 'phoenix') base.env.push(['PHX_SERVER', 'true']);
      base.x = {
        app,
        lock: exists(rootDir, join(dir, 'mix.lock')),
        configs,
        runtimeConfig: exists(rootDir, join(dir, 'config/runtime.exs')),
        dirs: ['priv', 'lib', 'assets', 'rel'].filter((d) => exists(rootDir, join(dir, d))),
        assets: exists(rootDir, join(dir, 'assets')) && s.framework === 'phoenix',
      };
      return base;
    }
    case 'generic': {
      base.images = { build: img(IMAGES.debian.ref), runtime: img(IMAGES.debian.ref) };
      base.start = start ? toExec(start) : ['sh', '-c', 'echo "set services.' + m.name + '.commands.start in stackgen.yaml" >&2; exit 1'];
      base.dev = base.start;
      base.x = { language: s.language };
      return base;
    }
  }
}

/**
 * Placeholder targets for every workspace member, so the dependency layer can compile all
 * third-party crates from the manifests alone: each target file the member really has (lib, main,
 * src/bin/*, explicit [[bin]]/[lib] paths, build.rs) as an empty lib or `fn main() {}`.
 */
function cargoStubs(rootDir: string, ws: Workspace): Array<{ path: string; dir: string; main: boolean }> {
  const out = new Map<string, boolean>();
  for (const mem of ws.members) {
    const dir = join(ws.root, mem);
    const at = (f: string) => (mem === '.' ? f : `${mem}/${f}`);
    const cargo = readToml(rootDir, join(dir, 'Cargo.toml'));
    const libPath = ((cargo?.lib as { path?: string } | undefined)?.path ?? 'src/lib.rs').replace(/^\.\//, '');
    if (exists(rootDir, join(dir, libPath)) || cargo?.lib) out.set(at(libPath), false);
    for (const f of fg.sync(['src/main.rs', 'src/bin/*.rs', 'src/bin/*/main.rs', 'build.rs'], { cwd: path.join(rootDir, dir) })) out.set(at(f), true);
    for (const b of (cargo?.bin as Array<{ path?: string }> | undefined) ?? []) if (b.path) out.set(at(b.path.replace(/^\.\//, '')), true);
  }
  return [...out].map(([p, main]) => ({ path: p, dir: path.posix.dirname(p), main })).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `module@version` of every requirement of every workspace module that is not itself a member. */
function goWorkspaceDownloads(rootDir: string, ws: Workspace): string[] {
  const mods = ws.members.map((m) => readText(rootDir, join(join(ws.root, m), 'go.mod')) ?? '');
  const own = new Set(mods.map((t) => /^\s*module\s+(\S+)/m.exec(t)?.[1]).filter(Boolean));
  const out = new Set<string>();
  for (const text of mods) {
    const lines = [...text.matchAll(/^\s*require\s*\(([^)]*)\)/gm)].flatMap((b) => b[1]!.split('\n'));
    lines.push(...[...text.matchAll(/^\s*require\s+([^(\s].*)$/gm)].map((r) => r[1]!));
    for (const line of lines) {
      const r = /^\s*(\S+)\s+(v\S+)/.exec(line.replace(/\/\/.*$/, ''));
      if (r && !own.has(r[1]!)) out.add(`${r[1]}@${r[2]}`);
    }
  }
  return [...out].sort();
}

/** Shell that points corepack at npm's configured registry (trailing slash dropped: corepack appends paths). */
const COREPACK_FROM_NPM = 'export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-$(npm config get registry | sed \'s:/*$::\')}"';

function nodeContext(base: DockerfileContext, m: ServiceModel, rootDir: string, img: (r: string) => string): DockerfileContext {
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
    const found = fg.sync(globs.map((g) => `${g.replace(/\/+$/, '')}/package.json`), { cwd: path.join(rootDir, ws), ignore: ['**/node_modules/**'] });
    memberManifests.push(...found.sort());
  }
  // Yarn berry's checked-in release (`.yarnrc.yml` yarnPath): the install runs it, so it is copied with the manifests.
  const yarnPath = pm === 'yarn-berry' ? /^yarnPath:\s*["']?([^"'\s#]+)/m.exec(readText(rootDir, join(pkgDir, '.yarnrc.yml')) ?? '')?.[1] : undefined;
  // Repository text that becomes a COPY source: a plain relative path of safe characters, inside the repository, that exists.
  const berryRelease = yarnPath && /^[A-Za-z0-9._@+/-]+$/.test(yarnPath) && !yarnPath.startsWith('/') && !yarnPath.split('/').includes('..') && exists(rootDir, join(pkgDir, yarnPath)) ? path.posix.normalize(yarnPath) : null;
  const hasLock = lockfiles.some((f) => ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'].includes(f));
  const wsFlag = ws === null ? '' : ` --workspace=${serviceRel}`;
  // pnpm selects a folder *with its dependencies* only as `{dir}...`: `./dir...` is a path glob that
  // selects the folder alone, so a workspace library the app compiles (its tsconfig `extends`, its own
  // dependencies) would be linked but not installed.
  const pnpmFilter = ws === null ? '' : ` --filter={./${serviceRel}}...`;
  const install = {
    npm: {
      prod: `${hasLock ? 'npm ci' : 'npm install'} --omit=dev${wsFlag}`,
      all: `${hasLock ? 'npm ci' : 'npm install'}${wsFlag}`,
      cache: '/root/.npm',
      setup: null as string | null,
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
  base.images = { build: img(IMAGES.node(s.runtimeVersion).ref), runtime: img(IMAGES.node(s.runtimeVersion).ref) };
  base.start = start;
  base.dev = dev;
  base.env.unshift(['NODE_ENV', 'production']);
  base.x = {
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
    build: s.commands.build ? `${svelteAuto ? 'GCP_BUILDPACKS=1 ' : ''}${toShell(s.commands.build)}` : null,
  };
  return base;
}

function staticContext(base: DockerfileContext, m: ServiceModel, rootDir: string, img: (r: string) => string): DockerfileContext {
  const s = m.spec;
  const build = s.commands.build;
  base.images = { runtime: img(IMAGES.staticServer.ref) };
  base.start = [];
  base.dev = [];
  base.env = [];
  let node: DockerfileContext | null = null;
  if (build !== null) {
    node = nodeContext({ ...base, env: [], x: {} }, m, rootDir, img);
    base.images.build = node.images.build!;
    // Vite-based dev servers listen on localhost:5173 unless told otherwise.
    const pm = node.x.pm as NodePm;
    const viteLike = s.framework === 'vite' || s.framework === 'astro' || s.framework === 'sveltekit';
    const args = viteLike ? ['--host', '0.0.0.0', '--port', String(m.port ?? 8080)] : [];
    base.dev = hasScript(rootDir, m.dir, 'dev') ? [runner(pm), 'run', 'dev', ...(pm === 'npm' && args.length ? ['--'] : []), ...args] : [];
  }
  const staticDir = (s.staticDir ?? (build ? 'dist' : '.')).replace(/\/+$/, '') || '.';
  base.x = { ...(node?.x ?? {}), build: build ? toShell(build) : null, staticDir };
  if (node && s.packageManager === 'bun') {
    // A Bun project's static build: Bun's image installs from its lockfile and runs the build
    // (`bun run` puts a `node` shim on PATH for tools such as vite); npm would ignore bun.lock.
    const lock = ['bun.lock', 'bun.lockb'].filter((f) => exists(rootDir, join(m.dir, f)));
    base.images.build = img(IMAGES.bun.ref);
    base.x = {
      ...base.x,
      pm: 'bun',
      manifests: ['package.json', ...lock],
      memberManifests: [],
      toolFiles: [],
      workspace: false,
      pnpmVersion: null,
      install: { all: `bun install${lock.length ? ' --frozen-lockfile' : ''}`, prod: `bun install${lock.length ? ' --frozen-lockfile' : ''} --production`, cache: '/root/.bun/install/cache', setup: null },
    };
    if (base.dev.length) base.dev = ['bun', ...base.dev.slice(1).filter((a) => a !== '--')];
  }
  return base;
}

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

type NodePm = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry';

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

function runner(pm: NodePm): string {
  return pm === 'yarn-berry' ? 'yarn' : pm;
}

/**
 * The Bun image has no `node`. A start command that names it (`node dist/index.js`, often what a
 * `start` script says) runs with bun instead, which implements Node's CLI and APIs for most scripts;
 * shipping a Node image as well would double the runtime for a project that chose Bun. (`bun run`
 * already puts a `node` shim on PATH for package scripts, so only a direct command needs this.)
 */
function bunForNode(cmd: string[]): string[] {
  return cmd[0] === 'node' ? ['bun', ...cmd.slice(1)] : cmd;
}

function hasScript(rootDir: string, dir: string, name: string): boolean {
  const scripts = readJson(rootDir, join(dir, 'package.json'))?.scripts as Record<string, unknown> | undefined;
  return typeof scripts?.[name] === 'string';
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

function toShell(cmd: string): string {
  return cmd.trim();
}

function firstExisting(rootDir: string, dir: string, files: string[]): string | undefined {
  return files.find((f) => exists(rootDir, join(dir, f)));
}

function pythonContext(base: DockerfileContext, m: ServiceModel, rootDir: string, img: (r: string) => string): DockerfileContext {
  const s = m.spec;
  const dir = m.dir;
  const has = (f: string) => exists(rootDir, join(dir, f));
  let pm: 'pip' | 'poetry' | 'uv' | 'pipenv' | 'pdm' = 'pip';
  if (s.packageManager === 'poetry' || has('poetry.lock')) pm = 'poetry';
  else if (s.packageManager === 'uv' || has('uv.lock')) pm = 'uv';
  else if (s.packageManager === 'pipenv' || has('Pipfile')) pm = 'pipenv';
  else if (s.packageManager === 'pdm' || has('pdm.lock')) pm = 'pdm';
  const manifests: Record<typeof pm, string[]> = {
    pip: has('requirements.txt') ? ['requirements.txt'] : has('pyproject.toml') ? ['pyproject.toml'] : [],
    poetry: ['pyproject.toml', ...(has('poetry.lock') ? ['poetry.lock'] : [])],
    uv: ['pyproject.toml', ...(has('uv.lock') ? ['uv.lock'] : [])],
    pipenv: ['Pipfile', ...(has('Pipfile.lock') ? ['Pipfile.lock'] : [])],
    pdm: ['pyproject.toml', ...(has('pdm.lock') ? ['pdm.lock'] : [])],
  };
  const devRequirements = ['requirements-dev.txt', 'requirements/dev.txt', 'dev-requirements.txt'].find(has) ?? null;
  const port = m.port ?? 8000;
  const entry = ['main.py', 'app.py', 'server.py', 'manage.py'].find(has) ?? 'main.py';
  const module = entry.replace(/\.py$/, '');
  let start: string[];
  if (s.commands.start) start = toExec(s.commands.start);
  else if (s.framework === 'fastapi' || s.framework === 'starlette') start = ['uvicorn', `${module}:app`, '--host', '0.0.0.0', '--port', String(port)];
  else if (s.framework === 'flask') start = ['gunicorn', '--bind', `0.0.0.0:${port}`, `${module}:app`];
  else if (s.framework === 'django') start = ['python', 'manage.py', 'runserver', `0.0.0.0:${port}`, '--noreload'];
  else start = ['python', entry];
  let dev = start;
  if (start[0] === 'uvicorn') dev = [...start.filter((w) => w !== '--workers'), '--reload'];
  else if (start[0] === 'gunicorn') dev = [...start, '--reload'];
  else if (s.framework === 'django') dev = ['python', 'manage.py', 'runserver', `0.0.0.0:${port}`];
  base.images = { build: img(IMAGES.python(s.runtimeVersion).ref), runtime: img(IMAGES.python(s.runtimeVersion).ref) };
  base.start = start;
  base.dev = dev;
  base.env.push(['WEB_CONCURRENCY', '2']);
  // A uv workspace member: the root's lockfile and every member's pyproject.toml; members install from source after the copy.
  const ws = m.workspace?.kind === 'uv' ? m.workspace : null;
  const uvPackage = ws ? ((readToml(rootDir, join(dir, 'pyproject.toml'))?.project as { name?: string } | undefined)?.name ?? m.name) : null;
  base.x = {
    pm: ws ? 'uv' : pm,
    manifests: ws ? ws.manifests : manifests[pm],
    frozen: ws ? ws.manifests.includes('uv.lock') : manifests[pm].length > 1,
    uvPackage,
    workdir: m.workdir,
    devRequirements: ws ? null : devRequirements,
    pyprojectOnly: !ws && pm === 'pip' && manifests.pip[0] === 'pyproject.toml',
  };
  return base;
}
