/** What verify takes and what it reports: shared by the compose run and every stage module. */

export interface VerifyOptions {
  /** Spec file; default `<dir>/stackgen.yaml`. */
  spec?: string;
  /** Overall bound for the stack to turn healthy, e.g. "180s" or milliseconds; default the spec's verify.timeout. */
  timeout?: string | number;
  /** How long app services must stay up after turning healthy, their logs free of connection errors
   *  to a backing service, e.g. "5s"; default the spec's verify.settle. */
  settle?: string | number;
  /** Image-map file applied on top of the spec's `images` (air-gapped runs). */
  imageMap?: string;
  /** CA bundle passed to builds as the BuildKit secret `ca`; default the spec's build.caBundle. */
  caBundle?: string;
  /** Compose services to leave out deliberately (reported as skipped). */
  skipServices?: string[];
  /** Leave the stack running afterwards. */
  keep?: boolean;
  /** Keep the images verify built. */
  keepImages?: boolean;
  /** Aborting (Ctrl-C) stops the run; teardown still happens. */
  signal?: AbortSignal;
  onProgress?: (event: VerifyEvent) => void;
  /** Compose project name; default a unique `stackgen-verify-<name>-<id>`. */
  projectName?: string;
}

export type VerifyEvent =
  | { type: 'phase'; message: string }
  | { type: 'build-log'; service: string; line: string }
  /** `as`: how it passed, when not simply healthy — `completed` (a job), `running` (no healthcheck). */
  | { type: 'healthy'; service: string; afterMs: number; as?: 'healthy' | 'running' | 'completed' };

export interface ProbeResult {
  name: string;
  url: string;
  ok: boolean;
  status?: number;
  message?: string;
}

export interface BuildInfo {
  ms: number;
  image: string;
  sizeBytes: number;
  layers: number;
  cachedSteps: number;
  totalSteps: number;
}

export interface ServiceReport {
  name: string;
  kind: 'app' | 'backing' | 'observability' | 'proxy';
  image: string;
  build?: BuildInfo;
  /** `completed`: a job that exited 0. A worker is `healthy` once it stayed up its settle time. */
  health: 'healthy' | 'unhealthy' | 'running' | 'exited' | 'completed' | 'skipped' | 'not-started' | 'starting';
  /** An app service's role in the spec (web, static, worker, job). */
  role?: 'web' | 'static' | 'worker' | 'job';
  /** How a job or a worker ended when it did not pass: its exit code, or how often it was restarted. */
  exitCode?: number;
  restarts?: number;
  healthyAfterMs?: number;
  probes: ProbeResult[];
  healthOutput?: string;
  logsTail?: string[];
  /** A log line showing the service failing to reach a backing service while it settled. */
  connectionError?: string;
  skippedReason?: string;
}

export interface VerifyReport {
  ok: boolean;
  project: string;
  services: ServiceReport[];
  checks: ProbeResult[];
  skipped: Array<{ name: string; reason: string }>;
  failure?: string;
  durationMs: number;
  kept: boolean;
  stopCommand?: string;
  /** Variables given throwaway random values for this run because the checkout has no .env (CI). */
  generatedEnv?: string[];
  /** Where published ports were probed: 127.0.0.1, or a remote engine's host (DOCKER_HOST). */
  probeHost: string;
}

export type ComposePort = string | { target: number; published?: number | string; host_ip?: string };

/** The parts of a rendered compose service verify reads. */
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> | string[]; secrets?: Array<string | { source: string; target?: string }> };
  profiles?: string[];
  ports?: ComposePort[];
}

export interface ComposeFile {
  services?: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
}
