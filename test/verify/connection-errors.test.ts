/** The log lines verify quotes when an app cannot reach its database, cache or broker — real clients' own wording. */
import { describe, expect, it } from 'vitest';
import { connectionErrorLine } from '../../src/verify/connection-errors.js';

const backing = [
  { name: 'postgres', port: 5432 },
  { name: 'redis', port: 6379 },
];

describe('connectionErrorLine', () => {
  it.each([
    ['ioredis without the password', '[ioredis] Unhandled error event: ReplyError: NOAUTH Authentication required.'],
    ['ioredis at a host that does not exist', '[ioredis] Unhandled error event: Error: getaddrinfo ENOTFOUND cache'],
    ['node-postgres refused', 'Error: connect ECONNREFUSED 172.18.0.2:5432'],
    ['node-postgres with the wrong password', 'error: password authentication failed for user "app"'],
    ['redis-py at a missing host', 'redis.exceptions.ConnectionError: Error -2 connecting to cache:6379. Name or service not known.'],
    ['psycopg at a missing host', 'psycopg2.OperationalError: could not translate host name "db" to address: Name or service not known'],
    ['Go lib/pq refused', 'dial tcp 172.18.0.3:5432: connect: connection refused'],
    ['Go at a missing host named after the service', 'dial tcp: lookup redis on 127.0.0.11:53: no such host'],
    ['JDBC', 'org.postgresql.util.PSQLException: Connection to db:5432 refused. Check that the hostname and port are correct'],
    ['MySQL clients', "ERROR 1045 (28000): Access denied for user 'app'@'172.18.0.4' (using password: YES)"],
    ['mongodb driver', 'MongoServerSelectionError: getaddrinfo ENOTFOUND mongo'],
  ])('quotes %s', (_what, line) => {
    expect(connectionErrorLine(['listening on :3000', line, 'GET /health 200'], backing)).toBe(line);
  });

  it('leaves an app alone whose logs only show it working', () => {
    expect(connectionErrorLine(['connected to postgres at postgres:5432', 'redis ready', 'GET /health 200 1.2 ms'], backing)).toBeUndefined();
  });

  it('does not blame the wiring for an outbound call to some other host', () => {
    expect(connectionErrorLine(['FetchError: request to https://fonts.example.com/css failed, reason: getaddrinfo ENOTFOUND fonts.example.com'], backing)).toBeUndefined();
    expect(connectionErrorLine(['Error: connect ECONNREFUSED 10.0.0.9:8443'], backing)).toBeUndefined();
  });

  it('names nothing when the stack has no backing services', () => {
    expect(connectionErrorLine(['[ioredis] Unhandled error event: ReplyError: NOAUTH Authentication required.'], [])).toBeUndefined();
  });

  it('reads through terminal colours and quotes the line as a person sees it', () => {
    expect(connectionErrorLine(['\u001b[31mError: connect ECONNREFUSED 172.18.0.2:6379\u001b[39m'], backing)).toBe('Error: connect ECONNREFUSED 172.18.0.2:6379');
  });
});

describe('verify options', () => {
  it('refuses a settle or timeout that is not a duration before touching anything', async () => {
    const { verify } = await import('../../src/verify/verify.js');
    await expect(verify('/nonexistent', { settle: 'soon' })).rejects.toMatchObject({ code: 'E_INPUT', message: '--settle soon: not a duration' });
    await expect(verify('/nonexistent', { timeout: '3 minutes' })).rejects.toMatchObject({ code: 'E_INPUT', message: '--timeout 3 minutes: not a duration' });
  });
});
