/**
 * One small typed builder per backing-service kind: the image, port, environment, healthcheck, data
 * folder, `.env` variables and the connection variables a dependent app receives. What a kind does
 * not set takes the defaults in backingModel (no command, no secret files, nothing added back after
 * `cap_drop: [ALL]`). The table is keyed by every kind of the schema: a new kind without a builder
 * does not compile.
 */
import { IMAGES } from '../../../images/catalog.js';
import type { BackingService } from '../../../spec/types.generated.js';
import type { BackingModel, EnvVar, SecretFile } from '../backing.js';

export type BackingKind = BackingService['kind'];

/** What a builder gets: the spec entry and the names derived from it. */
export interface KindInput {
  service: BackingService;
  name: string;
  /** Prefix of the service's `.env` variables (`ORDERS_DB` for `orders-db`). */
  P: string;
  /** The project name as a database, user or bucket name. */
  dbName: string;
  /** The image the spec names, else `fallback`, mapped through the spec's mirror and overrides. */
  ref: (fallback: string) => string;
  /** The spec's init scripts as mounts into `target`, numbered in order. */
  inits: (target: string) => BackingModel['initScripts'];
  /** The service password and root password, as compose secret files. */
  pw: SecretFile;
  rootPw: SecretFile;
}

/** What each kind decides; optional fields default in backingModel. */
export type KindFields = Pick<BackingModel, 'image' | 'port' | 'environment' | 'healthcheck' | 'dataDir' | 'volume' | 'env' | 'wiring' | 'limits'> &
  Partial<Pick<BackingModel, 'command' | 'secrets' | 'capAdd' | 'hostname' | 'note' | 'initScripts'>>;

/** Where the official database images run init scripts from. */
const INIT_DIR = '/docker-entrypoint-initdb.d';

/**
 * What an official entrypoint that starts as root needs before it drops to its service user
 * (postgres, mysql, mariadb, mongo, rabbitmq: `find DATA ! -user svc -exec chown`, chmod, then
 * gosu/setpriv): chown a data folder another uid owns, traverse/chmod the 0700 folder the service
 * user made on the last run, switch user and group. Measured on the engine with the postgres
 * stand-in: without DAC_OVERRIDE a restart on existing data fails (`find: Permission denied`),
 * without FOWNER the first start (`chmod: Operation not permitted`), without SETUID/SETGID
 * every start; CHOWN repairs a volume another uid owns, as the official entrypoint does.
 */
const ROOT_THEN_DROP = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'];

/** /run/secrets/<name>: where compose puts a secret file in the container. */
export function secretPath(name: string): string {
  return `/run/secrets/${name}`;
}

function password(name: string, what: string): EnvVar {
  return { name, secret: true, value: '', comment: what };
}

function plain(name: string, value: string, what: string): EnvVar {
  return { name, secret: false, value, comment: what };
}

export const BACKING_KINDS: { [K in BackingKind]: (input: KindInput) => KindFields } = {
  postgres: ({ name, P, dbName, ref, inits, pw }) => ({
    image: ref(IMAGES.postgres.ref),
    port: 5432,
    environment: [['POSTGRES_USER', `\${${P}_USER}`], ['POSTGRES_PASSWORD_FILE', secretPath(pw.name)], ['POSTGRES_DB', `\${${P}_DB}`]],
    secrets: [pw],
    capAdd: ROOT_THEN_DROP,
    limits: { cpus: '1.0', memory: '1G', pids: 512 },
    // -h 127.0.0.1: the entrypoint's temporary init server listens on the socket only.
    healthcheck: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"'],
    dataDir: '/var/lib/postgresql/data',
    volume: `${name}-data`,
    initScripts: inits(INIT_DIR),
    env: [plain(`${P}_USER`, dbName, `${name} user`), password(`${P}_PASSWORD`, `${name} password`), plain(`${P}_DB`, dbName, `${name} database`)],
    wiring: [['DATABASE_URL', `postgres://\${${P}_USER}:\${${P}_PASSWORD}@${name}:5432/\${${P}_DB}`]],
  }),
  mysql: (k) => mysqlLike('mysql', k),
  mariadb: (k) => mysqlLike('mariadb', k),
  mongodb: ({ name, P, dbName, ref, inits, pw }) => ({
    image: ref(IMAGES.mongodb.ref),
    port: 27017,
    environment: [
      ['MONGO_INITDB_ROOT_USERNAME', `\${${P}_USER}`],
      ['MONGO_INITDB_ROOT_PASSWORD_FILE', secretPath(pw.name)],
      ['MONGO_INITDB_DATABASE', `\${${P}_DB}`],
    ],
    secrets: [pw],
    capAdd: ROOT_THEN_DROP,
    limits: { cpus: '1.0', memory: '1G', pids: 512 },
    healthcheck: ['CMD', 'mongosh', '--quiet', '--eval', "quit(db.adminCommand('ping').ok ? 0 : 1)"],
    dataDir: '/data/db',
    volume: `${name}-data`,
    initScripts: inits(INIT_DIR),
    env: [plain(`${P}_USER`, dbName, `${name} root user`), password(`${P}_PASSWORD`, `${name} root password`), plain(`${P}_DB`, dbName, `${name} database`)],
    wiring: [['MONGODB_URL', `mongodb://\${${P}_USER}:\${${P}_PASSWORD}@${name}:27017/\${${P}_DB}?authSource=admin`]],
  }),
  redis: ({ service: b, name, P, ref, pw }) => ({
    image: ref(IMAGES.redis.ref),
    port: 6379,
    environment: [],
    command: redisCommand(secretPath(pw.name), b.persistence),
    // REDISCLI_AUTH: the password reaches redis-cli through its environment, not its argv.
    healthcheck: ['CMD-SHELL', `REDISCLI_AUTH="$$(cat ${secretPath(pw.name)})" redis-cli ping | grep -q PONG`],
    secrets: [pw],
    // The entrypoint chowns /data and drops to redis; /data/appendonlydir is 0700 after a run.
    capAdd: ['CHOWN', 'DAC_OVERRIDE', 'SETGID', 'SETUID'],
    limits: { cpus: '1.0', memory: '512M', pids: 128 },
    dataDir: '/data',
    volume: `${name}-data`,
    env: [password(`${P}_PASSWORD`, `${name} password`)],
    wiring: [['REDIS_URL', `redis://:\${${P}_PASSWORD}@${name}:6379/0`]],
  }),
  rabbitmq: ({ name, P, dbName, ref }) => ({
    image: ref(IMAGES.rabbitmq.ref),
    port: 5672,
    environment: [['RABBITMQ_DEFAULT_USER', `\${${P}_USER}`], ['RABBITMQ_DEFAULT_PASS', `\${${P}_PASSWORD}`]],
    healthcheck: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'],
    capAdd: ROOT_THEN_DROP,
    limits: { cpus: '1.0', memory: '1G', pids: 512 },
    dataDir: '/var/lib/rabbitmq',
    volume: `${name}-data`,
    // RabbitMQ names its data folder after the host name: keep it stable across restarts.
    hostname: name,
    env: [plain(`${P}_USER`, dbName, `${name} user`), password(`${P}_PASSWORD`, `${name} password`)],
    wiring: [['AMQP_URL', `amqp://\${${P}_USER}:\${${P}_PASSWORD}@${name}:5672/`]],
  }),
  kafka: ({ name, ref }) => ({
    image: ref(IMAGES.kafka.ref),
    port: 9092,
    environment: [
      ['KAFKA_NODE_ID', '1'],
      ['KAFKA_PROCESS_ROLES', 'broker,controller'],
      ['KAFKA_LISTENERS', 'PLAINTEXT://:9092,CONTROLLER://:9093'],
      ['KAFKA_ADVERTISED_LISTENERS', `PLAINTEXT://${name}:9092`],
      ['KAFKA_CONTROLLER_LISTENER_NAMES', 'CONTROLLER'],
      ['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
      ['KAFKA_CONTROLLER_QUORUM_VOTERS', `1@${name}:9093`],
      ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', '1'],
      ['KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', '1'],
      ['KAFKA_TRANSACTION_STATE_LOG_MIN_ISR', '1'],
      ['KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS', '0'],
      ['KAFKA_LOG_DIRS', '/var/lib/kafka/data'],
    ],
    healthcheck: ['CMD', '/opt/kafka/bin/kafka-broker-api-versions.sh', '--bootstrap-server', '127.0.0.1:9092'],
    // The image runs as its own user (appuser): nothing to add back.
    limits: { cpus: '1.0', memory: '1G', pids: 1024 },
    dataDir: '/var/lib/kafka/data',
    volume: `${name}-data`,
    env: [],
    wiring: [['KAFKA_BROKERS', `${name}:9092`]],
    note: 'Single KRaft node without SASL: reachable only on the internal backend network.',
  }),
  nats: ({ name, P, dbName, ref }) => ({
    image: ref(IMAGES.nats.ref),
    port: 4222,
    environment: [],
    command: ['--jetstream', '--store_dir', '/data', '--http_port', '8222', '--user', `\${${P}_USER}`, '--pass', `\${${P}_PASSWORD}`],
    // The official image is FROM scratch: no shell, no HTTP client, so no healthcheck to run.
    healthcheck: null,
    limits: { cpus: '0.5', memory: '256M', pids: 128 },
    dataDir: '/data',
    volume: `${name}-data`,
    env: [plain(`${P}_USER`, dbName, `${name} user`), password(`${P}_PASSWORD`, `${name} password`)],
    wiring: [['NATS_URL', `nats://\${${P}_USER}:\${${P}_PASSWORD}@${name}:4222`]],
    note: 'The nats image has no shell or HTTP client: dependents wait for it to start, not to be healthy.',
  }),
  elasticsearch: ({ name, P, ref }) => ({
    image: ref(IMAGES.elasticsearch.ref),
    port: 9200,
    environment: [
      ['discovery.type', 'single-node'],
      ['ELASTIC_PASSWORD', `\${${P}_PASSWORD}`],
      ['xpack.security.enabled', 'true'],
      ['xpack.security.http.ssl.enabled', 'false'],
      ['xpack.security.transport.ssl.enabled', 'false'],
      ['ES_JAVA_OPTS', '-Xms512m -Xmx512m'],
    ],
    healthcheck: ['CMD-SHELL', 'curl -fsS -u "elastic:$$ELASTIC_PASSWORD" "http://127.0.0.1:9200/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null'],
    // The image runs as uid 1000; a JVM with many threads.
    limits: { cpus: '1.0', memory: '1G', pids: 1024 },
    dataDir: '/usr/share/elasticsearch/data',
    volume: `${name}-data`,
    env: [password(`${P}_PASSWORD`, `${name} password of the elastic user`)],
    wiring: [['ELASTICSEARCH_URL', `http://elastic:\${${P}_PASSWORD}@${name}:9200`]],
  }),
  meilisearch: ({ name, P, ref }) => ({
    image: ref(IMAGES.meilisearch.ref),
    port: 7700,
    environment: [['MEILI_MASTER_KEY', `\${${P}_MASTER_KEY}`], ['MEILI_ENV', 'production'], ['MEILI_NO_ANALYTICS', 'true']],
    healthcheck: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:7700/health'],
    limits: { cpus: '1.0', memory: '512M', pids: 256 },
    dataDir: '/meili_data',
    volume: `${name}-data`,
    env: [password(`${P}_MASTER_KEY`, `${name} master key`)],
    wiring: [['MEILI_HOST', `http://${name}:7700`], ['MEILI_MASTER_KEY', `\${${P}_MASTER_KEY}`]],
  }),
  minio: ({ name, P, dbName, ref, rootPw }) => ({
    image: ref(IMAGES.minio.ref),
    port: 9000,
    environment: [['MINIO_ROOT_USER', `\${${P}_ROOT_USER}`], ['MINIO_ROOT_PASSWORD_FILE', secretPath(rootPw.name)]],
    secrets: [rootPw],
    limits: { cpus: '1.0', memory: '512M', pids: 256 },
    command: ['server', '/data', '--console-address', ':9001'],
    healthcheck: ['CMD', 'mc', 'ready', 'local'],
    dataDir: '/data',
    volume: `${name}-data`,
    env: [plain(`${P}_ROOT_USER`, dbName, `${name} access key`), password(`${P}_ROOT_PASSWORD`, `${name} secret key`)],
    wiring: [['S3_ENDPOINT', `http://${name}:9000`], ['S3_ACCESS_KEY_ID', `\${${P}_ROOT_USER}`], ['S3_SECRET_ACCESS_KEY', `\${${P}_ROOT_PASSWORD}`]],
  }),
  memcached: ({ name, ref }) => ({
    image: ref(IMAGES.memcached.ref),
    port: 11211,
    environment: [],
    healthcheck: ['CMD', 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'version\\r\\n' >&3 && head -c 7 <&3 | grep -q VERSION`],
    limits: { cpus: '0.5', memory: '256M', pids: 128 },
    dataDir: null,
    volume: null,
    env: [],
    wiring: [['MEMCACHED_SERVERS', `${name}:11211`]],
    note: 'memcached has no authentication: reachable only on the internal backend network.',
  }),
};

/** MySQL and MariaDB: the same entrypoint contract under each image's own variable prefix. */
function mysqlLike(flavor: 'mysql' | 'mariadb', { name, P, dbName, ref, inits, pw, rootPw }: KindInput): KindFields {
  const M = flavor === 'mysql' ? 'MYSQL' : 'MARIADB';
  return {
    image: ref(flavor === 'mysql' ? IMAGES.mysql.ref : IMAGES.mariadb.ref),
    port: 3306,
    environment: [
      [`${M}_DATABASE`, `\${${P}_DATABASE}`],
      [`${M}_USER`, `\${${P}_USER}`],
      [`${M}_PASSWORD_FILE`, secretPath(pw.name)],
      [`${M}_ROOT_PASSWORD_FILE`, secretPath(rootPw.name)],
    ],
    secrets: [pw, rootPw],
    capAdd: ROOT_THEN_DROP,
    limits: { cpus: '1.0', memory: '1G', pids: 512 },
    // No credentials: `mysqladmin ping` exits 0 whenever the server answers, "Access denied"
    // included, and the entrypoint's init server listens on its socket only, not 127.0.0.1.
    // MariaDB's healthcheck.sh reads the credentials its entrypoint wrote to a file.
    healthcheck: flavor === 'mysql' ? ['CMD', 'mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'] : ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
    dataDir: '/var/lib/mysql',
    volume: `${name}-data`,
    initScripts: inits(INIT_DIR),
    env: [
      plain(`${P}_USER`, dbName, `${name} user`),
      password(`${P}_PASSWORD`, `${name} password`),
      password(`${P}_ROOT_PASSWORD`, `${name} root password`),
      plain(`${P}_DATABASE`, dbName, `${name} database`),
    ],
    wiring: [['DATABASE_URL', `mysql://\${${P}_USER}:\${${P}_PASSWORD}@${name}:3306/\${${P}_DATABASE}`]],
  };
}

/**
 * redis-server reads its password from a configuration on stdin (`redis-server -`), written by the
 * shell from the secret file: never in an argv, an environment or `docker inspect`. The shell then
 * execs the image's own entrypoint with `redis-server` first, so it still chowns /data and drops
 * root exactly as it does for a plain `redis-server` command. In the configuration the password is a
 * double-quoted string, so `\\` and `"` in it are escaped.
 */
function redisCommand(secretFile: string, persistent: boolean): string[] {
  const options = persistent ? '--appendonly yes' : '--save ""';
  return ['sh', '-c', `exec docker-entrypoint.sh redis-server - ${options} <<EOF\nrequirepass "$$(sed 's/[\\\\"]/\\\\&/g' ${secretFile})"\nEOF\n`];
}
