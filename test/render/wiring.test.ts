/** Wiring in the rendered stack: variables filled the way the app reads them, secret files, aliases, auth none, and what cannot be filled. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { render } from '../../src/render/render.js';
import { validateSpec } from '../../src/spec/load.js';
import { tempRepo } from '../helpers/temp-repo.js';

function root(): string {
  return tempRepo({ 'package.json': '{"name":"api"}', 'package-lock.json': '{"lockfileVersion":3}' }, 'sg-wiring-');
}

const input = (api: Record<string, unknown>, backing: Record<string, unknown> = {}) => ({
  version: 1,
  name: 'shop',
  services: { api: { path: '.', language: 'node', port: 3000, dependsOn: ['postgres', 'redis'], ...api } },
  backingServices: { postgres: { kind: 'postgres' }, redis: { kind: 'redis', ...backing } },
  observability: { prometheus: false, grafana: false, alertRules: false },
});

describe('wiring', () => {
  it('fills split variables, mounts a password file as a secret, aliases the host the code uses, runs redis without auth and says so', async () => {
    const v = validateSpec(input({ wiring: { DB_HOST: 'postgres.host', DB_PORT: 'postgres.port', DB_PASSWORD: 'postgres.password-file', JDBC: 'postgres.jdbc-url' }, expects: ['STRIPE_API_KEY'] }, { aliases: ['cache'], auth: 'none' }));
    expect(v.errors).toEqual([]);
    const tree = await render(v.spec!, { rootDir: root() });
    const compose = parse(tree.read('compose.yaml')!);
    const api = compose.services.api;
    expect(api.environment).toMatchObject({ DB_HOST: 'postgres', DB_PORT: '5432', DB_PASSWORD: '/run/secrets/postgres-password', JDBC: 'jdbc:postgresql://postgres:5432/${POSTGRES_DB}', REDIS_URL: 'redis://redis:6379/0' });
    expect(api.environment.DATABASE_URL).toBeUndefined();
    expect(api.secrets).toEqual(['postgres-password']);
    expect(compose.services.redis.networks).toEqual({ backend: { aliases: ['cache'] } });
    expect(compose.services.redis.command).toEqual(['redis-server', '--protected-mode', 'no', '--appendonly', 'yes']);
    expect(compose.services.redis.secrets).toBeUndefined();
    expect(compose.secrets['redis-password']).toBeUndefined();
    expect(tree.read('.env.example')).toMatch(/# api:\n# STRIPE_API_KEY=\n/);
    const messages = tree.warnings.map((w) => w.message).join('\n');
    expect(messages).toMatch(/redis runs without authentication/);
    expect(messages).toMatch(/api reads STRIPE_API_KEY with no default/);
  });

  it("names a framework's many optional reads briefly (Laravel's config/*.php reads ~45): eight, then a count; .env.example lists them all", async () => {
    const names = Array.from({ length: 11 }, (_, i) => `AWS_SETTING_${i + 1}`);
    const v = validateSpec(input({ expects: names }));
    expect(v.errors).toEqual([]);
    const tree = await render(v.spec!, { rootDir: root() });
    const warning = tree.warnings.find((w) => /cannot fill/.test(w.message))!;
    expect(warning.message).toContain(`api reads ${names.slice(0, 8).join(', ')} and 3 more with no default`);
    expect(warning.message).not.toContain('AWS_SETTING_9');
    for (const n of names) expect(tree.read('.env.example')).toContain(`# ${n}=`);
  });

  it('a backing service the app reads nothing for keeps its default variable, with its password', async () => {
    const v = validateSpec(input({}));
    const compose = parse((await render(v.spec!, { rootDir: root() })).read('compose.yaml')!);
    expect(compose.services.api.environment.REDIS_URL).toBe('redis://:${REDIS_PASSWORD}@redis:6379/0');
    expect(compose.services.api.environment.DATABASE_URL).toMatch(/^postgres:\/\/\$\{POSTGRES_USER\}:\$\{POSTGRES_PASSWORD\}@postgres:5432\//);
  });

  it.each([
    [{ wiring: { X: 'mysql.host' } }, {}, 'services.api.wiring.X', 'not a backing service'],
    [{ wiring: { X: 'redis.jdbc-url' } }, {}, 'services.api.wiring.X', 'no `jdbc-url` setting'],
    [{ wiring: { X: 'postgres.host' }, dependsOn: ['redis'] }, {}, 'services.api.wiring.X', 'does not depend on it'],
    [{}, { aliases: ['api'] }, 'backingServices.redis.aliases.0', 'already the name'],
  ])('refuses %j / %j at %s', (api, backing, at, message) => {
    const v = validateSpec(input(api, backing));
    expect(v.errors.map((e) => `${e.path} ${e.message}`).join('\n')).toContain(message);
  });
});
