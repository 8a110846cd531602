/**
 * The one interface every ecosystem implements. A provider is pure: it reads only through the
 * SourceView it is given (never the working directory, never a spawned `node -v`), and it reports
 * every fact together with the evidence behind it.
 */
import type { SourceView } from '../source/source-view.js';
import type { BackingKind, Commands, Evidence, Framework, Language, PackageManager } from './types.js';

/**
 * How much a kind of evidence says about "there is a service here, described correctly".
 * The weights live in confidence.ts; providers only name the kind.
 */
export type EvidenceKind =
  /** The ecosystem's manifest (package.json, go.mod, pyproject.toml, …). */
  | 'manifest'
  /** A lockfile next to the manifest: dependencies are pinned and installable. */
  | 'lockfile'
  /** A framework declared as a dependency. */
  | 'framework'
  /** The framework (or server library) is imported / called in source: it is used, not just declared. */
  | 'usage'
  /** An entry point exists (main.go, manage.py, src/index.ts, Program.cs, …). */
  | 'entrypoint'
  /** A start command (scripts.start, Procfile web, CMD, …). */
  | 'start'
  /** A port, from config, source, env files, EXPOSE or compose. */
  | 'port'
  /** A runtime version pin (.nvmrc, go directive, requires-python, …). */
  | 'version'
  /** An existing Dockerfile describing this folder. */
  | 'dockerfile'
  /** An existing compose file describing this folder. */
  | 'compose'
  /** A weaker, structural hint (folder name, conventional layout). */
  | 'heuristic'
  /** Evidence for a backing service or link; does not add to the service's own confidence. */
  | 'backing';

export interface Fact extends Evidence {
  kind: EvidenceKind;
}

/** A backing service this candidate uses, and why we think so. */
export interface BackingUse {
  kind: BackingKind;
  version?: string;
  evidence: Evidence;
}

/** A hint that this candidate calls another service of the repository. */
export interface LinkHint {
  /** A URL seen in env files or dev-proxy config, e.g. http://localhost:4000 or http://api:8080. */
  url: string;
  evidence: Evidence;
}

/**
 * - `web`: a long-running server that listens on a port.
 * - `static`: a build that outputs static files (SPA, static site) served by a web server.
 * - `worker`: runs continuously but listens on no port.
 * - `job`: a program that runs to completion (a CLI, a batch, a one-off script).
 * - `library`: shared code, not a service.
 * - `workspace`: a monorepo root that only holds members.
 */
export type Role = 'web' | 'static' | 'worker' | 'job' | 'library' | 'workspace';

export interface Candidate {
  /** Posix path of the project folder relative to the root; "." for the root. */
  path: string;
  /** Suggested service name (package / module name); the folder name when absent. */
  name?: string;
  language: Language;
  framework: Framework | null;
  packageManager: PackageManager | null;
  runtimeVersion: string | null;
  commands: Commands;
  port: number | null;
  /** The environment variable the code reads `port` from (it falls back to `port` when unset). */
  portEnv?: string | null;
  healthPath: string | null;
  /** Where a metrics endpoint is served when a metrics client library is used (e.g. "/metrics"). */
  metricsPath?: string | null;
  /** For `static`: the build output folder relative to `path` (e.g. "dist"). */
  staticDir?: string | null;
  /** The repository's compose file builds this Dockerfile (inside the folder) from an outer context. */
  dockerBuild?: { dockerfile: string; context: string; fact: Fact };
  role: Role;
  backing: BackingUse[];
  links: LinkHint[];
  facts: Fact[];
  /**
   * Other processes the same code runs as, found in the source rather than a Procfile (a Celery
   * worker beside a Django app). Each becomes a worker service on the same image, unless a Procfile
   * declares the processes itself.
   */
  companions?: Array<{ type: string; start: string; fact: Fact }>;
  /**
   * The framework's own settings select its backing services (Laravel's `DB_CONNECTION`, `CACHE_STORE`,
   * `QUEUE_CONNECTION`, …), so a host or port variable for another kind is a default of its config
   * files, not a use: detect adds no backing service from env files or the configuration contract.
   */
  backingSelected?: boolean;
  /**
   * Evidence from an existing Dockerfile or compose file only: it fills in what the ecosystem
   * provider left empty at the same path, and stands alone only when no provider claims the path.
   */
  supplementary?: boolean;
}

export interface Provider {
  /** Short, stable id shown by `--explain` (usually the language id). */
  readonly name: string;
  /** Every project of this ecosystem found in the source, described. Never throws on bad input: warn through the source. */
  detect(source: SourceView): Candidate[];
}

/** A blank candidate with every field present, so providers only set what they found. */
export function candidate(init: Pick<Candidate, 'path' | 'language'> & Partial<Candidate>): Candidate {
  return {
    framework: null,
    packageManager: null,
    runtimeVersion: null,
    commands: { install: null, build: null, start: null },
    port: null,
    healthPath: null,
    role: 'web',
    backing: [],
    links: [],
    facts: [],
    ...init,
  };
}

/** Joins a candidate folder and a file name into a root-relative posix path. */
export function inDir(dir: string, file: string): string {
  return dir === '.' ? file : `${dir}/${file}`;
}
