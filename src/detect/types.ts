/**
 * The Topology: what `detect` found in a repository. This is a published, stable contract
 * (`schemas/topology.schema.json`); a test checks every fixture's output against that schema.
 */

export const LANGUAGES = [
  'node', 'bun', 'deno', 'python', 'go', 'rust', 'java', 'kotlin', 'scala', 'clojure', 'ruby', 'php',
  'dotnet', 'elixir', 'gleam', 'crystal', 'dart', 'swift', 'haskell', 'zig', 'cpp', 'static', 'shell',
] as const;
export type Language = (typeof LANGUAGES)[number];

export const FRAMEWORKS = [
  'nextjs', 'nuxt', 'remix', 'react-router', 'sveltekit', 'astro', 'vite', 'angular', 'create-react-app',
  'expo', 'tanstack-start', 'qwik-city', 'express', 'fastify', 'nestjs', 'koa', 'hono',
  'django', 'fastapi', 'flask', 'fasthtml', 'starlette',
  'rails', 'sinatra', 'laravel', 'symfony', 'spring-boot', 'quarkus', 'micronaut',
  'gin', 'echo', 'fiber', 'chi', 'axum', 'actix-web', 'rocket', 'phoenix', 'aspnetcore', 'vapor', 'fresh',
  'ring', 'luminus',
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const PACKAGE_MANAGERS = [
  'npm', 'pnpm', 'yarn', 'bun', 'deno', 'pip', 'poetry', 'uv', 'pipenv', 'pdm', 'go-modules', 'cargo',
  'maven', 'gradle', 'sbt', 'leiningen', 'clojure-cli', 'bundler', 'composer', 'nuget', 'mix', 'gleam',
  'shards', 'pub', 'swiftpm', 'stack', 'cabal',
] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const BACKING_KINDS = [
  'postgres', 'mysql', 'mariadb', 'mongodb', 'redis', 'rabbitmq', 'kafka', 'nats', 'elasticsearch',
  'meilisearch', 'minio', 'memcached',
] as const;
export type BackingKind = (typeof BACKING_KINDS)[number];

/** A connection setting of a backing service an app variable can carry (what render fills it with). */
export const WIRE_FIELDS = ['host', 'port', 'hostport', 'database', 'user', 'password', 'password-file', 'url', 'jdbc-url'] as const;
export type WireField = (typeof WIRE_FIELDS)[number];

/** An environment variable the service's code or config reads. */
export interface ConfigRead {
  name: string;
  /** The literal the code falls back to when the variable is unset (never kept for a password). */
  default?: string;
  file: string;
  line: number;
  /** `file`: the variable holds the path of a file the value is read from (`*_FILE`, Docker-secret style). */
  via: 'env' | 'file';
  /** The framework config key that reads it (Spring `spring.datasource.url`, .NET `ConnectionStrings:Default`). */
  key?: string;
  /** The backing-service setting it carries, when its name, default or config key says so. */
  binds?: { kind: BackingKind; field: WireField };
}

/** A backing-service host written in code or config (`host: 'redis'`, `mongodb://mongo:27017/app`). */
export interface HostRef {
  host: string;
  kind: BackingKind;
  file: string;
  line: number;
  signal: string;
  /** The connection string written there carries a user and password of its own. */
  credentials?: boolean;
}

/** How a service finds its configuration: the variables it reads and the hosts it names. */
export interface ConfigContract {
  reads: ConfigRead[];
  hosts: HostRef[];
}

/** One fact's origin: the file and the signal in it that produced the fact. */
export interface Evidence {
  /** Posix path relative to the scanned root. */
  file: string;
  /** 1-based line, when the signal sits on one line. */
  line?: number;
  /** What was seen, e.g. "dependency `pg`" or "`app.listen(3000)`". */
  signal: string;
}

export interface Commands {
  install: string | null;
  build: string | null;
  start: string | null;
}

export interface Service {
  /** DNS-label-safe, unique within the topology. */
  name: string;
  /** Posix path relative to the root; "." for the root itself. */
  path: string;
  language: Language;
  framework: Framework | null;
  packageManager: PackageManager | null;
  runtimeVersion: string | null;
  commands: Commands;
  port: number | null;
  healthPath: string | null;
  backingServices: BackingKind[];
  /** Names of other services in this topology this one calls. */
  dependsOn: string[];
  /** 0–1, computed from the evidence (see confidence.ts). */
  confidence: number;
  evidence: Evidence[];
  /**
   * Absent for a web server (listens on a port); `static` for built static files (SPA/static site);
   * `worker` keeps running and listens on no port; `job` runs to completion.
   */
  role?: 'static' | 'worker' | 'job';
  /** The environment variable the app reads `port` from (the code's own fallback is `port`). */
  portEnv?: string;
  /** For `static`: the build output folder relative to `path`. */
  staticDir?: string;
  /** The repository's own Dockerfile in this folder and the outer folder its compose file builds it from (`context: .`). */
  dockerBuild?: { dockerfile: string; context: string };
  /** Path of a metrics endpoint, when a metrics client library is used. */
  metricsPath?: string;
  /** Signing/encryption keys the code falls back to a literal for when unset (each also a warning). */
  secretFallbacks?: Array<{ name: string; file: string; line: number }>;
  /** The variables the code and config read and the backing-service hosts they name (`config-contract.ts`). */
  config?: ConfigContract;
}

export interface BackingService {
  kind: BackingKind;
  version?: string;
  /** Service names that use it. */
  usedBy: string[];
  evidence: Evidence[];
}

export interface TopologyWarning {
  file: string;
  line?: number;
  message: string;
}

export interface Topology {
  /** Absolute path of the scanned folder. */
  root: string;
  services: Service[];
  backingServices: BackingService[];
  warnings: TopologyWarning[];
}
