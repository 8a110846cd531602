/**
 * Existing Dockerfiles as evidence. The image the final stage runs on names the language and its
 * version (a builder stage does when the final one is distroless/scratch/a bare OS; nginx, httpd or
 * Caddy serving copied files is a static site); EXPOSE is the port; CMD/ENTRYPOINT the start
 * command; a HEALTHCHECK URL the health path. Candidates are supplementary: they fill what an
 * ecosystem provider left empty and stand alone only where nothing else claims the folder.
 */
import path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { dockerfileAst } from '../../lazy.js';
import type { SourceView } from '../../source/source-view.js';
import { candidate, type Candidate, type Fact, type Provider, type Role } from '../provider.js';
import { backingFromImage } from '../backing.js';
import type { BackingKind, Language, PackageManager } from '../types.js';
import { asPort, clip } from './others-util.js';

/** Image repository (last path segment, or a full path for namespaced ones) → language. */
const IMAGE_LANGUAGE: ReadonlyArray<readonly [RegExp, Language]> = [
  [/^(oven\/bun|bun)$/, 'bun'],
  [/^(denoland\/deno|deno|lukechannings\/deno)$/, 'deno'],
  [/^(node|circleci\/node|cimg\/node|bitnami\/node|mhart\/alpine-node|node-red\/node-red)$/, 'node'],
  [/^(python|pypy|tiangolo\/.*|bitnami\/python|cimg\/python|ghcr\.io\/astral-sh\/uv|astral-sh\/uv|continuumio\/miniconda3|mambaorg\/micromamba)$/, 'python'],
  [/^(golang|go|cimg\/go|bitnami\/golang)$/, 'go'],
  [/^(rust|clux\/muslrust|ekidd\/rust-musl-builder|lukemathwalker\/cargo-chef|messense\/rust-musl-cross)$/, 'rust'],
  [/^(eclipse-temurin|openjdk|amazoncorretto|maven|gradle|adoptopenjdk|ibm-semeru-runtimes|bellsoft\/liberica.*|azul\/zulu-openjdk.*|sapmachine|tomcat|jetty|quay\.io\/quarkus\/.*|ghcr\.io\/graalvm\/.*|container-registry\.oracle\.com\/graalvm\/.*|registry\.access\.redhat\.com\/ubi\d\/openjdk-\d+.*)$/, 'java'],
  [/^(sbtscala\/scala-sbt|hseeberger\/scala-sbt|mozilla\/sbt)$/, 'scala'],
  [/^(clojure)$/, 'clojure'],
  [/^(ruby|bitnami\/ruby|cimg\/ruby)$/, 'ruby'],
  [/^(php|composer|bitnami\/php-fpm|serversideup\/php|webdevops\/php.*|trafex\/php-nginx|dunglas\/frankenphp|richarvey\/nginx-php-fpm)$/, 'php'],
  [/^(mcr\.microsoft\.com\/dotnet\/.*|microsoft\/dotnet.*|mcr\.microsoft\.com\/azure-functions\/dotnet.*)$/, 'dotnet'],
  [/^(elixir|hexpm\/elixir|erlang|bitwalker\/alpine-elixir.*|hexpm\/erlang)$/, 'elixir'],
  [/^(ghcr\.io\/gleam-lang\/gleam|gleamlang\/gleam)$/, 'gleam'],
  [/^(crystallang\/crystal|84codes\/crystal)$/, 'crystal'],
  [/^(dart|google\/dart|ghcr\.io\/cirruslabs\/flutter|cirrusci\/flutter)$/, 'dart'],
  [/^(swift|swiftlang\/swift)$/, 'swift'],
  [/^(haskell|fpco\/stack-build.*)$/, 'haskell'],
  [/^(euantorano\/zig|kassany\/alpine-ziglang|ziglang\/zig)$/, 'zig'],
  [/^(gcc|rikorose\/gcc-cmake|conanio\/.*)$/, 'cpp'],
  [/^(nginx|nginxinc\/nginx-unprivileged|bitnami\/nginx|httpd|caddy|pierrezemb\/gostatic|joseluisq\/static-web-server|lipanski\/docker-static-website|flashspys\/nginx-static|halverneus\/static-file-server|busybox)$/, 'static'],
];

/** Bases that run whatever was built in an earlier stage: the builder's image names the language. */
const BARE = /^(scratch|alpine|debian|ubuntu|busybox|gcr\.io\/distroless\/.*|cgr\.dev\/chainguard\/(static|wolfi-base|glibc-dynamic)|redhat\/ubi\d.*|registry\.access\.redhat\.com\/ubi\d.*|amazonlinux|centos|fedora|rockylinux|almalinux|archlinux|bitnami\/minideb|frolvlad\/alpine-glibc)$/;

/** Image → default version-bearing language for distroless variants like gcr.io/distroless/nodejs20-debian12. */
const DISTROLESS: ReadonlyArray<readonly [RegExp, Language]> = [
  [/distroless\/nodejs(\d+)?/, 'node'],
  [/distroless\/python3/, 'python'],
  [/distroless\/java(\d+)?/, 'java'],
  [/chainguard\/node/, 'node'],
  [/chainguard\/python/, 'python'],
  [/chainguard\/jre/, 'java'],
];

const STATIC_SERVER_DIRS = /\/(usr\/share\/nginx\/html|usr\/local\/apache2\/htdocs|srv|var\/www\/html|usr\/share\/caddy|public|home\/static)\b/;

export interface DockerfileStage {
  image: string;
  alias: string | null;
  line: number;
  instructions: Instruction[];
}

export interface DockerfileInfo {
  file: string;
  language: Language | null;
  runtimeVersion: string | null;
  /** Line of the FROM whose image named the language. */
  languageLine?: number;
  baseImage: string | null;
  port: number | null;
  portLine?: number;
  start: string | null;
  startLine?: number;
  healthPath: string | null;
  healthLine?: number;
  staticDir: string | null;
  packageManager: PackageManager | null;
  /** Set when the image is a database/cache/broker (e.g. `FROM postgres:16` with init scripts). */
  backing?: { kind: BackingKind; version?: string };
  /** A web server image that serves no copied files: a reverse proxy in front of other services. */
  proxyOnly?: boolean;
}

export const dockerfileProvider: Provider = {
  name: 'dockerfile',
  detect(source: SourceView): Candidate[] {
    const byDir = new Map<string, string[]>();
    for (const f of dockerfiles(source)) {
      const dir = serviceDirOf(f);
      byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
    }
    const out: Candidate[] = [];
    for (const [dir, files] of [...byDir.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const file = preferred(files);
      const info = describeDockerfile(source, file);
      if (!info || info.proxyOnly || isTestRunnerDockerfile(file, info)) continue;
      if (info.backing) {
        // A database image with init scripts: a backing service of the services beside this folder.
        const parent = dir === '.' ? '.' : path.posix.dirname(dir);
        out.push(candidate({ path: parent, language: 'shell', role: 'workspace', supplementary: true, backing: [{ kind: info.backing.kind, ...(info.backing.version ? { version: info.backing.version } : {}), evidence: { file, ...(info.languageLine ? { line: info.languageLine } : {}), signal: `Dockerfile FROM ${info.baseImage}` } }] }));
        continue;
      }
      if (info.language === null && info.start === null && info.port === null) continue;
      out.push(toCandidate(info, dir));
    }
    return out;
  },
};

/**
 * Folders of development tools whose Dockerfiles build an editor's or a cloud IDE's environment, or a
 * CI job's image, never the app: dev containers, CodeSandbox (excalidraw's .codesandbox/Dockerfile),
 * Gitpod, CI configuration.
 */
const DEV_TOOL_DIR = /(^|\/)\.(devcontainer|codesandbox|gitpod|github|gitlab|circleci|buildkite|vscode|idea)\//;

/** Dockerfiles of the repository, outside test/example folders and development tools' folders. */
export function dockerfiles(source: SourceView): string[] {
  const names = new Set(source.glob(['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/dockerfile', '**/Containerfile']).map((f) => path.posix.basename(f)));
  return source
    .manifests([...names])
    .filter((f) => !DEV_TOOL_DIR.test(f) && !/\.(dockerignore|md|txt|orig|bak|j2|tpl|template|erb|tmpl)$/i.test(f));
}

const DOCKER_DIR = /^(docker|\.docker|dockerfiles|deploy|deployment|container|\.container)$/i;

/**
 * A Dockerfile kept in `docker/` (or `.docker/`, `deploy/`), or in a folder of its own below it
 * (`docker/node/Dockerfile`), builds the folder above `docker/`.
 */
export function serviceDirOf(file: string): string {
  const segs = path.posix.dirname(file).split('/');
  const at = segs.findLastIndex((s) => DOCKER_DIR.test(s));
  let dir = at >= 0 ? segs.slice(0, at + 1).join('/') : segs.join('/');
  while (DOCKER_DIR.test(path.posix.basename(dir)) && dir !== '.') dir = path.posix.dirname(dir);
  return dir;
}

const TEST_DOCKERFILE = /(?:^|\/)(?:Dockerfile\.(?:tests?|e2e|playwright|cypress)|(?:tests?|e2e|playwright|cypress)\.Dockerfile)$/i;
/** A command that runs a test suite, not an app. */
export const TEST_COMMAND = /(?:^|[\s"'&;])(?:playwright\s+test|cypress\s+run|pytest|jest|vitest|rspec|phpunit|go\s+test|(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?test(?::[\w-]+)?|(?:mvn|gradlew?|\.\/gradlew)\s+(?:\S+\s+)*test)(?:$|[\s"'])/;
const TEST_IMAGE = /(?:^|\/)(?:playwright(?::|$)|cypress\/(?:included|base|browsers)|selenium\/)/i;

/**
 * A Dockerfile that runs a project's tests (`Dockerfile.playwright`, `FROM mcr.microsoft.com/playwright`,
 * `CMD ["pytest"]`): it builds from the app's folder but describes a test runner, not the app.
 */
export function isTestRunnerDockerfile(file: string, info: DockerfileInfo | undefined): boolean {
  if (TEST_DOCKERFILE.test(file)) return true;
  return Boolean(info && ((info.baseImage && TEST_IMAGE.test(info.baseImage)) || (info.start && TEST_COMMAND.test(info.start))));
}

/** The plain `Dockerfile` first, then production variants, development ones last. */
function preferred(files: string[]): string {
  const rank = (f: string) => {
    const b = path.posix.basename(f).toLowerCase();
    if (b === 'dockerfile') return 0;
    if (b === 'containerfile') return 0.5;
    if (/prod|release|deploy/.test(b)) return 1;
    if (/dev|test|local|debug|ci\b|e2e/.test(b)) return 3;
    return 2;
  };
  // The service folder's own Dockerfile before one kept below docker/ (docker/node/Dockerfile).
  const depth = (f: string) => f.split('/').length;
  return [...files].sort((a, b) => rank(a) - rank(b) || depth(a) - depth(b) || a.localeCompare(b))[0]!;
}

/** Parses one Dockerfile into the facts detect uses; undefined when it has no FROM. */
export function describeDockerfile(source: SourceView, file: string): DockerfileInfo | undefined {
  const text = source.readText(file);
  if (text === undefined) return undefined;
  let instructions: Instruction[];
  try {
    instructions = dockerfileAst().DockerfileParser.parse(text).getInstructions();
  } catch (err) {
    source.warn(file, `unreadable Dockerfile: ${(err as Error).message}`);
    return undefined;
  }
  // Global ARGs (before the first FROM) may be used in FROM lines: `FROM node:${NODE_VERSION}`.
  const globals = new Map<string, string>();
  const stages: DockerfileStage[] = [];
  for (const ins of instructions) {
    const kw = ins.getKeyword().toUpperCase();
    if (kw === 'ARG' && stages.length === 0) {
      for (const [k, v] of argPairs(ins.getArgumentsContent() ?? '')) globals.set(k, v);
    } else if (kw === 'FROM') {
      const words = (ins.getArgumentsContent() ?? '').split(/\s+/).filter((w) => w && !w.startsWith('--'));
      const image = substitute(words[0] ?? '', globals);
      const alias = words[1]?.toLowerCase() === 'as' && words[2] ? words[2].toLowerCase() : null;
      stages.push({ image, alias, line: ins.getRange().start.line + 1, instructions: [] });
    } else stages.at(-1)?.instructions.push(ins);
  }
  const final = stages.at(-1);
  if (!final) return undefined;
  const info: DockerfileInfo = { file, language: null, runtimeVersion: null, baseImage: null, port: null, start: null, healthPath: null, staticDir: null, packageManager: null };

  // The chain of stages the final one builds on (`FROM base AS x` … `FROM x`).
  const chain: DockerfileStage[] = [final];
  for (let s = final; ; ) {
    const parent = stages.find((p) => p.alias !== null && p.alias === s.image.toLowerCase() && p !== s);
    if (!parent || chain.includes(parent)) break;
    chain.push(parent);
    s = parent;
  }
  const root = chain.at(-1)!;
  info.baseImage = root.image;
  const stageInstr = chain.flatMap((s) => s.instructions);
  const env = new Map(globals);
  for (const ins of stageInstr) if (['ENV', 'ARG'].includes(ins.getKeyword().toUpperCase())) for (const [k, v] of argPairs(ins.getArgumentsContent() ?? '')) env.set(k, substitute(v, env));

  const backing = backingFromImage(root.image);
  if (backing && !imageLanguage(root.image)) {
    info.backing = backing;
    info.languageLine = root.line;
    return info;
  }
  const named = imageLanguage(root.image);
  if (named && named.language !== 'static') {
    info.language = named.language;
    info.runtimeVersion = named.version;
    info.languageLine = root.line;
  } else if (named?.language === 'static' || BARE.test(repoOf(root.image))) {
    // The language is the one of a builder stage whose output the final stage copies.
    const from = copiedFrom(final, stages);
    const builder = [...from, ...stages.filter((s) => !chain.includes(s))].map((s) => ({ s, lang: imageLanguage(s.image) })).find((x) => x.lang && x.lang.language !== 'static');
    if (named?.language === 'static' && servesFiles(final)) {
      info.language = 'static';
      info.languageLine = root.line;
      info.staticDir = staticDirOf(final, stages);
    } else if (builder?.lang) {
      info.language = builder.lang.language;
      info.runtimeVersion = builder.lang.version;
      info.languageLine = builder.s.line;
    } else if (named?.language === 'static') {
      info.proxyOnly = true;
    }
  }

  for (const ins of stageInstr) {
    const kw = ins.getKeyword().toUpperCase();
    const line = ins.getRange().start.line + 1;
    if (kw === 'EXPOSE' && info.port === null) {
      const first = substitute((ins.getArgumentsContent() ?? '').split(/\s+/)[0] ?? '', env).replace(/\/(tcp|udp)$/i, '');
      const p = asPort(first.split('-')[0]);
      if (p) {
        info.port = p;
        info.portLine = line;
      }
    }
  }
  if (info.port === null) {
    const p = asPort(env.get('PORT'));
    if (p) {
      info.port = p;
      const envLine = stageInstr.find((i) => i.getKeyword().toUpperCase() === 'ENV' && /\bPORT\b/.test(i.getArgumentsContent() ?? ''));
      if (envLine) info.portLine = envLine.getRange().start.line + 1;
    }
  }

  const last = (kw: string) => [...stageInstr].reverse().find((i) => i.getKeyword().toUpperCase() === kw);
  const cmd = last('CMD');
  const entry = last('ENTRYPOINT');
  const cmdText = cmd ? commandText(cmd.getArgumentsContent() ?? '') : '';
  const entryText = entry ? commandText(entry.getArgumentsContent() ?? '') : '';
  // Init shims only reap processes; the command they run is the start command.
  const entryUseful = entryText !== '' && !/^(\/\S*\/)?(tini|dumb-init)(\s+--)?$/.test(entryText);
  const start = [entryUseful ? entryText : '', cmdText].filter(Boolean).join(' ').trim();
  if (start) {
    info.start = start;
    info.startLine = (entryUseful ? entry : cmd)!.getRange().start.line + 1;
  }

  const hc = last('HEALTHCHECK');
  if (hc) {
    const url = /(https?:\/\/[^\s"'|;]+)/.exec(hc.getArgumentsContent() ?? '')?.[1];
    if (url) {
      const parsed = safeUrl(substitute(url, env));
      if (parsed) {
        info.healthPath = parsed.pathname || '/';
        info.healthLine = hc.getRange().start.line + 1;
        if (info.port === null && asPort(parsed.port)) {
          info.port = asPort(parsed.port)!;
          info.portLine = info.healthLine;
        }
      }
    }
  }
  if (info.language === null) {
    // A bare OS image that installs its runtime: the start command or the install steps name it.
    const guess = languageOfCommand(info.start ?? '') ?? languageOfRuns(stageInstr);
    if (guess) info.language = guess;
  }
  info.packageManager = packageManagerOf(stages.flatMap((s) => s.instructions), info.language);
  return info;
}

function toCandidate(info: DockerfileInfo, dir: string): Candidate {
  const facts: Fact[] = [];
  const f = info.file;
  facts.push({ file: f, ...(info.languageLine ? { line: info.languageLine } : {}), signal: `Dockerfile FROM ${info.baseImage ?? '?'}${info.language ? ` (${info.language}${info.runtimeVersion ? ` ${info.runtimeVersion}` : ''})` : ''}`, kind: 'dockerfile' });
  if (info.port !== null) facts.push({ file: f, ...(info.portLine ? { line: info.portLine } : {}), signal: `Dockerfile port ${info.port}`, kind: 'port' });
  if (info.start) facts.push({ file: f, ...(info.startLine ? { line: info.startLine } : {}), signal: `Dockerfile start \`${clip(info.start)}\``, kind: 'start' });
  if (info.healthPath) facts.push({ file: f, ...(info.healthLine ? { line: info.healthLine } : {}), signal: `HEALTHCHECK ${info.healthPath}`, kind: 'dockerfile' });
  if (info.runtimeVersion) facts.push({ file: f, ...(info.languageLine ? { line: info.languageLine } : {}), signal: `base image ${info.language} ${info.runtimeVersion}`, kind: 'version' });
  const isStatic = info.language === 'static';
  let role: Role = isStatic ? 'static' : 'web';
  if (!isStatic && info.port === null && info.start && /\b(worker|celery|sidekiq|rq\s+worker|queue:work|consumer|cron|beat)\b/i.test(info.start)) role = 'worker';
  const c = candidate({
    path: dir,
    language: info.language ?? 'shell',
    packageManager: info.packageManager,
    runtimeVersion: info.runtimeVersion,
    commands: { install: null, build: null, start: isStatic ? null : info.start },
    // A static site's server port is the renderer's choice.
    port: isStatic ? null : info.port,
    healthPath: info.healthPath,
    role,
    facts,
    supplementary: true,
  });
  if (isStatic) c.staticDir = info.staticDir ?? '.';
  return c;
}

/** `ARG A=1 B="2"` / `ENV A=1` / legacy `ENV A 1` → pairs. */
function argPairs(content: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const legacy = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+([^=].*)$/.exec(content);
  if (legacy && !content.includes('=')) return [[legacy[1]!, unquote(legacy[2]!.trim())]];
  for (const m of content.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    if (m[2] !== undefined) out.push([m[1]!, unquote(m[2])]);
  }
  return out;
}

function unquote(v: string): string {
  const q = v[0];
  return (q === '"' || q === "'") && v.endsWith(q) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** `${X}`, `$X`, `${X:-default}` with the values known; unknown ones keep their default or stay empty. */
export function substitute(s: string, vars: ReadonlyMap<string, string>): string {
  return s
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}/g, (_, k: string, d?: string) => vars.get(k) || d || '')
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, k: string) => vars.get(k) ?? '');
}

function repoOf(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const lastColon = noDigest.lastIndexOf(':');
  const repo = lastColon > noDigest.lastIndexOf('/') ? noDigest.slice(0, lastColon) : noDigest;
  return repo.toLowerCase().replace(/^(docker\.io\/)?(library\/)?/, '').replace(/^(public\.ecr\.aws\/docker\/library\/|mirror\.gcr\.io\/(library\/)?)/, '');
}

function tagOf(image: string): string | null {
  const noDigest = image.split('@')[0] ?? image;
  const lastColon = noDigest.lastIndexOf(':');
  return lastColon > noDigest.lastIndexOf('/') ? noDigest.slice(lastColon + 1) : null;
}

/** The language an image runs, with the version its tag states (`python:3.12-slim` → python 3.12). */
export function imageLanguage(image: string): { language: Language; version: string | null } | undefined {
  const repo = repoOf(image);
  const tag = tagOf(image);
  for (const [re, lang] of DISTROLESS) {
    const m = re.exec(repo);
    if (m) return { language: lang, version: m[1] ?? null };
  }
  const hit = IMAGE_LANGUAGE.find(([re]) => re.test(repo) || re.test(repo.replace(/^[^/]+\.[^/]+\//, '')));
  if (!hit) return undefined;
  let version: string | null = null;
  if (tag && hit[1] !== 'static') {
    // hexpm/elixir:1.16.0-erlang-26.2.1-alpine-3.19.0 → 1.16.0; eclipse-temurin:21-jre → 21; bun:1.1-alpine → 1.1.
    const m = /^v?(\d+(?:\.\d+){0,2})/.exec(tag) ?? (hit[1] === 'dotnet' ? null : /(?:^|-)(\d+(?:\.\d+){0,2})(?=-|$)/.exec(tag));
    version = m?.[1] ?? null;
    if (hit[1] === 'java' && version && /^(maven|gradle)$/.test(repo)) {
      // maven:3.9-eclipse-temurin-21 → the JDK is the second version.
      version = /temurin-(\d+)|jdk-?(\d+)|openjdk-?(\d+)|corretto-?(\d+)/.exec(tag)?.slice(1).find(Boolean) ?? null;
    }
  }
  return { language: hit[1], version };
}

/** Stages whose files the final stage copies (`COPY --from=build …`). */
function copiedFrom(final: DockerfileStage, stages: DockerfileStage[]): DockerfileStage[] {
  const out: DockerfileStage[] = [];
  for (const ins of final.instructions) {
    if (ins.getKeyword().toUpperCase() !== 'COPY') continue;
    const from = /--from=(\S+)/.exec(ins.getArgumentsContent() ?? ins.toString())?.[1]?.toLowerCase() ?? /--from=(\S+)/.exec(ins.toString())?.[1]?.toLowerCase();
    if (!from) continue;
    const s = stages.find((x) => x.alias === from) ?? (/^\d+$/.test(from) ? stages[Number(from)] : undefined);
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

/** A web-server stage that copies files into its document root serves a static site. */
function servesFiles(final: DockerfileStage): boolean {
  return final.instructions.some((i) => ['COPY', 'ADD'].includes(i.getKeyword().toUpperCase()) && STATIC_SERVER_DIRS.test(` ${i.toString()}`));
}

/** The folder (relative to the service) whose files land in the document root. */
function staticDirOf(final: DockerfileStage, stages: DockerfileStage[]): string {
  for (const ins of final.instructions) {
    if (!['COPY', 'ADD'].includes(ins.getKeyword().toUpperCase())) continue;
    const text = ins.toString();
    if (!STATIC_SERVER_DIRS.test(text)) continue;
    const words = text.replace(/^\s*\S+\s+/, '').split(/\s+/).filter((w) => w && !w.startsWith('--'));
    const src = words[0];
    if (!src) continue;
    const fromStage = /--from=(\S+)/.exec(text)?.[1]?.toLowerCase();
    let rel = src.replace(/^\.\/?/, '').replace(/\/$/, '');
    if (fromStage) {
      const st = stages.find((s) => s.alias === fromStage);
      const workdir = [...(st?.instructions ?? [])].reverse().find((i) => i.getKeyword().toUpperCase() === 'WORKDIR')?.getArgumentsContent()?.trim().replace(/\/$/, '');
      if (workdir && rel.startsWith(`${workdir.replace(/^\//, '')}/`)) rel = rel.slice(workdir.length);
      else if (workdir && src.startsWith(`${workdir}/`)) rel = src.slice(workdir.length + 1);
      else rel = path.posix.basename(rel);
    }
    return rel.replace(/^\/+/, '') || '.';
  }
  return '.';
}

/** Exec form `["a","b"]` → `a b`; shell form as written (continuations joined). */
function commandText(content: string): string {
  const t = content.replace(/\\\r?\n/g, ' ').trim();
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr) && arr.every((x) => typeof x === 'string')) {
        const words = arr as string[];
        // ["sh", "-c", "…"] runs the string.
        if (words.length === 3 && /^(\/bin\/)?(ba)?sh$/.test(words[0]!) && words[1] === '-c') return words[2]!;
        return words.map((w) => (/[\s"'$]/.test(w) ? JSON.stringify(w) : w)).join(' ');
      }
    } catch {
      // Not JSON: Docker runs it in a shell as written.
    }
  }
  return t.replace(/\s+/g, ' ');
}

function safeUrl(u: string): URL | undefined {
  try {
    return new URL(u.replace(/\$\{?[A-Za-z_]+\}?/g, '8080'));
  } catch {
    return undefined;
  }
}

const PM_BY_RUN: ReadonlyArray<readonly [RegExp, PackageManager, Language[]]> = [
  [/\bpnpm\s+(i|install)\b/, 'pnpm', ['node']],
  [/\byarn(\s+install)?\b/, 'yarn', ['node']],
  [/\bnpm\s+(ci|install|i)\b/, 'npm', ['node']],
  [/\bbun\s+install\b/, 'bun', ['bun', 'node']],
  [/\buv\s+(sync|pip)\b/, 'uv', ['python']],
  [/\bpoetry\s+install\b/, 'poetry', ['python']],
  [/\bpipenv\s+install\b/, 'pipenv', ['python']],
  [/\bpdm\s+install\b/, 'pdm', ['python']],
  [/\bpip3?\s+install\b/, 'pip', ['python']],
  [/\bgo\s+(build|mod\s+download)\b/, 'go-modules', ['go']],
  [/\bcargo\s+(build|install)\b/, 'cargo', ['rust']],
  [/\bmvnw?\b|\.\/mvnw\b/, 'maven', ['java', 'kotlin']],
  [/\bgradlew?\b/, 'gradle', ['java', 'kotlin']],
  [/\bbundle\s+install\b/, 'bundler', ['ruby']],
  [/\bcomposer\s+install\b/, 'composer', ['php']],
  [/\bdotnet\s+(restore|publish)\b/, 'nuget', ['dotnet']],
  [/\bmix\s+(deps\.get|release)\b/, 'mix', ['elixir']],
  [/\bshards\s+(install|build)\b/, 'shards', ['crystal']],
  [/\bdart\s+pub\s+get\b/, 'pub', ['dart']],
  [/\bswift\s+build\b/, 'swiftpm', ['swift']],
  [/\bstack\s+(build|install)\b/, 'stack', ['haskell']],
  [/\bcabal\s+(build|install)\b/, 'cabal', ['haskell']],
  [/\bgleam\s+(build|export)\b/, 'gleam', ['gleam']],
];

function packageManagerOf(instructions: Instruction[], language: Language | null): PackageManager | null {
  if (!language) return null;
  const runs = instructions.filter((i) => i.getKeyword().toUpperCase() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
  for (const [re, pm, langs] of PM_BY_RUN) if (langs.includes(language) && runs.some((r) => re.test(r))) return pm;
  return null;
}

const COMMAND_LANGUAGE: ReadonlyArray<readonly [RegExp, Language]> = [
  [/^(\S*\/)?(python[0-9.]*|gunicorn|uvicorn|hypercorn|daphne|flask|streamlit)\b/, 'python'],
  [/^(\S*\/)?(node|npm|npx|yarn|pnpm)\b/, 'node'],
  [/^(\S*\/)?bun\b/, 'bun'],
  [/^(\S*\/)?deno\b/, 'deno'],
  [/^(\S*\/)?java\b/, 'java'],
  [/^(\S*\/)?(ruby|bundle|rails|puma|rackup)\b/, 'ruby'],
  [/^(\S*\/)?(php|php-fpm|apache2-foreground|frankenphp)\b/, 'php'],
  [/^(\S*\/)?dotnet\b/, 'dotnet'],
  [/^(\S*\/)?(mix|elixir|iex)\b/, 'elixir'],
];

function languageOfCommand(cmd: string): Language | undefined {
  const t = cmd.trim().replace(/^exec\s+/, '');
  return COMMAND_LANGUAGE.find(([re]) => re.test(t))?.[1];
}

function languageOfRuns(instructions: Instruction[]): Language | undefined {
  const runs = instructions.filter((i) => i.getKeyword().toUpperCase() === 'RUN').map((i) => i.getArgumentsContent() ?? '').join('\n');
  if (/\b(apt-get|apk|dnf|yum)\b[^\n]*\binstall\b[^\n]*\bpython3?\b|\bpip3?\s+install\b/.test(runs)) return 'python';
  if (/\b(apt-get|apk|dnf|yum)\b[^\n]*\binstall\b[^\n]*\bnodejs\b|\bnpm\s+(ci|install)\b/.test(runs)) return 'node';
  if (/\b(apt-get|apk|dnf|yum)\b[^\n]*\binstall\b[^\n]*\b(openjdk|default-jre)/.test(runs)) return 'java';
  if (/\b(apt-get|apk|dnf|yum)\b[^\n]*\binstall\b[^\n]*\bruby\b/.test(runs)) return 'ruby';
  if (/\b(apt-get|apk|dnf|yum)\b[^\n]*\binstall\b[^\n]*\bphp/.test(runs)) return 'php';
  return undefined;
}
