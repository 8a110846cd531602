/**
 * What every Dockerfile template reads, built once per service: the service's identity, the CA
 * bundle plumbing, the healthcheck and production ENV of the runtime tail (the layout
 * `templates/dockerfile/_layouts/app.njk`), and the spec values shared by all ecosystems. Each
 * template's module (`./<template>.ts`) adds its images, commands, dev folders and `x`, the values
 * only that template reads.
 */
import path from 'node:path';
import type { Spec } from '../../../spec/types.generated.js';
import { exists, join, readJson } from '../repo.js';
import { type ServiceModel, type TemplateName } from '../service.js';
import type { Workspace } from '../workspace.js';

const CA_TARGET = '/run/secrets/ca';

export interface HealthcheckContext {
  /** Exec form, or null: no HEALTHCHECK instruction. */
  cmd: string[] | null;
  interval: string;
  timeout: string;
  startPeriod: string;
  retries: number;
}

export interface DockerfileBase {
  project: string;
  service: { name: string; port: number | null; uid: number; user: string; role: string };
  /** `RUN --mount` flag for the optional CA bundle secret (absent → nothing mounted). */
  caMount: string;
  /** Shell prefix that points `vars` at the CA bundle for one RUN step, only when the secret is there. */
  caExport: (...vars: string[]) => string;
  healthcheck: HealthcheckContext;
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
}

/** Build and runtime base images, mapped (mirror / overrides): templates never see an upstream reference. */
export interface BuildRuntimeImages {
  build: string;
  runtime: string;
}

/**
 * One template's whole context: the base, the template's name (the union's discriminant), its
 * images, the runtime and dev commands, the folders the dev user must own, and `x`.
 */
export interface TemplateContext<T extends TemplateName, Images, X> extends DockerfileBase {
  template: T;
  /** Mapped image references by role (`build`, `runtime`, `probe`, …). */
  images: Images;
  /** The runtime stage's CMD/ENTRYPOINT (exec form). */
  start: string[];
  /** The dev stage's CMD (exec form). */
  dev: string[];
  /** Folders outside HOME the dev server writes (`_partials/dev-user.njk` creates and owns them). */
  devDirs: string[];
  /** Values only this template reads. */
  x: X;
}

/** What a template's context builder is given. */
export interface BuildInput {
  spec: Spec;
  model: ServiceModel;
  rootDir: string;
  /** Maps an upstream image reference through the spec's mirror and overrides. */
  img: (ref: string) => string;
  base: DockerfileBase;
}

export function caExport(...vars: string[]): string {
  return `if [ -s ${CA_TARGET} ]; then export ${vars.map((v) => `${v}=${CA_TARGET}`).join(' ')}; fi`;
}

export function dockerfileBase(spec: Spec, m: ServiceModel): DockerfileBase {
  const s = m.spec;
  return {
    project: spec.name,
    service: { name: m.name, port: m.port, uid: m.uid, user: s.user.name, role: m.role },
    caMount: `--mount=type=secret,id=ca,required=false,target=${CA_TARGET}`,
    caExport,
    healthcheck: {
      cmd: m.healthcheck,
      interval: s.healthcheck.interval,
      timeout: s.healthcheck.timeout,
      startPeriod: s.healthcheck.startPeriod,
      retries: s.healthcheck.retries,
    },
    env: Object.entries(m.runtimeEnv),
    buildArgs: Object.keys(s.buildArgs).sort(),
    commands: { install: s.commands.install, build: s.commands.build, test: s.commands.test },
    workspace: m.workspace,
    inContext: (file: string) => (m.workspace && m.workspace.member !== '.' ? path.posix.join(m.workspace.member, file) : file),
  };
}

export function firstExisting(rootDir: string, dir: string, files: string[]): string | undefined {
  return files.find((f) => exists(rootDir, join(dir, f)));
}

export function hasScript(rootDir: string, dir: string, name: string): boolean {
  const scripts = readJson(rootDir, join(dir, 'package.json'))?.scripts as Record<string, unknown> | undefined;
  return typeof scripts?.[name] === 'string';
}
