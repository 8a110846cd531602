/**
 * The typed context of the Docker Swarm stack file (compose.swarm.yaml) and the warnings for what
 * Swarm cannot express. Built from the compose context, so both files agree on images, environment,
 * healthchecks and limits; what differs is what Swarm needs: images by registry tag (Swarm ignores
 * `build:`), variables from the deploying shell (it reads no `.env`), external secrets and configs
 * whose names carry a content hash (Swarm cannot change them in place), rolling-update and restart
 * policies, overlay networks.
 */
import { createHash } from 'node:crypto';
import { StackgenError } from '../../errors.js';
import type { ImageMap } from '../../images/image-map.js';
import type { Spec } from '../../spec/types.generated.js';
import type { RenderWarning } from '../artifact.js';
import { backingModels, type BackingModel, type Limits } from './backing.js';
import { appImages } from './app-images.js';
import { composeContext, type AppServiceCtx, type HealthcheckCtx } from './compose.js';
import { readText } from './repo.js';

export const SWARM_FILE = 'compose.swarm.yaml';

/** Variable holding the image tag CI pushed (the stack file names images by tag, never `:local`). */
export const TAG_VAR = 'TAG';
/** Variable holding the registry prefix when the spec names none (GitHub's ghcr.io/<owner>, GitLab's registry). */
export const REGISTRY_VAR = 'REGISTRY';

export interface SwarmPort {
  target: number;
  published: number;
  mode: 'ingress' | 'host';
}

export interface SwarmUpdate {
  order: 'start-first' | 'stop-first';
  /** Why this order (a comment in the file). */
  why: string;
}

export interface SwarmServiceCtx {
  name: string;
  kind: 'app' | 'backing';
  image: string;
  command: string[] | null;
  hostname: string | null;
  environment: Array<[string, string]>;
  ports: SwarmPort[];
  /** Compose healthcheck test (CMD / CMD-SHELL head included) and timings. */
  healthcheck: HealthcheckCtx | null;
  readOnly: boolean;
  tmpfs: string[];
  /** `volume:/path` mounts (backing data). */
  volumes: string[];
  /** Swarm configs: stack-local key → file inside the container. */
  configs: Array<{ source: string; target: string }>;
  secrets: string[];
  capAdd: string[];
  replicas: number;
  limits: Limits;
  update: SwarmUpdate;
  networks: string[];
  /** Runs to completion: restarted only when it fails, once (compose's `jobs` profile, Kubernetes' Job). */
  job: boolean;
  note: string | null;
}

export interface SwarmSecretCtx {
  /** Key in the stack file (and the file name under /run/secrets/). */
  key: string;
  /** The variable of `.env` holding the value. */
  env: string;
  /** The variable holding the value's content hash (its version): `<env>_VERSION`. */
  versionVar: string;
  /** Name prefix in the swarm; the full name is `<prefix>_<hash>`. */
  prefix: string;
  /** The name as the stack file writes it: the prefix and `${<versionVar>}`. */
  name: string;
}

export interface SwarmConfigCtx {
  key: string;
  /** Swarm object name: project, key and the first 12 hex of the file's SHA-256. */
  name: string;
  file: string;
}

export interface SwarmContext {
  project: string;
  file: string;
  routingMesh: boolean;
  endpointMode: 'vip' | 'dnsrr';
  services: SwarmServiceCtx[];
  secrets: SwarmSecretCtx[];
  configs: SwarmConfigCtx[];
  volumes: string[];
  /** Every variable `docker stack deploy` needs from the shell, sorted (the CI check sets each). */
  deployVars: string[];
  /** The registry prefix as written in image names: the spec's, else `${REGISTRY}`. */
  registry: string;
  /** The spec names no registry: the deploying shell sets REGISTRY. */
  needsRegistry: boolean;
}

/** First 12 hex characters of the SHA-256 of a value: the version in a secret's or config's name. */
export function contentHash(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/** `<project>_<key>`: the name prefix of a versioned secret (the hash of its value follows). */
export function secretPrefix(project: string, key: string): string {
  return `${project}_${key}`;
}

/**
 * `${NAME:?message}`. docker stack's parser looks for `-` before `:?`, so a message with a dash would
 * turn the reference into a default value: messages here have none.
 */
const required = (name: string, what: string) => {
  if (/[-+]/.test(what)) throw new StackgenError('E_INTERNAL', `a required-variable message must not contain - or +: ${what}`);
  return `\${${name}:?${what}}`;
};

/** Names of the `${NAME…}` references `docker stack deploy` fills from the shell (`$$` is a literal dollar). */
export function interpolated(text: string): string[] {
  return [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

function appService(spec: Spec, s: AppServiceCtx, repository: string, registry: string, endpointMode: 'vip' | 'dnsrr'): SwarmServiceCtx {
  const sp = spec.services[s.name]!;
  const host = endpointMode === 'dnsrr';
  const published = sp.publish !== null && sp.port !== null && sp.role !== 'worker' && sp.role !== 'job';
  const port = sp.role === 'static' ? 8080 : sp.port;
  const ports: SwarmPort[] = published && port !== null ? [{ target: port, published: sp.publish!, mode: host ? 'host' : 'ingress' }] : [];
  const update: SwarmUpdate =
    host && ports.length > 0
      ? { order: 'stop-first', why: 'a host-mode port is held by one task per node, so the old task stops before its replacement starts' }
      : { order: 'start-first', why: 'the replacement is healthy before the old task stops: no gap in service' };
  return {
    name: s.name,
    kind: 'app',
    image: `${registry}/${repository}:${required(TAG_VAR, 'set TAG to the image tag CI pushed, e.g. 1.4.2')}`,
    command: null,
    hostname: null,
    environment: s.environment,
    ports,
    healthcheck: s.healthcheck,
    readOnly: s.readOnly,
    tmpfs: s.readOnly ? s.tmpfs : [],
    volumes: [],
    configs: [],
    // Backing-service passwords the app reads as files (its wiring's password-file): the same versioned secrets.
    secrets: s.secrets,
    capAdd: [],
    replicas: s.replicas,
    limits: { cpus: s.cpus, memory: s.memory, pids: s.pids },
    update,
    networks: s.networks,
    job: sp.role === 'job',
    note: null,
  };
}

function backingService(b: BackingModel, project: string, rootDir: string, configs: SwarmConfigCtx[], health: Omit<HealthcheckCtx, 'test'>): SwarmServiceCtx {
  const own: Array<{ source: string; target: string }> = [];
  b.initScripts.forEach((init, i) => {
    const file = init.source.replace(/^\.\//, '');
    const key = `${b.name}-init-${String(i + 1).padStart(2, '0')}`;
    configs.push({ key, name: `${project}_${key}_${contentHash(readText(rootDir, file) ?? '')}`, file: init.source });
    own.push({ source: key, target: init.target });
  });
  return {
    name: b.name,
    kind: 'backing',
    image: b.image,
    command: b.command,
    hostname: b.hostname,
    environment: b.environment,
    ports: [],
    healthcheck: b.healthcheck ? { test: b.healthcheck, ...health } : null,
    readOnly: false,
    tmpfs: [],
    volumes: b.volume && b.dataDir ? [`${b.volume}:${b.dataDir}`] : [],
    configs: own,
    secrets: b.secrets.map((x) => x.name),
    capAdd: b.capAdd,
    replicas: 1,
    limits: b.limits,
    update: { order: 'stop-first', why: 'stateful: two tasks on one data volume would corrupt it' },
    networks: ['backend'],
    job: false,
    note: b.note,
  };
}

/** Images are named as CI pushes them (`appImages`), so the file runs what the pipeline published. */
export function swarmContext(spec: Spec, rootDir: string, imageMap: ImageMap): SwarmContext {
  const compose = composeContext(spec, rootDir, imageMap);
  const repositories = new Map([...appImages(spec, compose).values()].flatMap((img) => img.services.map((s) => [s, img.repository] as const)));
  const registry = spec.ci.registry ? spec.ci.registry.replace(/\/+$/, '') : required(REGISTRY_VAR, 'set REGISTRY to the registry CI pushed to, e.g. ghcr.io/acme');
  const endpointMode = spec.swarm.routingMesh ? 'vip' : 'dnsrr';
  const configs: SwarmConfigCtx[] = [];
  const services = [
    ...compose.services.map((s) => appService(spec, s, repositories.get(s.name) ?? `${spec.ci.image ?? spec.name}-${s.name}`, registry, endpointMode)),
    ...backingModels(spec, imageMap).map((b) => backingService(b, spec.name, rootDir, configs, compose.backingHealth)),
  ];
  const secrets: SwarmSecretCtx[] = compose.backing
    .flatMap((b) => b.secrets)
    .map((x) => {
      const versionVar = `${x.env}_VERSION`;
      const prefix = secretPrefix(spec.name, x.name);
      return { key: x.name, env: x.env, versionVar, prefix, name: `${prefix}_${required(versionVar, `create the secret and export ${versionVar}: see the top of this file`)}` };
    });
  const deployVars = [...new Set([...interpolated(JSON.stringify(services)), ...secrets.map((x) => x.versionVar)])].sort();
  return {
    project: spec.name,
    file: SWARM_FILE,
    routingMesh: spec.swarm.routingMesh,
    endpointMode,
    services,
    secrets,
    configs,
    volumes: compose.backing.map((b) => b.volume).filter((v): v is string => v !== null).sort(),
    deployVars,
    registry,
    needsRegistry: !spec.ci.registry,
  };
}

/**
 * What the stack file cannot say the way compose.yaml does, one warning per spec field, each with
 * what the user must do. Pure: the same spec gives the same warnings.
 */
export function swarmWarnings(spec: Spec): RenderWarning[] {
  const out: RenderWarning[] = [];
  const warn = (field: string, message: string, hint: string) => out.push({ target: 'swarm', field, message, hint });
  for (const [name, s] of Object.entries(spec.services)) {
    if (s.dependsOn.length > 0) {
      warn(
        `services.${name}.dependsOn`,
        `Swarm starts services in any order and ignores depends_on; ${name} is restarted (restart_policy: any) until what it needs answers, and is not sent traffic before its healthcheck passes`,
        `Make ${name} retry its connections to ${s.dependsOn.join(', ')} at startup instead of exiting for good.`,
      );
    }
    if (s.publish !== null && s.role !== 'worker') {
      warn(
        `services.${name}.publish`,
        spec.swarm.routingMesh
          ? `Swarm publishes port ${s.publish} on every interface of every node (compose binds 127.0.0.1 only)`
          : `port ${s.publish} is published in host mode on every interface of the node running ${name}; a task and its replacement cannot share it, so ${name} updates stop-first (a short outage per update)`,
        spec.swarm.routingMesh
          ? `Firewall port ${s.publish} to the addresses that may reach ${name}, or set publish: null and put a proxy in front.`
          : `For updates without an outage, enable the routing mesh (swarm.routingMesh: true, needs IPVS) or run ${name} unpublished behind a proxy.`,
      );
      if (!spec.swarm.routingMesh && s.replicas > 1) {
        warn(`services.${name}.replicas`, `${s.replicas} replicas of ${name} hold host port ${s.publish} in host mode: at most one task per node can run`, `Run ${name} on at least ${s.replicas} nodes, or lower replicas to 1.`);
      }
    }
  }
  for (const [name, b] of Object.entries(spec.backingServices)) {
    if (b.persistence) {
      warn(
        `backingServices.${name}.persistence`,
        `the ${name}-data volume is local to the node that runs ${name}: on another node it would start empty`,
        `On a swarm of several nodes, pin ${name} to one node: label it (docker node update --label-add ${spec.name}.${name}=true NODE) and add placement.constraints [node.labels.${spec.name}.${name} == true] to ${name} in ${SWARM_FILE}, or use a volume driver shared by the nodes.`,
      );
    }
  }
  if (spec.observability.prometheus || spec.observability.grafana) {
    warn('observability', `Prometheus and Grafana are not in ${SWARM_FILE}: through a service's virtual IP Prometheus would scrape one random task per scrape`, 'Run them with compose.yaml (profile observability) next to the swarm, or scrape the swarm with dns_sd_configs on tasks.<service>.');
  }
  if (spec.proxy.kind !== 'none') {
    warn('proxy.kind', `the ${spec.proxy.kind} proxy is not in ${SWARM_FILE}: its routes are compose's (file-based), not Swarm's`, `Run a proxy that discovers Swarm services (Traefik's swarm provider), or publish the web services and point your load balancer at the nodes.`);
  }
  warn('services', 'Swarm ignores security_opt, so no-new-privileges is not set on the tasks (capabilities are still dropped)', 'Set "no-new-privileges": true in /etc/docker/daemon.json on every node (it then applies to every container).');
  return out;
}
