/**
 * Node.js and Bun projects: every package.json outside dependency, test and example folders.
 * A package is `web` when it runs a server (an SSR meta framework, a server framework, or a start
 * command / entry file that listens), `static` when its build is a static site (SPA, static
 * export), `worker` when it starts a queue consumer without listening, and `library` otherwise.
 * A workspace root is `workspace` unless it is an app itself; members inherit its package manager,
 * lockfile and runtime pin. Deno projects (deno.json) belong to deno.ts.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { scanEnvFiles } from '../env-files.js';
import { candidate, inDir, type Candidate, type Fact, type Provider, type Role } from '../provider.js';
import type { Framework, Language, PackageManager } from '../types.js';
import { clip, findInFiles } from './others-util.js';
import { backingOf, metricsDependency, proxyLinks } from './node/data.js';
import { DEFAULT_PORTS, FRAMEWORKS, USAGE, WEAK_DEFAULT, frameworkEntries, frameworkStart, noServer, staticOutput, type FrameworkDef, type StaticOutput } from './node/frameworks.js';
import { allDeps, keyLine, runtimeDeps, scriptsOf, str, type PackageJson, type Pkg } from './node/package-json.js';
import { execBin, installCommand, packageManagerOf, runScript, type PmInfo } from './node/package-manager.js';
import { SERVER_CALL, defaultExportServes, ownedBy, WORKER_USAGE, entryFiles, healthPath, ownSources, scriptPort, sourcePort } from './node/source-scan.js';
import { bunVersionOf, nodeVersionOf } from './node/versions.js';
import { nxNodeApp } from './node/nx-project.js';
import { findWorkspaces, type WorkspaceRoot } from './node/workspaces.js';

export { normalizeNodeVersion } from './node/versions.js';

/** Start scripts that run a development server: not what a production container runs. */
const DEV_START = /^\s*(?:cross-env\s+(?:\w+=\S+\s+)+)?(?:nodemon|ts-node-dev|tsx\s+watch|node\s+--watch|vite(?:\s|$)|next\s+dev|nuxi?\s+dev|react-scripts\s+start|craco\s+start|ng\s+serve|astro\s+dev|remix\s+dev|react-router\s+dev|webpack(?:-dev-server|\s+serve)|vue-cli-service\s+serve|docusaurus\s+start|parcel(?:\s|$)|gatsby\s+develop|vite-node\s+--watch|vinxi\s+dev|nx\s+(?:serve|dev)\b|nest\s+start\s+--watch|bun\s+--(?:hot|watch))/;
/** Start scripts that work but have a better production sibling (`start:prod`). */
const PREFER_PROD = /^\s*(?:nest\s+start|ts-node\b|tsx\b)/;
const QUEUE_DEPS = /^(bullmq|bull|bee-queue|kafkajs|amqplib|amqp-connection-manager|agenda|node-cron|cron|@temporalio\/worker|graphile-worker|pg-boss|sqs-consumer|@google-cloud\/pubsub|node-schedule)$/;
/** Builders of plain static sites with no framework id of their own. */
const STATIC_BUILDERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^@vue\/cli-service$/, 'dist'],
  [/^gatsby$/, 'public'],
  [/^preact-cli$/, 'build'],
  [/^@11ty\/eleventy$/, '_site'],
  [/^parcel(-bundler)?$/, 'dist'],
  [/^html-webpack-plugin$/, 'dist'],
  [/^@docusaurus\/core$/, 'build'],
];
/** Start commands of desktop and mobile tooling: nothing a server container runs. */
const NOT_A_SERVER = /^\s*(?:electron|electron-forge|react-native\s+start|tauri|cap\s+run|ionic\s+serve)\b/;

/** npm-run-all's commands (`run-p`, `run-s`, `npm-run-all`): they run scripts of the same package. */
const RUN_ALL = /^\s*(?:run-p|run-s|npm-run-all2?)\s+(.*)$/;

/**
 * A script that runs other packages' scripts (turbo, nx, `npm -w`, `cd server && …`) rather than an
 * app of its own. npm-run-all runs this package's own scripts (`run-p type-check "build-only {@}"`,
 * as create-vue writes it): it delegates only when one of the scripts it names does.
 */
function delegates(source: SourceView, dir: string, cmd: string, scripts: Record<string, string> = {}, seen = new Set<string>()): boolean {
  if (runsOwnNxTarget(source, dir, cmd)) return false;
  const runAll = RUN_ALL.exec(cmd);
  if (runAll) {
    // Script names and globs (`build:*` one level, `build:**` any); options and npm-run-all's argument placeholders ({@}, {1}) are not.
    const names = [...runAll[1]!.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)]
      .map((m) => (m[1] ?? m[2] ?? m[3]!).trim().split(/\s+/)[0]!)
      .filter((n) => n && !n.startsWith('-') && !/^\{/.test(n));
    const matches = (glob: string) => (name: string) => new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^:]*'))}$`).test(name);
    return names.some((n) =>
      Object.keys(scripts).filter(matches(n)).some((k) => {
        if (seen.has(k)) return false;
        seen.add(k);
        return delegates(source, dir, scripts[k]!, scripts, seen);
      }),
    );
  }
  // A tool as a command word, not a flag that happens to share its name (`next build --turbo` is Turbopack).
  if (/(?<![-\w./])(turbo|nx|lerna|concurrently|npm-run-all2?|run-p|run-s|wireit|ultra)\b/.test(cmd)) return true;
  if (/(?<![-\w./])(pnpm|yarn|npm|bun)\b[^&|;]*(?:\s-r\b|--recursive|--filter\b|\s-F\s|--workspaces?\b|\s-w\s|\bworkspaces?\s|--prefix[\s=]|--cwd[\s=]|-C\s)/.test(cmd)) return true;
  const cd = /\bcd\s+([\w./-]+)\s*&&/.exec(cmd);
  return Boolean(cd?.[1] && source.has(inDir(dir, `${cd[1].replace(/\/$/, '')}/package.json`)));
}

/**
 * `nx build` (or `nx run app:build`) in an Nx standalone workspace runs a target of the package's own
 * project (project.json beside package.json, as create-nx-workspace's `*-standalone` presets write
 * it), not other packages' scripts. `run-many`, `affected` and `--projects` still delegate.
 */
function runsOwnNxTarget(source: SourceView, dir: string, cmd: string): boolean {
  if (!source.has(inDir(dir, 'project.json'))) return false;
  return /^\s*nx\s+(?!run-many\b|affected\b|graph\b|g\b|generate\b)(?:run\s+)?[\w:-]+(?:\s+--?[\w-]+(?:=\S+)?)*\s*$/.test(cmd) && !/--projects?\b|\s-p\s/.test(cmd);
}

/** First source line importing/using a module: type-only imports do not count. */
function findUsage(source: SourceView, files: string[], re: RegExp): { file: string; line: number; text: string } | undefined {
  const hit = findInFiles(source, files, [new RegExp(`^(?!\\s*import\\s+type\\b).*${re.source}`)], 150);
  return hit ? { file: hit.file, line: hit.line, text: hit.text } : undefined;
}

interface Context {
  /** The workspace this package is a member of. */
  member?: WorkspaceRoot;
  /** The workspace this package is the root of. */
  root?: WorkspaceRoot;
  /** Every other project folder, so a package never reads its nested packages' sources. */
  others: string[];
}

/** How a script runs an SPA build tool's production build. */
const SPA_BUILD: Partial<Record<Framework, RegExp>> = {
  vite: /(?<![-\w./])vite\s+build\b/,
  'create-react-app': /(?<![-\w./])react-scripts\s+build\b/,
};

function describePackage(source: SourceView, pkg: Pkg, ctx: Context): Candidate {
  const { json, dir, file } = pkg;
  const name = str(json.name);
  const scripts = scriptsOf(json);
  const deps = runtimeDeps(json);
  const every = allDeps(json);
  const facts: Fact[] = [{ file, signal: 'package.json', kind: 'manifest' }];
  const pm = packageManagerOf(source, pkg, ctx.member?.pkg);
  facts.push(...pm.facts);
  if (ctx.root) facts.push(...ctx.root.facts);

  // The start command a container should run: a production start script, never a dev server or a delegation.
  const usable = (s: string | undefined) => (s !== undefined && !DEV_START.test(s) && !delegates(source, dir, s, scripts) ? s : undefined);
  // `serve` counts only when it runs node (Qwik City's adapters): elsewhere it is often a preview
  // server of a static build (`docusaurus serve`, `vite preview`).
  const prodKey = ['start:prod', 'start:production', 'serve:prod', 'prod', 'production', 'start:server', 'serve'].find((k) => usable(scripts[k]) && (k !== 'serve' || /^\s*node\s/.test(scripts[k]!)));
  let startKey: string | undefined;
  if (usable(scripts.start) && !((PREFER_PROD.test(scripts.start!) || loadsTypeScript(source, dir, scripts.start!)) && prodKey)) startKey = 'start';
  else if (prodKey) startKey = prodKey;
  const startScript = startKey ? scripts[startKey] : undefined;
  // `npm run serve` inside start: read the script it runs for entry files and ports.
  const inner = startScript ? /^(?:npm|pnpm|yarn|bun)(?:\s+run)?\s+([\w:.-]+)\s*$/.exec(startScript)?.[1] : undefined;
  const main = str(json.main) ?? str(json.module);
  // No production script: an Nx project's build target names the entry it builds (`nx serve` runs it in dev).
  const nx = startScript ? undefined : nxNodeApp(source, dir);
  const entries = entryFiles(source, dir, [startScript, inner ? scripts[inner] : undefined, scripts.dev, scripts.serve], main).filter(ownedBy(dir, ctx.others));
  if (nx && source.has(nx.main) && !entries.includes(nx.main)) entries.push(nx.main);
  const files = ownSources(source, dir, ctx.others, entries);

  // Frameworks: meta framework > server framework seen in source > SPA build tool > server framework only declared.
  const declared = FRAMEWORKS.filter((f) => Object.keys(every).some((d) => f.deps.test(d)));
  // A workspace member whose scripts run a build tool the root declares (hoisted devDependencies:
  // excalidraw-app runs `vite build`, vite is in the root package.json) is that tool's project too.
  const rootDeps = ctx.member ? allDeps(ctx.member.pkg.json) : {};
  const hoisted = FRAMEWORKS.filter((f) => f.kind === 'spa' && !declared.includes(f) && Object.keys(rootDeps).some((d) => f.deps.test(d)) && Object.values(scripts).some((v) => SPA_BUILD[f.id]?.test(v)));
  declared.push(...hoisted);
  const used = new Map<Framework, Fact>();
  for (const f of declared) {
    const re = USAGE[f.id];
    const hit = re && findUsage(source, files, re);
    if (hit) used.set(f.id, { file: hit.file, line: hit.line, signal: `${f.id} used: \`${clip(hit.text)}\``, kind: 'usage' });
  }
  const framework: FrameworkDef | undefined =
    declared.find((f) => f.kind === 'meta') ??
    declared.find((f) => f.kind === 'server' && used.has(f.id)) ??
    declared.find((f) => f.kind === 'spa' && (f.id !== 'vite' || hasViteApp(source, dir))) ??
    declared.find((f) => f.kind === 'server');
  if (framework) {
    if (hoisted.includes(framework) && ctx.member) {
      const dep = Object.keys(rootDeps).find((d) => framework.deps.test(d))!;
      facts.push({ file: ctx.member.pkg.file, ...keyLine(source, ctx.member.pkg.file, dep), signal: `dependency \`${dep}\` of the workspace root, run by this package's scripts`, kind: 'framework' });
    } else {
      const dep = Object.keys(every).find((d) => framework.deps.test(d))!;
      facts.push({ file, ...keyLine(source, file, dep), signal: `dependency \`${dep}\`${used.has(framework.id) ? '' : framework.kind === 'server' ? ' (declared; no import seen)' : ''}`, kind: 'framework' });
    }
    const u = used.get(framework.id);
    if (u) facts.push(u);
  }
  const usedServer = [...used.keys()].length > 0;
  // A server built from a source file of another name (Qwik City's src/entry.node-server.tsx).
  for (const f of frameworkEntries(source, dir, framework?.id, startScript)) if (!entries.includes(f)) entries.push(f);

  // Runtime: Bun when the app runs on bun, not merely installs with it.
  const bunFacts = bunRuntime(source, pkg, scripts, every, files, pm, framework);
  const language: Language = bunFacts.length > 0 ? 'bun' : 'node';
  facts.push(...bunFacts);
  const runner = language === 'bun' ? 'bun' : 'node';

  // Static output: a framework configured for it, or a plain static-site builder.
  let staticOut: StaticOutput | undefined = framework ? staticOutput(source, dir, framework.id, every, scripts) : undefined;
  if (framework?.kind === 'server' && used.has(framework.id)) staticOut = undefined;
  if (!framework && !startScript) {
    const builder = STATIC_BUILDERS.find(([re]) => Object.keys(every).some((d) => re.test(d)));
    if (builder && scripts.build && !delegates(source, dir, scripts.build, scripts)) {
      staticOut = { dir: builder[1], fact: { file, ...keyLine(source, file, Object.keys(every).find((d) => builder[0].test(d))!), signal: `static site builder: output in ${builder[1]}`, kind: 'framework' } };
    }
  }
  // A build that writes outside the package (Vite's `build.outDir: "../backend/app/frontend"`) feeds
  // another service, which serves the files: this package is no site of its own.
  const feedsOther = staticOut && leavesFolder(staticOut.dir) ? staticOut : undefined;
  if (feedsOther) {
    source.warn(feedsOther.fact.file, buildsElsewhere(name ?? dir, dir, feedsOther.dir), feedsOther.fact.line);
    staticOut = undefined;
  }
  // A build that only builds other packages (`npm run build --prefix client`) is theirs, not this package's.
  // Without a build script, the chosen start's `pre` script (`prestart:prod: tsc`) is the build npm runs before it.
  const preStart = startKey && startKey !== 'start' && scripts[`pre${startKey}`] && !delegates(source, dir, scripts[`pre${startKey}`]!, scripts) ? `pre${startKey}` : undefined;
  const buildScript = staticOut?.buildScript ?? (scripts.build && !delegates(source, dir, scripts.build, scripts) ? 'build' : preStart);

  // Start command.
  let start: string | null = null;
  if (startScript) {
    start = startScript;
    facts.push({ file, ...keyLine(source, file, startKey!), signal: `${startKey} script \`${clip(startScript, 60)}\``, kind: 'start' });
  } else if (nx && framework?.kind !== 'spa' && framework?.kind !== 'meta') {
    start = `${runner} ${nx.entry}`;
    facts.push(nx.fact);
  } else if (framework && framework.kind !== 'spa') {
    start = frameworkStart(source, dir, framework.id, every, scripts);
  }
  if (start === null && !ctx.root && framework?.kind !== 'spa' && framework?.kind !== 'meta') {
    // Bun also serves an entry's default-exported app (`export default app`, create-hono's Bun template).
    const serves = (text: string) => SERVER_CALL.test(text) || (language === 'bun' && defaultExportServes(text));
    const server = entries.find((f) => serves(source.readText(f) ?? ''));
    // No script and no server: the package's own program (`main` or `bin` that runs rather than exports).
    const program = server ? undefined : programEntry(source, dir, json, entries);
    const entry = server ?? program?.file;
    if (program) facts.push(program.fact);
    if (entry) {
      const rel = dir === '.' ? entry : entry.slice(dir.length + 1);
      // `main` pointing into build output (dist/index.js built from src/index.ts) is what runs.
      const target = main && !source.has(inDir(dir, main)) && /\.[cm]?js$/.test(main) ? main.replace(/^\.\//, '') : rel;
      if (language === 'node' && /\.[cm]?tsx?$/.test(target)) {
        // TypeScript without a build to run: tsx runs it as is.
        start = `npx tsx ${target}`;
      } else start = `${runner} ${target}`;
      if (server) facts.push({ file: entry, signal: `entry point ${rel} starts a server`, kind: 'entrypoint' });
    }
  }

  const serverCall = findInFiles(source, files, [SERVER_CALL], 150);
  const worker = Object.keys(deps).some((d) => QUEUE_DEPS.test(d)) && findInFiles(source, files, [WORKER_USAGE], 150);

  let role: Role;
  if (staticOut && (buildScript || staticOut.buildCommand)) role = 'static';
  else if (framework?.kind === 'meta' && !staticOut) {
    // A meta-framework with no production server to start is not a service; say why when that is known.
    role = start === null ? 'library' : 'web';
    const why = start === null ? noServer(source, dir, framework.id, every) : undefined;
    if (why) source.warn(why.file, `${name ?? (dir === '.' ? path.posix.basename(source.root) : dir)}: ${why.message}`, why.line);
  }
  else if (start !== null && NOT_A_SERVER.test(start)) role = 'library';
  else if (start !== null) {
    // Something started that never listens (a queue consumer, a bot, a scheduler) is a worker.
    const listens = serverCall || usedServer || scriptPort(start) !== undefined || framework?.kind === 'server';
    if (listens && !(worker && !serverCall && !usedServer)) role = 'web';
    else {
      // Not listening: a worker when something keeps it running (a consumer, a bot, a timer), else a job.
      const keeps = worker || findInFiles(source, files, [KEEPS_RUNNING], 150);
      // A queue or scheduler library (amqplib, kafkajs, bullmq, node-cron, …) consumes until stopped.
      const queueDep = keeps ? undefined : Object.keys(deps).find((d) => QUEUE_DEPS.test(d));
      role = keeps || queueDep ? 'worker' : 'job';
      if (keeps && !worker) facts.push({ file: keeps.file, line: keeps.line, signal: `\`${clip(keeps.text)}\` keeps it running: a worker`, kind: 'usage' });
      if (queueDep) facts.push({ file, ...keyLine(source, file, queueDep), signal: `dependency \`${queueDep}\`: a queue consumer keeps running, a worker`, kind: 'usage' });
      if (!keeps && !queueDep) facts.push({ file, signal: 'no listener, no consumer, no timer: a job that runs to completion', kind: 'heuristic' });
    }
  } else role = 'library';
  if (feedsOther) role = 'library';
  if (ctx.root && role !== 'web' && !(role === 'static' && !delegates(source, dir, scripts[buildScript ?? 'build'] ?? '', scripts))) role = 'workspace';
  if (worker && role === 'worker') facts.push({ file: worker.file, line: worker.line, signal: `queue consumer \`${clip(worker.text)}\` (no server)`, kind: 'usage' });

  let packageManager: PackageManager = pm.pm;
  if (language === 'bun' && pm.pm !== 'bun' && !pm.lockfile) packageManager = 'bun';
  const c = candidate({ path: dir, language, role, packageManager, facts });
  if (name) c.name = name;
  // An Nx standalone workspace's package is `@<workspace>/source`; the app is the project it builds.
  if (nx?.name && start !== null && start.endsWith(nx.entry)) c.name = nx.name;
  c.framework = framework && !(framework.id === 'vite' && role !== 'static') ? framework.id : null;

  const rv = language === 'bun' ? bunVersionOf(source, pkg, ctx.member?.pkg) : nodeVersionOf(source, pkg, ctx.member?.pkg);
  if (rv) {
    c.runtimeVersion = rv.version;
    if (!facts.some((f) => f.signal === rv.fact.signal)) facts.push(rv.fact);
  }

  const memberInfo = ctx.member && name ? { name, turbo: ctx.member.turbo } : undefined;
  const pmForCommands: PmInfo = packageManager === pm.pm ? pm : { ...pm, pm: 'bun' };
  c.commands = {
    install: installCommand(pmForCommands),
    build: buildScript ? runScript(pmForCommands, buildScript, memberInfo) : role === 'static' && staticOut?.buildCommand ? execBin(pmForCommands, staticOut.buildCommand) : nx && start !== null ? execBin(pmForCommands, 'nx build') : null,
    start: role === 'static' || role === 'library' || role === 'workspace' ? null : start,
  };
  if (role === 'static' && staticOut) {
    c.staticDir = staticOut.dir;
    facts.push(staticOut.fact);
  }

  if (role === 'web') {
    const meta = framework?.kind === 'meta';
    const fromScript = scriptPort(start) ?? scriptPort(scripts.start);
    // Meta frameworks route by files; only a custom server named by the start command states a port.
    const found = fromScript === undefined ? sourcePort(source, meta ? entries.filter((f) => SERVER_CALL.test(source.readText(f) ?? '')) : files) : undefined;
    if (fromScript !== undefined) {
      c.port = fromScript;
      facts.push({ file, ...keyLine(source, file, startKey ?? 'start'), signal: `start script sets port ${fromScript}`, kind: 'port' });
    } else if (found) {
      c.port = found.port;
      facts.push(found.fact);
    } else {
      const env = scanEnvFiles(source, dir);
      const def = framework ? DEFAULT_PORTS[framework.id] : language === 'bun' ? 3000 : undefined;
      if (env.port !== null && env.portFact) {
        c.port = env.port;
        facts.push(env.portFact);
      } else if (def !== undefined) {
        c.port = def;
        const weak = !framework || WEAK_DEFAULT.has(framework.id);
        facts.push({ file, signal: `${framework?.id ?? 'Bun.serve'} default port ${def}${weak ? ' (convention, not stated in source)' : ''}`, kind: 'heuristic' });
      }
    }
    const health = healthPath(source, dir, files);
    if (health) {
      c.healthPath = health.path;
      facts.push(health.fact);
    }
  }
  const metrics = metricsDependency(deps);
  if (metrics && (role === 'web' || role === 'worker')) {
    c.metricsPath = '/metrics';
    facts.push({ file, ...keyLine(source, file, metrics), signal: `metrics client \`${metrics}\`: /metrics`, kind: 'backing' });
  }
  c.backing = backingOf(source, pkg, deps);
  c.links = proxyLinks(source, pkg);
  return c;
}

/** An output folder outside the package: absolute, or climbing out with `..`. */
function leavesFolder(out: string): boolean {
  const norm = path.posix.normalize(out.replace(/\\/g, '/'));
  return path.posix.isAbsolute(norm) || norm === '..' || norm.startsWith('../');
}

function buildsElsewhere(name: string, dir: string, out: string): string {
  const target = path.posix.normalize(path.posix.join(dir, out.replace(/\\/g, '/')));
  const own = dir === '.' ? 'the repository root' : `${dir}/`;
  const where = path.posix.isAbsolute(target) || target === '..' || target.startsWith('../') ? 'outside the repository' : `into ${target.split('/')[0]}/`;
  return `${name}: the build writes its files to ${JSON.stringify(out)}, outside ${own} (${where}), so whatever serves that folder serves them and stackgen makes no static service of ${own}. `
    + `The image that serves them must build them (a Dockerfile of your own, named by dockerfile.path in stackgen.yaml); to serve ${name} on its own, set its build output inside ${own} (e.g. dist) and run init again`;
}

/** What keeps a process alive without a listener: timers, bots, subscriptions, consumers, stdin. */
const KEEPS_RUNNING = /\bsetInterval\(|\.login\(|\.launch\(|\bbot\.start\(|\.on\(\s*["'](?:message|messageCreate|data)["']|\bcron\.schedule\(|new\s+CronJob\(|\bscheduleJob\(|new\s+Worker\s*\(|\.consume\(|\.subscribe\(|\beachMessage\b|\.process\(\s*(?:["'`]|async|\()|process\.stdin\.resume\(|\bfor\s+await\s*\(/;

/** Library code exports; a program runs. */
const EXPORTS = /\bmodule\.exports\b|^\s*exports\.\w+\s*=|^\s*export\s+(?:default|const|function|class|async|\{|\*|let|var|type|interface)/m;

/**
 * The package's program when it has no start script: its `bin` (a CLI), or its `main` / index file
 * when that file runs rather than exports (a shebang, `require.main === module`, or no export at all).
 * A package with `types` or `exports` is a library unless its entry says it runs.
 */
function programEntry(source: SourceView, dir: string, json: PackageJson, entries: string[]): { file: string; fact: Fact } | undefined {
  const pkgFile = inDir(dir, 'package.json');
  const bin = typeof json.bin === 'string' ? json.bin : json.bin && typeof json.bin === 'object' && Object.keys(json.bin).length === 1 ? Object.values(json.bin as Record<string, unknown>)[0] : undefined;
  if (typeof bin === 'string') {
    const f = inDir(dir, path.posix.normalize(bin.replace(/^\.\//, '')));
    if (source.has(f) && /\.[cm]?js$|^[^.]*$/.test(f)) return { file: f, fact: { file: pkgFile, ...keyLine(source, pkgFile, 'bin'), signal: `bin ${clip(bin, 60)}: a command-line program`, kind: 'entrypoint' } };
  }
  const main = str(json.main);
  const candidates = main ? entries.filter((f) => f.startsWith(inDir(dir, main.replace(/^\.\//, '').replace(/\.[cm]?[jt]s$/, '')))) : entries.filter((f) => /(^|\/)index\.[cm]?js$/.test(f) && path.posix.dirname(f) === dir);
  const file = candidates[0];
  if (!file) return undefined;
  const text = source.readText(file) ?? '';
  const runs = /^#!/.test(text) || /\brequire\.main\s*===\s*module\b|\bimport\.meta\.main\b/.test(text);
  const library = json.types !== undefined || json.typings !== undefined || json.exports !== undefined;
  if (!runs && (library || EXPORTS.test(text))) return undefined;
  const rel = dir === '.' ? file : file.slice(dir.length + 1);
  return { file, fact: { file: main ? pkgFile : file, ...(main ? keyLine(source, pkgFile, 'main') : {}), signal: `${main ? `main ${clip(main, 60)}` : rel} runs (${runs ? 'an entry guard or shebang' : 'exports nothing'}): a program`, kind: 'entrypoint' } };
}

/** A start that runs TypeScript through a require hook (`node index.js` whose index.js loads `ts-node/register`): it works, but compiles at every start. */
function loadsTypeScript(source: SourceView, dir: string, start: string): boolean {
  if (/^\s*node\s+(?:\S+\s+)*(?:-r|--require|--import|--loader)[\s=]+(?:ts-node|@swc-node\/register|@babel\/register|esbuild-register|tsx)\b/.test(start)) return true;
  const entry = /^\s*node\s+(?:--?[\w-]+(?:=\S+)?\s+)*([\w./-]+)/.exec(start)?.[1];
  if (!entry) return false;
  const file = [entry, `${entry}.js`, `${entry}.cjs`].map((f) => inDir(dir, path.posix.normalize(f.replace(/^\.\//, '')))).find((f) => source.has(f));
  return Boolean(file && TS_HOOK.test(source.readText(file) ?? ''));
}

const TS_HOOK = /\brequire\(\s*["'](?:ts-node\/register(?:\/transpile-only)?|@swc-node\/register|@babel\/register|esbuild-register|tsx\/cjs)["']\s*\)|^\s*import\s+["'](?:ts-node\/register|tsx\/esm)["']/m;

/** A Vite app has an index.html entry (project root, or `root:` in its config); a Laravel/Rails asset pipeline has none. */
function hasViteApp(source: SourceView, dir: string): boolean {
  if (source.has(inDir(dir, 'index.html'))) return true;
  for (const ext of ['.ts', '.js', '.mjs', '.mts']) {
    const text = source.readText(inDir(dir, `vite.config${ext}`));
    const root = text ? /\broot\s*:\s*["'`]([^"'`]+)["'`]/.exec(text)?.[1] : undefined;
    if (root && source.has(inDir(dir, `${root.replace(/^\.\//, '').replace(/\/$/, '')}/index.html`))) return true;
  }
  return false;
}

/** Evidence that the package runs on Bun (not merely installs with it). */
function bunRuntime(source: SourceView, pkg: Pkg, scripts: Record<string, string>, every: Record<string, string>, files: string[], pm: PmInfo, framework: FrameworkDef | undefined): Fact[] {
  const out: Fact[] = [];
  const key = ['start', 'start:prod', 'serve', 'dev'].find((k) => /(?:^|&&\s*|;\s*)bun\s+(?:run\s+)?(?:--[\w-]+(?:=\S+)?\s+)*[\w./-]+\.(?:[cm]?[jt]sx?)\b|(?:^|&&\s*)bun\s+--(?:hot|watch)\b/.test(scripts[k] ?? ''));
  if (key) out.push({ file: pkg.file, ...keyLine(source, pkg.file, key), signal: `${key} script runs bun: \`${clip(scripts[key]!, 60)}\``, kind: 'start' });
  const types = ['@types/bun', 'bun-types'].find((d) => every[d] !== undefined);
  if (types) out.push({ file: pkg.file, ...keyLine(source, pkg.file, types), signal: `dependency \`${types}\``, kind: 'heuristic' });
  const api = findInFiles(source, files, [/\bBun\.(?:serve|file|write|env|argv|spawn|password|sql|redis)\b|from\s+["']bun(?::\w+)?["']/], 100);
  if (api) out.push({ file: api.file, line: api.line, signal: `Bun API \`${clip(api.text)}\``, kind: 'usage' });
  const meta = framework?.kind === 'meta';
  const nodeScript = Object.values(scripts).some((s) => /(?:^|&&\s*)node\s+/.test(s));
  if (out.length === 0 && pm.pm === 'bun' && pm.version !== undefined && !meta && !nodeScript && str(pkg.json.packageManager)) {
    out.push({ file: pkg.file, ...keyLine(source, pkg.file, 'packageManager'), signal: `packageManager ${String(pkg.json.packageManager)}`, kind: 'heuristic' });
  }
  // A meta framework started by its own CLI runs on Node even in a Bun repository.
  if (meta && !key && !api) return [];
  return out;
}

function readPackages(source: SourceView): Pkg[] {
  const pkgs: Pkg[] = [];
  for (const file of source.manifests('package.json')) {
    const dir = path.posix.dirname(file);
    // Deno projects with a package.json for npm interop belong to the deno provider.
    if (source.has(inDir(dir, 'deno.json')) || source.has(inDir(dir, 'deno.jsonc'))) continue;
    const { value } = source.readJson<PackageJson>(file);
    // Invalid JSON: readJson recorded a warning with the line; nothing is guessed for this folder.
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      source.warn(file, 'package.json is not a JSON object; ignored');
      continue;
    }
    pkgs.push({ dir, file, json: value });
  }
  return pkgs;
}

export const nodeProvider: Provider = {
  name: 'node',
  detect(source) {
    const pkgs = readPackages(source);
    const { roots, rootOf } = findWorkspaces(source, pkgs);
    const others = [...pkgs.map((p) => p.dir), ...source.manifests(['deno.json', 'deno.jsonc']).map((f) => path.posix.dirname(f))];
    return pkgs.map((p) => {
      const ctx: Context = { others };
      const member = rootOf.get(p.dir);
      const root = roots.get(p.dir);
      if (member) ctx.member = member;
      if (root) ctx.root = root;
      return describePackage(source, p, ctx);
    });
  },
};
