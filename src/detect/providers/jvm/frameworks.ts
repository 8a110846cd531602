/**
 * What a JVM project runs as, shared by the Maven, Gradle and sbt readers: the framework from its
 * dependencies, and the port, health and metrics paths and backing services from the framework's
 * own config files (Spring `application.properties|yml`, Quarkus, Micronaut, HOCON `application.conf`).
 */
import type { SourceView } from '../../../source/source-view.js';
import { backingFromDependency, backingFromUrl, type DependencyEcosystem } from '../../backing.js';
import { inDir, type BackingUse, type Fact, type Role } from '../../provider.js';
import type { BackingKind, Framework } from '../../types.js';
import { javaMajor, portValue, readConfig, type ConfigEntry } from './util.js';
import { sourceTexts, toolVersionsPin, versionFilePin, lineIn } from '../../readers.js';

/** A dependency as `group:artifact`, where it was declared. */
export interface JvmDep {
  coord: string;
  file: string;
  line?: number;
}

const SPRING_WEB = /^org\.springframework\.boot:spring-boot-starter-(web|webflux|jersey|graphql|websocket|thymeleaf|data-rest|hateoas|mustache|freemarker|groovy-templates|web-services|actuator)$|^org\.springframework\.cloud:spring-cloud-(starter-gateway.*|starter-netflix-eureka-server|config-server)$|^com\.vaadin:vaadin-spring-boot-starter$|^de\.codecentric:spring-boot-admin-starter-server$/;
const QUARKUS_WEB = /^io\.quarkus:quarkus-(rest|resteasy|vertx-http|undertow|websockets|smallrye-graphql|reactive-routes|funqy-http|smallrye-health|qute-web|spring-web|micrometer|smallrye-openapi).*$/;
/** Server libraries without a framework id of their own: the app listens, framework stays null. */
const SERVER_LIBS: ReadonlyArray<readonly [RegExp, number | null]> = [
  [/^io\.javalin:javalin/, 8080],
  [/^com\.sparkjava:spark-core/, 4567],
  [/^io\.ktor:ktor-server-/, 8080],
  [/^io\.vertx:vertx-(web|core)$/, null],
  [/^io\.dropwizard:dropwizard-core$/, 8080],
  [/^io\.helidon\.(webserver|microprofile|bundles).*:/, 8080],
  [/^org\.http4k:http4k-server-/, null],
  [/^io\.undertow:undertow-core$/, null],
  [/^org\.eclipse\.jetty(\.ee\d+)?:jetty-(server|servlet)$/, null],
  [/^io\.jooby:jooby/, 8080],
  [/^org\.http4s:http4s-(ember|blaze|netty|jdk-http-client)-server/, 8080],
  [/^(com\.typesafe\.akka:akka-http|org\.apache\.pekko:pekko-http)/, null],
  [/^dev\.zio:zio-http/, 8080],
  [/^com\.lihaoyi:cask/, 8080],
  [/^org\.scalatra:scalatra/, 8080],
  [/^com\.softwaremill\.sttp\.tapir:tapir-.*-server/, null],
  [/^(org\.playframework|com\.typesafe\.play):play(-server|-akka-http-server|-pekko-http-server|-netty-server|_)?/, 9000],
];

export interface FrameworkHit {
  framework: Framework | null;
  fact?: Fact;
  /** The dependencies say it serves HTTP. */
  web: boolean;
  defaultPort: number | null;
}

/** Framework from dependencies and build plugins (plugin ids or Maven plugin artifactIds). */
export function jvmFramework(deps: JvmDep[], plugins: Array<{ id: string; file: string; line?: number }>): FrameworkHit {
  const dep = (re: RegExp) => deps.find((d) => re.test(d.coord));
  const plugin = (re: RegExp) => plugins.find((p) => re.test(p.id));
  const fact = (hit: { file: string; line?: number } | undefined, signal: string): Fact | undefined =>
    hit ? { file: hit.file, ...(hit.line !== undefined ? { line: hit.line } : {}), signal, kind: 'framework' } : undefined;

  const springPlugin = plugin(/^(org\.springframework\.boot|spring-boot-maven-plugin)$/);
  const springDep = dep(/^org\.springframework\.boot:/);
  if (springPlugin || springDep) {
    const web = deps.some((d) => SPRING_WEB.test(d.coord));
    return { framework: 'spring-boot', fact: fact(springDep ?? springPlugin, springDep ? `dependency \`${springDep.coord}\`` : `plugin \`${springPlugin!.id}\``), web, defaultPort: 8080 };
  }
  const quarkusPlugin = plugin(/^(io\.quarkus|quarkus-maven-plugin)$/);
  const quarkusDep = dep(/^io\.quarkus:/);
  if (quarkusPlugin || quarkusDep) {
    const web = deps.some((d) => QUARKUS_WEB.test(d.coord));
    return { framework: 'quarkus', fact: fact(quarkusDep ?? quarkusPlugin, quarkusDep ? `dependency \`${quarkusDep.coord}\`` : `plugin \`${quarkusPlugin!.id}\``), web, defaultPort: 8080 };
  }
  const mnPlugin = plugin(/^(io\.micronaut\.application|io\.micronaut\.minimal\.application|micronaut-maven-plugin)$/);
  const mnDep = dep(/^io\.micronaut(\.[a-z]+)*:/);
  if (mnPlugin || mnDep) {
    const web = !deps.length || deps.some((d) => /^io\.micronaut(\.[a-z]+)*:micronaut-(http-server.*|management|views.*|graphql|http)$/.test(d.coord)) || !!mnPlugin;
    return { framework: 'micronaut', fact: fact(mnDep ?? mnPlugin, mnDep ? `dependency \`${mnDep.coord}\`` : `plugin \`${mnPlugin!.id}\``), web, defaultPort: 8080 };
  }
  for (const [re, port] of SERVER_LIBS) {
    const d = dep(re);
    if (d) return { framework: null, fact: fact(d, `server library \`${d.coord}\``), web: true, defaultPort: port };
  }
  const play = plugin(/^(play|PlayScala|PlayJava|sbt-plugin)$/);
  if (play) return { framework: null, fact: fact(play, 'Play Framework plugin'), web: true, defaultPort: 9000 };
  return { framework: null, web: false, defaultPort: null };
}

/** Main-source files of a JVM project (capped: only a handful of annotations and calls are looked for). */
export function mainSources(source: SourceView, dir: string): Array<{ file: string; text: string }> {
  const files = source.glob(['src/main/**/*.{java,kt,scala,groovy}', 'app/**/*.scala', 'src/*.{java,kt,scala}', '*.scala'], dir);
  // Application classes are usually short paths near the package root; read those first.
  files.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return sourceTexts(source, files, 150);
}

export interface MainHit {
  file: string;
  line: number;
  signal: string;
  spring: boolean;
}

/** The application entry point in source: `@SpringBootApplication`, a `main` method, `@QuarkusMain`, … */
export function findMain(sources: Array<{ file: string; text: string }>): MainHit | undefined {
  let plain: MainHit | undefined;
  for (const { file, text } of sources) {
    const spring = lineIn(text, /@SpringBootApplication\b/);
    if (spring) return { file, line: spring, signal: '`@SpringBootApplication`', spring: true };
    if (!plain) {
      const main = lineIn(text, /(public\s+)?static\s+void\s+main\s*\(|^\s*fun\s+main\s*\(|\bdef\s+main\s*\(|extends\s+(App|IOApp(\.Simple)?|ZIOAppDefault)\b|@QuarkusMain\b|Micronaut\.run\(/);
      if (main) plain = { file, line: main, signal: 'main entry point', spring: false };
    }
  }
  return plain;
}

/** Config files a JVM service reads at start, most specific last so later entries win. */
function configFiles(dir: string): string[] {
  const res = ['src/main/resources', 'conf'].map((d) => inDir(dir, d));
  return res.flatMap((r) => ['application.properties', 'application.yml', 'application.yaml', 'application-prod.properties', 'application-prod.yml', 'application-prod.yaml'].map((f) => `${r}/${f}`));
}

export function readJvmConfig(source: SourceView, dir: string): ConfigEntry[] {
  return configFiles(dir).flatMap((f) => readConfig(source, f));
}

function lastOf(entries: ConfigEntry[], keys: string[]): ConfigEntry | undefined {
  let hit: ConfigEntry | undefined;
  for (const e of entries) if (keys.includes(e.key)) hit = e;
  return hit;
}

export interface WebFacts {
  port: number | null;
  portFact?: Fact;
  healthPath: string | null;
  healthFact?: Fact;
  metricsPath: string | null;
}

/** Port, health and metrics of a JVM web service, from framework defaults, config and source. */
export function jvmWeb(source: SourceView, dir: string, fw: FrameworkHit, deps: JvmDep[], config: ConfigEntry[], sources: Array<{ file: string; text: string }>): WebFacts {
  const has = (re: RegExp) => deps.find((d) => re.test(d.coord));
  const out: WebFacts = { port: fw.defaultPort, healthPath: null, metricsPath: null };
  const setPort = (e: ConfigEntry | undefined) => {
    const p = e ? portValue(e.value) : undefined;
    if (e && p !== undefined) {
      out.port = p;
      out.portFact = { file: e.file, line: e.line, signal: `${e.key}=${e.value}`, kind: 'port' };
    }
  };
  const prefix = (p: string | undefined) => (p ? `/${p.replace(/^\/+|\/+$/g, '')}` : '').replace(/^\/$/, '');
  if (fw.framework === 'spring-boot') {
    setPort(lastOf(config, ['server.port']));
    const ctx = prefix(lastOf(config, ['server.servlet.context-path', 'spring.webflux.base-path'])?.value);
    const base = lastOf(config, ['management.endpoints.web.base-path'])?.value ?? '/actuator';
    const healthName = lastOf(config, ['management.endpoints.web.path-mapping.health'])?.value ?? 'health';
    const act = has(/^org\.springframework\.boot:spring-boot-starter-actuator$/);
    // A separate management port serves actuator there, without the app's context path.
    const mgmtPort = lastOf(config, ['management.server.port']);
    const root = mgmtPort ? '' : ctx;
    if (act) {
      out.healthPath = `${root}${prefix(base)}/${healthName}`.replace(/\/+/g, '/');
      out.healthFact = { file: act.file, ...(act.line ? { line: act.line } : {}), signal: 'dependency `spring-boot-starter-actuator`', kind: 'framework' };
    }
    if (has(/^io\.micrometer:micrometer-registry-prometheus/)) out.metricsPath = `${root}${prefix(base)}/prometheus`.replace(/\/+/g, '/');
  } else if (fw.framework === 'quarkus') {
    setPort(lastOf(config, ['quarkus.http.port', '%prod.quarkus.http.port']));
    const root = prefix(lastOf(config, ['quarkus.http.root-path'])?.value);
    const nonApp = prefix(lastOf(config, ['quarkus.http.non-application-root-path'])?.value ?? 'q');
    const health = has(/^io\.quarkus:quarkus-smallrye-health$/);
    if (health) {
      out.healthPath = `${root}${nonApp}/health`;
      out.healthFact = { file: health.file, ...(health.line ? { line: health.line } : {}), signal: 'dependency `quarkus-smallrye-health`', kind: 'framework' };
    }
    if (has(/^io\.quarkus:quarkus-(micrometer-registry-prometheus|smallrye-metrics)$/)) out.metricsPath = `${root}${nonApp}/metrics`;
  } else if (fw.framework === 'micronaut') {
    setPort(lastOf(config, ['micronaut.server.port']));
    const mgmt = has(/^io\.micronaut(\.[a-z]+)*:micronaut-management$/);
    if (mgmt) {
      out.healthPath = '/health';
      out.healthFact = { file: mgmt.file, ...(mgmt.line ? { line: mgmt.line } : {}), signal: 'dependency `micronaut-management`', kind: 'framework' };
    }
    if (has(/^io\.micronaut\.micrometer:micronaut-micrometer-registry-prometheus$/)) out.metricsPath = '/prometheus';
  } else {
    setPort(lastOf(config, ['server.port', 'http.port', 'ktor.deployment.port']));
    const hocon = hoconPort(source, dir);
    if (!out.portFact && hocon) {
      out.port = hocon.port;
      out.portFact = hocon.fact;
    }
    if (!out.portFact) {
      const code = portInCode(sources);
      if (code) {
        out.port = code.port;
        out.portFact = code.fact;
      }
    }
    const health = healthInCode(sources);
    if (health) {
      out.healthPath = health.path;
      out.healthFact = health.fact;
    }
    if (has(/^io\.prometheus:(simpleclient|prometheus-metrics)/) || has(/^io\.micrometer:micrometer-registry-prometheus/)) out.metricsPath = '/metrics';
  }
  return out;
}

/** `port = 8080` / `port = ${?PORT}` in a Typesafe config (`application.conf`): Ktor, Akka, Play. */
function hoconPort(source: SourceView, dir: string): { port: number; fact: Fact } | undefined {
  for (const f of ['src/main/resources/application.conf', 'conf/application.conf', 'resources/application.conf'].map((x) => inDir(dir, x))) {
    if (!source.has(f)) continue;
    const lines = (source.readText(f) ?? '').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s*(?:[\w.]+\.)?port\s*[=:]\s*(\d{2,5})\b/.exec(lines[i] ?? '');
      const p = m?.[1] ? portValue(m[1]) : undefined;
      if (p) return { port: p, fact: { file: f, line: i + 1, signal: lines[i]!.trim(), kind: 'port' } };
    }
  }
  return undefined;
}

/** A health route registered in code: `get("/health", …)`, `Root / "health"`, `@Path("/health")`. */
function healthInCode(sources: Array<{ file: string; text: string }>): { path: string; fact: Fact } | undefined {
  const re = /["'](\/(?:health|healthz|healthcheck|_health|livez|readyz|ping))["']|Root\s*\/\s*"(health|healthz|ping)"/;
  for (const { file, text } of sources) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(lines[i] ?? '');
      if (m) return { path: m[1] ?? `/${m[2]}`, fact: { file, line: i + 1, signal: `health route ${m[1] ?? `/${m[2]}`}`, kind: 'usage' } };
    }
  }
  return undefined;
}

const CODE_PORT = [
  /\.start\(\s*(\d{2,5})\s*\)/, // Javalin.create().start(7070)
  /\bport\s*=\s*(\d{2,5})\b/, // embeddedServer(Netty, port = 8080)
  /\bport\(\s*(\d{2,5})\s*\)/, // Spark port(4567)
  /\.listen\(\s*(\d{2,5})\b/, // vertx createHttpServer().listen(8888)
  /bindHttp\(\s*(\d{2,5})\b/, // http4s blaze
  /withPort\(\s*port"(\d{2,5})"/, // http4s ember
  /newServerAt\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/, // akka/pekko-http
  /getenv\(\s*"PORT"\s*\)[^\n]*?(?:"|\b)(\d{4,5})\b/, // System.getenv("PORT") ?: "8080"
  /getenv\(\)\.getOrDefault\(\s*"PORT"\s*,\s*"(\d{2,5})"\s*\)/, // System.getenv().getOrDefault("PORT", "8080")
  /\b(?:forPort|newServerBuilderForPort)\(\s*(\d{2,5})\b/, // gRPC ServerBuilder.forPort(50051)
  /new\s+InetSocketAddress\(\s*(\d{2,5})\s*\)/, // com.sun.net.httpserver
];

function portInCode(sources: Array<{ file: string; text: string }>): { port: number; fact: Fact } | undefined {
  for (const { file, text } of sources) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      for (const re of CODE_PORT) {
        const p = portValue(re.exec(l)?.[1] ?? '');
        if (p) return { port: p, fact: { file, line: i + 1, signal: l.trim().slice(0, 120), kind: 'port' } };
      }
    }
  }
  return undefined;
}

const CONFIG_KEYS: ReadonlyArray<readonly [RegExp, BackingKind]> = [
  [/^spring\.(data\.)?redis\.(host|url|port|cluster\.nodes|sentinel\.nodes)$|^quarkus\.redis\.hosts$|^redis\.(uri|host|url)$/, 'redis'],
  [/^spring\.rabbitmq\.(host|addresses|port)$|^rabbitmq\.(host|uri)$/, 'rabbitmq'],
  [/^spring\.kafka\.bootstrap-servers$|^kafka\.bootstrap[.-]servers$|^spring\.cloud\.stream\.kafka\.binder\.brokers$/, 'kafka'],
  [/^spring\.data\.mongodb\.(uri|host|database)$|^quarkus\.mongodb\.connection-string$|^mongodb\.uri$/, 'mongodb'],
  [/^spring\.elasticsearch\.uris$|^spring\.elasticsearch\.rest\.uris$/, 'elasticsearch'],
];
const DB_KINDS: Readonly<Record<string, BackingKind>> = { postgresql: 'postgres', postgres: 'postgres', mysql: 'mysql', mariadb: 'mariadb', mongodb: 'mongodb' };
const DRIVERS: ReadonlyArray<readonly [RegExp, BackingKind]> = [
  [/^org\.postgresql\./, 'postgres'],
  [/^(com\.mysql\.|com\.mysql\.cj\.)/, 'mysql'],
  [/^org\.mariadb\./, 'mariadb'],
];

/** Backing services named by connection settings in the framework config, with their line. */
export function configBacking(config: ConfigEntry[]): BackingUse[] {
  const out: BackingUse[] = [];
  const add = (kind: BackingKind, e: ConfigEntry, signal: string) => {
    if (!out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file: e.file, line: e.line, signal } });
  };
  for (const e of config) {
    // `${DB_URL:jdbc:postgresql://…}`: the default is what the authors run against.
    const v = /^\$\{[^:}]+:(.*)\}$/.exec(e.value)?.[1] ?? e.value;
    const byUrl = backingFromUrl(v);
    if (byUrl && /url|uri|addresses|servers|connection/i.test(e.key)) {
      add(byUrl, e, `${e.key}=${v}`);
      continue;
    }
    if (/(^|\.)db-kind$/.test(e.key) && DB_KINDS[v.toLowerCase()]) {
      add(DB_KINDS[v.toLowerCase()]!, e, `${e.key}=${v}`);
      continue;
    }
    if (/driver-class-name$|driverClassName$/.test(e.key)) {
      const hit = DRIVERS.find(([re]) => re.test(v));
      if (hit) add(hit[1], e, `${e.key}=${v}`);
      continue;
    }
    if (e.value === '') continue;
    const hit = CONFIG_KEYS.find(([re]) => re.test(e.key));
    if (hit) add(hit[1], e, `${e.key}=${e.value}`);
  }
  return out;
}

/** Backing services from dependencies; test-only scopes were filtered by the reader. */
export function dependencyBacking(deps: JvmDep[], ecosystem: DependencyEcosystem = 'maven'): BackingUse[] {
  const out: BackingUse[] = [];
  for (const d of deps) {
    const kind = backingFromDependency(ecosystem, d.coord) ?? (ecosystem === 'clojars' ? backingFromDependency('maven', d.coord.replace('/', ':')) : undefined);
    if (kind && !out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file: d.file, ...(d.line !== undefined ? { line: d.line } : {}), signal: `dependency \`${d.coord}\`` } });
  }
  return out;
}

/** Merges backing lists, first evidence per kind wins. */
export function mergeBackingUses(...lists: BackingUse[][]): BackingUse[] {
  const out: BackingUse[] = [];
  for (const list of lists) for (const b of list) if (!out.some((x) => x.kind === b.kind)) out.push(b);
  return out;
}

/** JDK version pins outside the build file: `.java-version`, `.sdkmanrc`, `.tool-versions`, up the tree. */
export function jdkPin(source: SourceView, dir: string): { version: string; fact: Fact } | undefined {
  const jv = versionFilePin(source, dir, '.java-version');
  const major = javaMajor(jv?.version);
  if (jv && major) return { version: major, fact: { file: jv.file, ...(jv.line ? { line: jv.line } : {}), signal: `.java-version ${jv.version}`, kind: 'version' } };
  for (const d of [dir, '.']) {
    const f = inDir(d, '.sdkmanrc');
    if (!source.has(f)) continue;
    const line = source.lineOf(f, /^\s*java\s*=/);
    const v = line ? /=\s*(\S+)/.exec((source.readText(f) ?? '').split('\n')[line - 1] ?? '')?.[1] : undefined;
    const mj = javaMajor(v);
    if (line && mj) return { version: mj, fact: { file: f, line, signal: `.sdkmanrc java=${v}`, kind: 'version' } };
  }
  const tv = toolVersionsPin(source, dir, ['java']);
  const tmj = javaMajor(tv?.version);
  if (tv && tmj) return { version: tmj, fact: { file: tv.file, ...(tv.line ? { line: tv.line } : {}), signal: `.tool-versions java ${tv.version}`, kind: 'version' } };
  return undefined;
}

/** web / worker from the framework and what the source shows. */
export function webOrWorker(fw: FrameworkHit, sources: Array<{ file: string; text: string }>): Role {
  if (fw.web) return 'web';
  if (fw.framework === 'spring-boot' && sources.some((s) => /@(Rest)?Controller\b|RouterFunction|@RequestMapping/.test(s.text))) return 'web';
  if (fw.framework !== null) return fw.framework === 'micronaut' ? 'web' : 'worker';
  return 'worker';
}
