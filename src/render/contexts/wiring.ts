/**
 * How each app reaches its backing services, the way its code reads them: the variables in its
 * `wiring` filled from the backing service's connection settings (a password the app reads from a
 * file is mounted as a compose secret), a backing service with `auth: none` run without a password
 * for code that cannot send one, and the warnings that say what stackgen gave up or could not fill.
 */
import type { BackingService, Spec } from '../../spec/types.generated.js';
import { envPrefix, secretPath, type BackingModel } from './backing.js';

/** How many unfilled variables a warning names before it counts the rest. */
const SHOWN_OPEN = 8;

/** What one wired variable becomes in the app's compose service. */
export interface WiredValue {
  value: string;
  /** A compose secret the app must mount (for `password-file`). */
  secret?: string;
}

/** The `.env` names a backing model keeps its user, password and database in (see backing.ts). */
function names(b: BackingModel): { user?: string; password?: string; database?: string } {
  const P = envPrefix(b.name);
  switch (b.kind) {
    case 'postgres':
    case 'mongodb':
      return { user: `${P}_USER`, password: `${P}_PASSWORD`, database: `${P}_DB` };
    case 'mysql':
    case 'mariadb':
      return { user: `${P}_USER`, password: `${P}_PASSWORD`, database: `${P}_DATABASE` };
    case 'rabbitmq':
      return { user: `${P}_USER`, password: `${P}_PASSWORD` };
    case 'redis':
      return { password: `${P}_PASSWORD` };
    default:
      return {};
  }
}

const ref = (name: string | undefined): string => (name ? `\${${name}}` : '');

/** The value of `<backing>.<field>` for an app, in the scheme its client expects. */
export function wiredValue(b: BackingModel, auth: BackingService['auth'], field: string): WiredValue {
  const n = names(b);
  const open = auth === 'none';
  const host = b.name;
  const user = b.kind === 'redis' ? 'default' : open && b.kind === 'mongodb' ? '' : ref(n.user);
  const pass = open ? '' : ref(n.password);
  const db = b.kind === 'redis' ? '0' : ref(n.database);
  switch (field) {
    case 'host':
      return { value: host };
    case 'port':
      return { value: String(b.port) };
    case 'hostport':
      return { value: `${host}:${b.port}` };
    case 'database':
      return { value: db };
    case 'user':
      return { value: user };
    case 'password':
      return { value: pass };
    case 'password-file': {
      const secret = b.secrets.find((s) => s.env === n.password);
      return secret ? { value: secretPath(secret.name), secret: secret.name } : { value: '' };
    }
    case 'jdbc-url': {
      const scheme = b.kind === 'postgres' ? 'postgresql' : b.kind;
      return { value: `jdbc:${scheme}://${host}:${b.port}/${db}` };
    }
    case 'url':
    default:
      return { value: url(b, open, n, host, db) };
  }
}

function url(b: BackingModel, open: boolean, n: ReturnType<typeof names>, host: string, db: string): string {
  const creds = (user: string) => (open ? (user ? `${user}@` : '') : `${user}:${ref(n.password)}@`);
  switch (b.kind) {
    case 'postgres':
      return `postgres://${creds(ref(n.user))}${host}:${b.port}/${db}`;
    case 'mysql':
    case 'mariadb':
      return `mysql://${creds(ref(n.user))}${host}:${b.port}/${db}`;
    case 'mongodb':
      return open ? `mongodb://${host}:${b.port}/${db}` : `mongodb://${ref(n.user)}:${ref(n.password)}@${host}:${b.port}/${db}?authSource=admin`;
    case 'redis':
      return open ? `redis://${host}:${b.port}/0` : `redis://:${ref(n.password)}@${host}:${b.port}/0`;
    default:
      // Other kinds: the URL their default variable carries.
      return b.wiring[0]?.[1] ?? `${host}:${b.port}`;
  }
}


/** What render reports about wiring: each backing service run without a password, each variable nothing fills. */
export function wiringWarnings(spec: Spec): Array<{ message: string; hint: string }> {
  const out: Array<{ message: string; hint: string }> = [];
  for (const [name, b] of Object.entries(spec.backingServices)) {
    if (b.auth !== 'none') continue;
    const users = Object.entries(spec.services).filter(([, s]) => s.dependsOn.includes(name)).map(([n]) => n);
    out.push({
      message: `${name} runs without authentication (backingServices.${name}.auth: none): ${users.join(', ') || 'no app'} connect${users.length === 1 ? 's' : ''} to it with no password, so the stack gives up ${b.kind} authentication to stay healthy; only the internal backend network reaches it.`,
      hint: `To require a password: have the app read one (e.g. ${envPrefix(name)}_PASSWORD), add \`${envPrefix(name)}_PASSWORD: ${name}.password\` to its wiring in stackgen.yaml, and remove \`auth: none\`.`,
    });
  }
  for (const [name, s] of Object.entries(spec.services)) {
    const filled = new Set([...Object.keys(s.env), ...s.secrets, ...Object.keys(s.wiring)]);
    const open = s.expects.filter((v) => !filled.has(v));
    if (open.length > 0) {
      out.push({
        // A framework's config files can read dozens (Laravel's config/*.php): name a few, count the rest.
        message: `${name} reads ${open.length > SHOWN_OPEN ? `${open.slice(0, SHOWN_OPEN).join(', ')} and ${open.length - SHOWN_OPEN} more` : open.join(', ')} with no default, and stackgen cannot fill ${open.length === 1 ? 'it' : 'them'} (all listed in .env.example and services.${name}.expects).`,
        hint: `Set ${open.length === 1 ? 'it' : 'each'} in services.${name}.env, or services.${name}.secrets for a credential, in stackgen.yaml.`,
      });
    }
  }
  return out;
}

/** Variables an app expects that nothing fills, by service, for `.env.example`. */
export function unfilledVariables(spec: Spec): Array<{ service: string; names: string[] }> {
  return Object.entries(spec.services)
    .map(([service, s]) => {
      const filled = new Set([...Object.keys(s.env), ...s.secrets, ...Object.keys(s.wiring)]);
      return { service, names: s.expects.filter((v) => !filled.has(v)) };
    })
    .filter((x) => x.names.length > 0)
    .sort((a, b) => a.service.localeCompare(b.service));
}
