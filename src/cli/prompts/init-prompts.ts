/**
 * init's questions, for a person at a terminal. Each question has a flag (asked only when the flag
 * was not given) and a default taken from detection, so pressing Enter throughout equals `--yes`.
 */
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { BACKING_KINDS, type BackingKind, type Topology } from '../../detect/types.js';
import { DEFAULT_WEB_PORT, type SpecFromTopologyOptions, type Target } from '../../spec/from-topology.js';

/** What the flags already decided; undefined means "ask". */
export interface GivenAnswers {
  services?: string[];
  ports: Record<string, number>;
  start: Record<string, string>;
  with?: BackingKind[];
  without?: BackingKind[];
  observability?: boolean;
  proxy?: 'none' | 'traefik' | 'caddy';
  tls?: 'self-signed' | 'acme';
  domains?: string[];
  email?: string;
  ci?: 'github' | 'gitlab' | 'none';
  registry?: string;
  targets?: Target[];
}

function parsePort(v: string): number | string {
  const n = Number(v.trim());
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : 'a port is a whole number from 1 to 65535';
}

export async function askInitOptions(t: Topology, given: GivenAnswers): Promise<SpecFromTopologyOptions> {
  const out: SpecFromTopologyOptions = { ports: { ...given.ports }, start: { ...given.start } };

  let chosen = t.services.map((s) => s.name);
  if (given.services) chosen = given.services;
  else if (t.services.length > 1) {
    chosen = await checkbox({
      message: 'Services to include',
      choices: t.services.map((s) => ({ name: `${s.name} (${s.path}, ${s.language}${s.framework ? ` ${s.framework}` : ''})`, value: s.name, checked: true })),
      required: true,
    });
  }
  out.services = chosen;

  for (const s of t.services.filter((x) => chosen.includes(x.name))) {
    const role = s.role ?? 'web';
    if (role === 'web' && given.ports[s.name] === undefined) {
      const def = s.port ?? DEFAULT_WEB_PORT;
      const answer = await input({ message: `${s.name}: port the app listens on`, default: String(def), validate: (v) => (typeof parsePort(v) === 'number' ? true : String(parsePort(v))) });
      const port = parsePort(answer) as number;
      if (port !== s.port) out.ports![s.name] = port;
    }
    if (role !== 'static' && given.start[s.name] === undefined) {
      const def = s.commands.start ?? '';
      const answer = (await input({ message: `${s.name}: start command`, default: def })).trim();
      if (answer && answer !== def) out.start![s.name] = answer;
    }
  }

  if (given.with === undefined && given.without === undefined) {
    const detected = new Set(t.backingServices.map((b) => b.kind));
    const picked = await checkbox({
      message: 'Backing services',
      choices: BACKING_KINDS.map((k) => ({ name: detected.has(k) ? `${k} (detected)` : k, value: k, checked: detected.has(k) })),
      pageSize: BACKING_KINDS.length,
    });
    out.with = picked.filter((k) => !detected.has(k));
    out.without = [...detected].filter((k) => !picked.includes(k));
  } else {
    if (given.with) out.with = given.with;
    if (given.without) out.without = given.without;
  }

  out.observability = given.observability ?? (await confirm({ message: 'Observability (Prometheus, Grafana, alert rules)?', default: true }));

  const kind =
    given.proxy ??
    (await select({
      message: 'Reverse proxy',
      choices: [
        { name: 'none (publish ports on 127.0.0.1)', value: 'none' as const },
        { name: 'traefik', value: 'traefik' as const },
        { name: 'caddy', value: 'caddy' as const },
      ],
      default: 'none',
    }));
  if (kind !== 'none') {
    const tls =
      given.tls ??
      (await select({
        message: 'TLS certificates',
        choices: [
          { name: 'self-signed (local)', value: 'self-signed' as const },
          { name: "acme (Let's Encrypt; needs a public domain)", value: 'acme' as const },
        ],
        default: 'self-signed',
      }));
    const proxy: NonNullable<SpecFromTopologyOptions['proxy']> = { kind, tls };
    let domains = given.domains;
    if (tls === 'acme' && domains === undefined) {
      const answer = await input({ message: 'Domains (comma-separated)', validate: (v) => (v.trim() ? true : 'acme needs at least one domain') });
      domains = answer.split(',').map((d) => d.trim()).filter(Boolean);
    }
    if (domains) proxy.domains = domains;
    let email = given.email;
    if (tls === 'acme' && email === undefined) email = (await input({ message: 'ACME account e-mail', validate: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? true : 'an e-mail address') })).trim();
    if (email) proxy.email = email;
    out.proxy = proxy;
  } else out.proxy = { kind: 'none' };

  out.ci =
    given.ci ??
    (await select({
      message: 'CI provider',
      choices: [
        { name: 'GitHub Actions', value: 'github' as const },
        { name: 'GitLab CI', value: 'gitlab' as const },
        { name: 'none', value: 'none' as const },
      ],
      default: 'github',
    }));
  if (given.registry !== undefined) out.registry = given.registry || null;
  else if (out.ci !== 'none') out.registry = (await input({ message: 'Image registry (e.g. ghcr.io/acme; empty for none)', default: '' })).trim() || null;

  out.targets =
    given.targets ??
    [
      'compose',
      ...(await checkbox({
        message: 'Deploy targets besides Docker Compose',
        choices: [
          { name: 'Docker Swarm (stack.yaml for docker stack deploy)', value: 'swarm' as const },
          { name: 'Kubernetes (Kustomize base and overlays)', value: 'kubernetes' as const },
        ],
      })),
    ];
  return out;
}
