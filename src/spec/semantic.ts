/**
 * What the schema cannot say: names that must exist, ports that must not collide, files that must
 * be there, and combinations that only make sense together. Runs on a schema-valid spec (defaults
 * filled), so every field has its type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { closest } from './levenshtein.js';
import type { Spec } from './types.generated.js';
import type { Anchor, Segment } from './yaml-source.js';

/** The connection settings of a backing kind that `wiring` can fill (contexts/wiring.ts renders them). */
export function wireFieldsOf(kind: string): string[] {
  const net = ['host', 'port', 'hostport'];
  switch (kind) {
    case 'postgres':
    case 'mysql':
    case 'mariadb':
      return [...net, 'database', 'user', 'password', 'password-file', 'url', 'jdbc-url'];
    case 'mongodb':
      return [...net, 'database', 'user', 'password', 'password-file', 'url'];
    case 'redis':
      return [...net, 'database', 'user', 'password', 'password-file', 'url'];
    case 'rabbitmq':
      return [...net, 'user', 'password', 'url'];
    default:
      return [...net, 'url'];
  }
}

export interface SemanticFinding {
  segments: Segment[];
  anchor: Anchor;
  message: string;
  hint?: string;
}

export interface SemanticOptions {
  /** Folder the spec's relative paths are resolved against; file checks are skipped when undefined. */
  baseDir?: string;
}

/** Host ports the rendered stack itself publishes, by the profile that publishes them. */
export function reservedHostPorts(spec: Spec): Map<number, string> {
  const out = new Map<number, string>();
  if (spec.observability.prometheus) out.set(9090, 'Prometheus');
  if (spec.observability.grafana) out.set(3000, 'Grafana');
  if (spec.proxy.kind !== 'none') {
    out.set(80, `the ${spec.proxy.kind} proxy (HTTP)`);
    out.set(443, `the ${spec.proxy.kind} proxy (HTTPS)`);
  }
  return out;
}

/** `${NAME}` (and `${NAME:-default}`); `$$` is a literal dollar. */
const SECRET_REF = /(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\}/g;

function fileExists(p: string): 'file' | 'dir' | null {
  try {
    return fs.statSync(p).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/**
 * Where `rel` really leads when its links are followed, if that is outside `baseDir`: a symlinked
 * folder or file is a way out of the repository, not a part of it. The deepest existing ancestor
 * decides for paths that do not exist (yet).
 */
export function linkOutside(baseDir: string, rel: string): { link: string; target: string } | null {
  let root: string;
  try {
    root = fs.realpathSync(baseDir);
  } catch {
    return null;
  }
  let current = baseDir;
  for (const segment of rel.split('/').filter((x) => x !== '' && x !== '.')) {
    current = path.join(current, segment);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      return null;
    }
    if (!stat.isSymbolicLink()) continue;
    let target: string;
    try {
      target = fs.realpathSync(current);
    } catch {
      target = path.resolve(path.dirname(current), fs.readlinkSync(current));
    }
    if (target !== root && !target.startsWith(root + path.sep)) return { link: path.relative(baseDir, current), target };
  }
  return null;
}

export function semanticFindings(spec: Spec, options: SemanticOptions = {}): SemanticFinding[] {
  const out: SemanticFinding[] = [];
  const serviceNames = Object.keys(spec.services);
  const backingNames = Object.keys(spec.backingServices);
  const known = [...serviceNames, ...backingNames];
  const reserved = reservedHostPorts(spec);
  const publishedBy = new Map<number, string>();

  if (!spec.targets.includes('compose')) {
    // compose.yaml holds the image builds (Swarm ignores `build:`, Kubernetes never builds), so every target needs it.
    out.push({ segments: ['targets'], anchor: 'value', message: '`compose` must stay in targets: compose.yaml holds the image builds the other targets deploy', hint: `Write \`targets: [${['compose', ...spec.targets].join(', ')}]\`.` });
  }

  for (const name of serviceNames) {
    if (backingNames.includes(name)) {
      out.push({ segments: ['backingServices', name], anchor: 'key', message: `\`${name}\` is both a service and a backing service; compose needs one name per container`, hint: `Rename the backing service, e.g. \`${name}-db\`.` });
    }
  }

  for (const [name, s] of Object.entries(spec.services)) {
    const at = (...rest: Segment[]): Segment[] => ['services', name, ...rest];

    s.dependsOn.forEach((dep, i) => {
      if (dep === name) out.push({ segments: at('dependsOn', i), anchor: 'value', message: `\`${name}\` cannot depend on itself` });
      else if (spec.services[dep]?.role === 'job') {
        out.push({ segments: at('dependsOn', i), anchor: 'value', message: `\`${dep}\` is a job: it runs on demand (\`docker compose run --rm ${dep}\`), so nothing can wait for it at start`, hint: `Remove \`${dep}\` from dependsOn, or make it a worker.` });
      }
      else if (!known.includes(dep)) {
        const guess = closest(dep, known);
        out.push({
          segments: at('dependsOn', i),
          anchor: 'value',
          message: `\`${dep}\` is not a service or backing service in this spec`,
          hint: guess ? `Did you mean \`${guess}\`?` : known.length ? `Known names: ${known.join(', ')}.` : 'Declare it under services or backingServices.',
        });
      }
    });

    if (s.role === 'web' && s.port === null) {
      out.push({ segments: at('role'), anchor: 'key', message: 'a web service needs a `port` (the port the app listens on in its container)', hint: 'Add `port: 8080` (your app\'s port), or set `role: worker` (keeps running) or `role: job` (runs to completion) if it serves no HTTP.' });
    }
    if (s.publish !== null) {
      if (s.port === null && s.role !== 'static' && s.role !== 'job') {
        out.push({ segments: at('publish'), anchor: 'value', message: 'publishes a host port but the service has no `port` to publish', hint: 'Set `port`, or remove `publish`.' });
      }
      const other = publishedBy.get(s.publish);
      if (other !== undefined) {
        out.push({ segments: at('publish'), anchor: 'value', message: `host port ${s.publish} is already published by \`${other}\``, hint: 'Pick another host port; each host port can be published once.' });
      } else publishedBy.set(s.publish, name);
      const owner = reserved.get(s.publish);
      if (owner) {
        out.push({ segments: at('publish'), anchor: 'value', message: `host port ${s.publish} is used by ${owner}`, hint: `Pick another host port (e.g. ${s.publish + 1}), or turn that part of the stack off.` });
      }
    }
    if (s.role === 'static' && s.staticDir === null && s.commands.build !== null) {
      out.push({ segments: at('commands', 'build'), anchor: 'key', message: 'a static service with a build command needs `staticDir` (the build output folder)', hint: 'Add e.g. `staticDir: dist`.' });
    }
    const hp = s.healthcheck.path;
    if (hp !== null && !hp.startsWith('/')) {
      out.push({ segments: at('healthcheck', 'path'), anchor: 'value', message: `a health check path starts with '/' (got ${JSON.stringify(hp)})`, hint: `Write \`/${hp.replace(/^\/*/, '')}\`.` });
    }
    if (hp !== null && s.role === 'worker' && s.port === null) {
      out.push({ segments: at('healthcheck', 'path'), anchor: 'value', message: 'a worker listens on no port, so an HTTP health check cannot reach it', hint: 'Remove `healthcheck.path`, or give the worker the `port` its health endpoint listens on.' });
    }
    if (s.role === 'job') {
      if (hp !== null) out.push({ segments: at('healthcheck', 'path'), anchor: 'value', message: 'a job runs to completion: its exit code is its result, not a health check', hint: 'Remove `healthcheck.path`, or make the service a web service.' });
      if (s.publish !== null) out.push({ segments: at('publish'), anchor: 'value', message: 'a job runs to completion, so there is nothing to publish', hint: 'Remove `publish`, or make the service a web service.' });
      if (s.replicas > 1) out.push({ segments: at('replicas'), anchor: 'value', message: 'a job runs once; replicas would run it several times at once', hint: 'Remove `replicas`, or make the service a worker.' });
    }

    for (const [k, v] of Object.entries(s.env)) {
      if (typeof v !== 'string') continue;
      for (const m of v.matchAll(SECRET_REF)) {
        const ref = m[1]!;
        if (s.secrets.includes(ref)) continue;
        out.push({
          segments: at('env', k),
          anchor: 'value',
          message: `\`${ref}\` is referenced but not declared in \`services.${name}.secrets\``,
          hint: `Add \`${ref}\` to this service's \`secrets\` (its value goes in .env, never in the spec), or write $$ for a literal $.`,
        });
      }
      if (s.secrets.includes(k)) {
        out.push({ segments: at('env', k), anchor: 'key', message: `\`${k}\` is both a plain env value and a secret`, hint: 'Keep it in one place: secrets for passwords and keys, env for the rest.' });
      }
    }

    for (const [k, ref] of Object.entries(s.wiring)) {
      const target = ref.slice(0, ref.indexOf('.'));
      const field = ref.slice(ref.indexOf('.') + 1);
      const b = spec.backingServices[target];
      if (!b) {
        const guess = closest(target, backingNames);
        out.push({ segments: at('wiring', k), anchor: 'value', message: `\`${target}\` is not a backing service in this spec`, hint: guess ? `Did you mean \`${guess}.${field}\`?` : 'Declare it under backingServices, or remove this variable.' });
      } else if (!s.dependsOn.includes(target)) {
        out.push({ segments: at('wiring', k), anchor: 'value', message: `\`${name}\` reads ${k} from \`${target}\` but does not depend on it`, hint: `Add \`${target}\` to services.${name}.dependsOn, so it starts (healthy) first.` });
      } else if (!wireFieldsOf(b.kind).includes(field)) {
        out.push({ segments: at('wiring', k), anchor: 'value', message: `${b.kind} has no \`${field}\` setting stackgen can fill`, hint: `One of: ${wireFieldsOf(b.kind).join(', ')}.` });
      }
      if (s.env[k] !== undefined || s.secrets.includes(k)) {
        out.push({ segments: at('wiring', k), anchor: 'key', message: `\`${k}\` is set both by wiring and by env or secrets`, hint: 'Keep it in one place.' });
      }
    }

    if ('path' in s.dockerfile && options.baseDir) {
      const p = path.resolve(options.baseDir, s.dockerfile.path);
      const kind = fileExists(p);
      if (kind !== 'file') {
        out.push({ segments: at('dockerfile', 'path'), anchor: 'value', message: `${kind === 'dir' ? 'is a folder, not a file' : 'no such file'}: ${s.dockerfile.path}`, hint: 'Paths are relative to the folder of stackgen.yaml.' });
      }
    }
    if (options.baseDir && s.path !== '.' && fileExists(path.resolve(options.baseDir, s.path)) !== 'dir') {
      out.push({ segments: at('path'), anchor: 'value', message: `no such folder: ${s.path}`, hint: "A service's path is its folder, relative to stackgen.yaml." });
    }
  }

  for (const [name, b] of Object.entries(spec.backingServices)) {
    b.initScripts.forEach((script, i) => {
      if (!options.baseDir) return;
      if (fileExists(path.resolve(options.baseDir, script)) !== 'file') {
        out.push({ segments: ['backingServices', name, 'initScripts', i], anchor: 'value', message: `no such file: ${script}`, hint: 'Init scripts are relative to the folder of stackgen.yaml.' });
      }
    });
    if (b.auth === 'none' && !['postgres', 'mongodb', 'redis'].includes(b.kind)) {
      out.push({ segments: ['backingServices', name, 'auth'], anchor: 'value', message: `${b.kind} cannot run without authentication here (only postgres, mongodb and redis can)`, hint: 'Remove `auth: none`, and have the app read the password (see README: How apps find their database).' });
    }
    b.aliases.forEach((alias, i) => {
      if (known.includes(alias)) out.push({ segments: ['backingServices', name, 'aliases', i], anchor: 'value', message: `\`${alias}\` is already the name of a service or backing service`, hint: 'Remove the alias: that name already reaches its own container.' });
      for (const [other, ob] of Object.entries(spec.backingServices)) {
        if (other < name && ob.aliases.includes(alias)) out.push({ segments: ['backingServices', name, 'aliases', i], anchor: 'value', message: `\`${alias}\` is an alias of \`${other}\` too`, hint: 'One host name reaches one backing service: remove one alias.' });
      }
    });
    if (b.initScripts.length > 0 && !['postgres', 'mysql', 'mariadb', 'mongodb'].includes(b.kind)) {
      out.push({ segments: ['backingServices', name, 'initScripts'], anchor: 'key', message: `${b.kind} runs no init scripts (only postgres, mysql, mariadb and mongodb do)`, hint: 'Remove `initScripts`.' });
    }
  }

  spec.verify.checks.forEach((c, i) => {
    if (!serviceNames.includes(c.service)) {
      const guess = closest(c.service, serviceNames);
      out.push({ segments: ['verify', 'checks', i, 'service'], anchor: 'value', message: `\`${c.service}\` is not a service in this spec`, hint: guess ? `Did you mean \`${guess}\`?` : `Services: ${serviceNames.join(', ')}.` });
    }
  });

  const k8s = spec.kubernetes;
  if (k8s) {
    const unknown = (segments: Segment[], name: string) => {
      const guess = closest(name, serviceNames);
      out.push({ segments, anchor: 'value', message: `\`${name}\` is not a service in this spec`, hint: guess ? `Did you mean \`${guess}\`?` : `Services: ${serviceNames.join(', ')}.` });
    };
    for (const [job, j] of Object.entries(k8s.jobs)) {
      if (!serviceNames.includes(j.service)) unknown(['kubernetes', 'jobs', job, 'service'], j.service);
      if (serviceNames.includes(job) || job in spec.backingServices) {
        out.push({ segments: ['kubernetes', 'jobs', job], anchor: 'key', message: `\`${job}\` is also a service; Kubernetes needs one name per workload`, hint: `Rename the job, e.g. \`${job}-migrate\`.` });
      }
    }
    for (const host of Object.keys(k8s.ingress.hosts)) {
      if (!serviceNames.includes(host)) {
        const guess = closest(host, serviceNames);
        out.push({ segments: ['kubernetes', 'ingress', 'hosts', host], anchor: 'key', message: `\`${host}\` is not a service in this spec`, hint: guess ? `Did you mean \`${guess}\`?` : `Services: ${serviceNames.join(', ')}.` });
      } else if (spec.services[host]!.publish === null) {
        out.push({ segments: ['kubernetes', 'ingress', 'hosts', host], anchor: 'key', message: `\`${host}\` is not public (no \`publish\`), so it gets no Ingress`, hint: 'Set `publish` on the service to make it public, or remove the host.' });
      }
    }
  }

  if (spec.proxy.kind !== 'none' && spec.proxy.tls === 'acme') {
    if (!spec.proxy.email) out.push({ segments: ['proxy', 'tls'], anchor: 'value', message: 'tls: acme needs `proxy.email` (the ACME account e-mail)', hint: 'Add `email: you@example.com` under proxy.' });
    if (spec.proxy.domains.length === 0) out.push({ segments: ['proxy', 'tls'], anchor: 'value', message: 'tls: acme needs at least one domain in `proxy.domains`', hint: 'Add `domains: [app.example.com]` under proxy (public DNS must point at this host).' });
  }

  if (spec.build.caBundle !== null) {
    const p = options.baseDir ? path.resolve(options.baseDir, spec.build.caBundle) : null;
    if (p !== null && fileExists(p) !== 'file') {
      out.push({ segments: ['build', 'caBundle'], anchor: 'value', message: `no such file: ${spec.build.caBundle}`, hint: 'Point at a PEM file inside the repository, relative to stackgen.yaml; a bundle elsewhere on this machine is passed with `--ca-bundle FILE` or STACKGEN_CA_BUNDLE, never from the spec.' });
    }
  }

  if (options.baseDir) {
    const baseDir = options.baseDir;
    const outside = (segments: Segment[], rel: string | null) => {
      const hit = rel === null ? null : linkOutside(baseDir, rel);
      if (hit) out.push({ segments, anchor: 'value', message: `leads outside the project through the link ${hit.link} → ${hit.target}`, hint: 'stackgen reads and writes only inside the folder of stackgen.yaml: replace the link with the real folder or file.' });
    };
    for (const [name, s] of Object.entries(spec.services)) {
      outside(['services', name, 'path'], s.path);
      outside(['services', name, 'staticDir'], s.staticDir === null ? null : path.posix.join(s.path, s.staticDir));
      if ('path' in s.dockerfile) outside(['services', name, 'dockerfile', 'path'], s.dockerfile.path);
      if ('path' in s.dockerfile && s.dockerfile.context !== undefined) outside(['services', name, 'dockerfile', 'context'], s.dockerfile.context);
    }
    for (const [name, b] of Object.entries(spec.backingServices)) b.initScripts.forEach((script, i) => outside(['backingServices', name, 'initScripts', i], script));
    outside(['build', 'caBundle'], spec.build.caBundle);
  }

  cycles(spec).forEach((cycle) => {
    out.push({ segments: ['services', cycle[0]!, 'dependsOn'], anchor: 'key', message: `dependsOn forms a cycle: ${[...cycle, cycle[0]].join(' → ')}`, hint: 'Compose cannot start services that wait on each other; remove one edge.' });
  });
  return out;
}

/** Dependency cycles among services (depth-first search, a back edge closes a cycle). */
function cycles(spec: Spec): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const d of spec.services[n]?.dependsOn ?? []) {
      if (!spec.services[d]) continue;
      if (state.get(d) === 'open') found.push(stack.slice(stack.indexOf(d)));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of Object.keys(spec.services).sort()) if (!state.has(n)) visit(n);
  return found;
}
