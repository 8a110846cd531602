/**
 * A healthy container can still be failing to reach its database: a health path that does not touch
 * the database answers 200 while every request behind it fails. While the stack settles, verify reads
 * each app's logs for the line that says so, and quotes it.
 */

/** Phrases that on their own say a client could not use a database, cache or broker. */
const BACKING_FAILURES: RegExp[] = [
  /NOAUTH Authentication required/i,
  /WRONGPASS/,
  /password authentication failed for user/i,
  /no pg_hba\.conf entry/i,
  /could not translate host name/i,
  /Access denied for user/i,
  /Can't connect to (?:local )?MySQL server/i,
  /Communications link failure/i,
  /MongoServerSelectionError|MongoNetworkError/,
  /Error -?\d+ connecting to [\w.-]+:\d+/i,
  /redis\.exceptions\.(?:ConnectionError|AuthenticationError)/,
  /psycopg2?\.OperationalError|sqlalchemy\.exc\.OperationalError/,
];

/**
 * Words by which client libraries name what they failed to reach (`[ioredis] … ENOTFOUND cache`,
 * `pg`'s `connect ECONNREFUSED`): a network failure on a line with one of them is the wiring's.
 */
const CLIENT_WORDS = /redis|postgres|psql|\bpg\b|mysql|mariadb|mongo|amqp|rabbitmq|kafka|\bnats\b|elasticsearch|meilisearch|minio|memcache|jdbc|database|\bdb\b/i;

/** Network failures: they count when the line names a backing service, one of its ports, or a client of one. */
const NETWORK_FAILURES: RegExp[] = [
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH/,
  /connection refused/i,
  /could not connect/i,
  /getaddrinfo/i,
  /no such host/i,
  /Name or service not known|Temporary failure in name resolution|nodename nor servname/i,
  /dial tcp/i,
  /Connection to \S+ refused/i,
  /failed to connect|unable to connect|cannot connect/i,
];

export interface BackingEndpoint {
  /** The compose service name (also its host name on the network). */
  name: string;
  port: number;
}

/** Strip terminal colour codes so patterns match what a person sees. */
const plainText = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * The first log line that shows the app failing to reach a backing service, or undefined. A network
 * error counts only when the line names one of the stack's backing services (by name or port) or a
 * client of one, so an app's own outbound call to some API that is down is not blamed on the wiring.
 */
export function connectionErrorLine(lines: readonly string[], backing: readonly BackingEndpoint[]): string | undefined {
  if (backing.length === 0) return undefined;
  const names = backing.map((b) => new RegExp(`(^|[^\\w-])${b.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w-]|$)`, 'i'));
  const ports = backing.map((b) => new RegExp(`[:\\s,]${b.port}\\b`));
  for (const raw of lines) {
    const line = plainText(raw);
    if (BACKING_FAILURES.some((re) => re.test(line))) return line.trim().slice(0, 500);
    if (NETWORK_FAILURES.some((re) => re.test(line)) && (CLIENT_WORDS.test(line) || names.some((re) => re.test(line)) || ports.some((re) => re.test(line)))) return line.trim().slice(0, 500);
  }
  return undefined;
}
