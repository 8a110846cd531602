/**
 * Backing services (databases, caches, brokers): the official image, credentials only as `${VAR}`
 * references to `.env` — handed to the container as a compose secret file wherever the image reads
 * one (`*_FILE`), so no password sits in its environment, command or healthcheck — a healthcheck that
 * uses a tool present in that image, the capabilities its entrypoint needs and nothing more, resource
 * and process limits, the data folder for a named volume, and the connection variables an app that
 * depends on it receives.
 */
import { mapImage, type ImageMap } from '../../images/image-map.js';
import type { BackingService, Spec } from '../../spec/types.generated.js';
import { BACKING_KINDS, secretPath, type KindInput } from './backing/kinds.js';

export { secretPath };

/** A variable stackgen puts in `.env`: a generated secret, or a plain default. */
export interface EnvVar {
  name: string;
  /** Generated with crypto.randomBytes when `.env` is created; never written anywhere else. */
  secret: boolean;
  /** Value for non-secret variables (user and database names). */
  value: string;
  comment: string;
}

/** A compose secret (a file under /run/secrets/) whose value compose reads from a `.env` variable. */
export interface SecretFile {
  /** Compose secret name: the file is /run/secrets/<name>. */
  name: string;
  /** The `.env` variable holding the value. */
  env: string;
}

export interface Limits {
  cpus: string;
  memory: string;
  /** Processes and threads (a fork bomb or a thread leak stops here, not at the host's limit). */
  pids: number;
}

export interface BackingModel {
  name: string;
  kind: BackingService['kind'];
  image: string;
  port: number;
  environment: Array<[string, string]>;
  command: string[] | null;
  /** Compose healthcheck `test` (with its CMD / CMD-SHELL head), or null when the image has no probe. */
  healthcheck: string[] | null;
  /** Data folder: a named volume when persistent, a tmpfs in compose.test.yaml. */
  dataDir: string | null;
  volume: string | null;
  initScripts: Array<{ source: string; target: string }>;
  hostname: string | null;
  /** More host names on the backend network: the ones the apps' code connects to. */
  aliases: string[];
  env: EnvVar[];
  /** Variables an application that depends on this service receives. */
  wiring: Array<[string, string]>;
  /** Secret files the container reads its credentials from. */
  secrets: SecretFile[];
  /** Capabilities added back after `cap_drop: [ALL]`. */
  capAdd: string[];
  limits: Limits;
  note: string | null;
}

export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

export function backingModel(spec: Spec, name: string, imageMap: ImageMap): BackingModel {
  const b = spec.backingServices[name]!;
  const P = envPrefix(name);
  const input: KindInput = {
    service: b,
    name,
    P,
    dbName: spec.name.replace(/-/g, '_'),
    ref: (fallback) => mapImage(b.image ?? fallback, imageMap),
    inits: (target) => b.initScripts.map((src, i) => ({ source: `./${src}`, target: `${target}/${String(i + 1).padStart(2, '0')}-${src.split('/').pop()}` })),
    pw: { name: `${name}-password`, env: `${P}_PASSWORD` },
    rootPw: { name: `${name}-root-password`, env: `${P}_ROOT_PASSWORD` },
  };
  return { name, kind: b.kind, command: null, hostname: null, aliases: b.aliases, initScripts: [], note: null, secrets: [], capAdd: [], ...BACKING_KINDS[b.kind](input) };
}

export function backingModels(spec: Spec, imageMap: ImageMap): BackingModel[] {
  return Object.keys(spec.backingServices)
    .sort()
    .map((n) => {
      const b = spec.backingServices[n]!;
      const m = b.auth === 'none' ? withoutAuth(backingModel(spec, n, imageMap), spec) : backingModel(spec, n, imageMap);
      return b.persistence ? m : { ...m, volume: null };
    });
}

/**
 * A backing service for code that connects with no credentials: postgres trusts every connection,
 * mongodb starts without a root user, redis without `requirepass` (and with protected mode off,
 * which would otherwise refuse every connection from another container). It stays on the internal
 * backend network only, and its compose note says what was given up.
 */
export function withoutAuth(m: BackingModel, spec: Spec): BackingModel {
  const b = spec.backingServices[m.name]!;
  const users = Object.entries(spec.services).filter(([, s]) => s.dependsOn.includes(m.name)).map(([n]) => n);
  const note = `No authentication (auth: none): ${users.join(', ') || 'its apps'} connect${users.length === 1 ? 's' : ''} with no password, so none is set; only the internal backend network reaches it. To require one: read the password in the code, add it to wiring, and remove auth: none.`;
  const P = envPrefix(m.name);
  const keepEnv = m.env.filter((v) => !v.secret);
  switch (m.kind) {
    case 'postgres':
      return {
        ...m,
        environment: [...m.environment.filter(([k]) => k !== 'POSTGRES_PASSWORD_FILE'), ['POSTGRES_HOST_AUTH_METHOD', 'trust']],
        secrets: [],
        env: keepEnv,
        note,
      };
    case 'mongodb':
      return {
        ...m,
        environment: m.environment.filter(([k]) => k === 'MONGO_INITDB_DATABASE'),
        secrets: [],
        env: keepEnv.filter((v) => v.name !== `${P}_USER`),
        note,
      };
    case 'redis':
      return {
        ...m,
        // The image's entrypoint still drops root when the command starts with redis-server.
        command: ['redis-server', '--protected-mode', 'no', ...(b.persistence ? ['--appendonly', 'yes'] : ['--save', ''])],
        healthcheck: ['CMD-SHELL', 'redis-cli ping | grep -q PONG'],
        secrets: [],
        env: [],
        note,
      };
    default:
      return m;
  }
}
