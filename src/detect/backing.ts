/**
 * Backing services (databases, caches, brokers) inferred from the client libraries an app depends
 * on and from connection URLs. One table per package ecosystem; providers look names up here
 * instead of keeping their own lists.
 */
import type { BackingKind } from './types.js';

export type DependencyEcosystem = 'npm' | 'pypi' | 'go' | 'cargo' | 'maven' | 'gem' | 'composer' | 'nuget' | 'hex' | 'pub' | 'hackage' | 'swift' | 'shards' | 'gleam' | 'clojars';

type Table = ReadonlyArray<readonly [RegExp, BackingKind]>;

// Matched against the full dependency name; the first match wins, so specific names come first.
const TABLES: Readonly<Record<DependencyEcosystem, Table>> = {
  npm: [
    [/^(pg|postgres|pg-promise|@neondatabase\/serverless|@vercel\/postgres|slonik|@databases\/pg)$/, 'postgres'],
    [/^(mysql|mysql2|@planetscale\/database)$/, 'mysql'],
    [/^mariadb$/, 'mariadb'],
    [/^(mongodb|mongoose|@typegoose\/typegoose)$/, 'mongodb'],
    [/^(redis|ioredis|@redis\/client|bull|bullmq|bee-queue|connect-redis|@upstash\/redis|kue|rate-limit-redis)$/, 'redis'],
    [/^(amqplib|amqp-connection-manager|rascal|@golevelup\/nestjs-rabbitmq)$/, 'rabbitmq'],
    [/^(kafkajs|node-rdkafka|@confluentinc\/kafka-javascript)$/, 'kafka'],
    [/^(nats|nats\.ws|@nats-io\/.+)$/, 'nats'],
    [/^(@elastic\/elasticsearch|elasticsearch|@opensearch-project\/opensearch)$/, 'elasticsearch'],
    [/^meilisearch$/, 'meilisearch'],
    [/^(minio|@aws-sdk\/client-s3|aws-sdk)$/, 'minio'],
    [/^(memjs|memcached|memcache-client)$/, 'memcached'],
  ],
  pypi: [
    [/^(psycopg|psycopg2|psycopg2-binary|psycopg-binary|asyncpg|pg8000|psycopg-pool)$/i, 'postgres'],
    [/^(mysqlclient|pymysql|mysql-connector-python|aiomysql|asyncmy)$/i, 'mysql'],
    [/^mariadb$/i, 'mariadb'],
    [/^(pymongo|motor|mongoengine|beanie|odmantic)$/i, 'mongodb'],
    [/^(redis|aioredis|django-redis|rq|hiredis|celery\[redis\]|redis-py-cluster|arq|dramatiq\[redis\])$/i, 'redis'],
    [/^(pika|aio-pika|kombu|celery\[amqp\])$/i, 'rabbitmq'],
    [/^(kafka-python|confluent-kafka|aiokafka)$/i, 'kafka'],
    [/^(nats-py|asyncio-nats-client)$/i, 'nats'],
    [/^(elasticsearch|elasticsearch-dsl|opensearch-py)$/i, 'elasticsearch'],
    [/^meilisearch$/i, 'meilisearch'],
    [/^(minio|boto3|aiobotocore|s3fs)$/i, 'minio'],
    [/^(pymemcache|python-memcached|pylibmc|aiomcache)$/i, 'memcached'],
  ],
  go: [
    [/^(github\.com\/lib\/pq|github\.com\/jackc\/pgx(\/v\d+)?|gorm\.io\/driver\/postgres|github\.com\/go-pg\/pg.*)$/, 'postgres'],
    [/^(github\.com\/go-sql-driver\/mysql|gorm\.io\/driver\/mysql)$/, 'mysql'],
    [/^(go\.mongodb\.org\/mongo-driver.*)$/, 'mongodb'],
    [/^(github\.com\/redis\/go-redis(\/v\d+)?|github\.com\/go-redis\/redis(\/v\d+)?|github\.com\/gomodule\/redigo|github\.com\/hibiken\/asynq)$/, 'redis'],
    [/^(github\.com\/rabbitmq\/amqp091-go|github\.com\/streadway\/amqp)$/, 'rabbitmq'],
    [/^(github\.com\/segmentio\/kafka-go|github\.com\/confluentinc\/confluent-kafka-go.*|github\.com\/IBM\/sarama|github\.com\/Shopify\/sarama|github\.com\/twmb\/franz-go.*)$/, 'kafka'],
    [/^(github\.com\/nats-io\/nats\.go)$/, 'nats'],
    [/^(github\.com\/elastic\/go-elasticsearch.*|github\.com\/olivere\/elastic.*)$/, 'elasticsearch'],
    [/^(github\.com\/meilisearch\/meilisearch-go)$/, 'meilisearch'],
    [/^(github\.com\/minio\/minio-go.*)$/, 'minio'],
    [/^(github\.com\/bradfitz\/gomemcache)$/, 'memcached'],
  ],
  cargo: [
    [/^(tokio-postgres|postgres|deadpool-postgres|bb8-postgres)$/, 'postgres'],
    [/^(mysql|mysql_async)$/, 'mysql'],
    [/^(mongodb)$/, 'mongodb'],
    [/^(redis|deadpool-redis|bb8-redis|fred)$/, 'redis'],
    [/^(lapin|amiquip)$/, 'rabbitmq'],
    [/^(rdkafka|kafka)$/, 'kafka'],
    [/^(async-nats|nats)$/, 'nats'],
    [/^(elasticsearch)$/, 'elasticsearch'],
    [/^(meilisearch-sdk)$/, 'meilisearch'],
    [/^(rust-s3|aws-sdk-s3)$/, 'minio'],
    [/^(memcache)$/, 'memcached'],
  ],
  maven: [
    [/^(org\.postgresql:postgresql|io\.r2dbc:r2dbc-postgresql|org\.postgresql:r2dbc-postgresql|io\.vertx:vertx-pg-client|io\.quarkus:quarkus-jdbc-postgresql|io\.quarkus:quarkus-reactive-pg-client)$/, 'postgres'],
    [/^(mysql:mysql-connector-java|com\.mysql:mysql-connector-j|io\.quarkus:quarkus-jdbc-mysql)$/, 'mysql'],
    [/^(org\.mariadb\.jdbc:mariadb-java-client|io\.quarkus:quarkus-jdbc-mariadb)$/, 'mariadb'],
    [/^(org\.mongodb:.*|org\.springframework\.boot:spring-boot-starter-data-mongodb.*|io\.quarkus:quarkus-mongodb.*)$/, 'mongodb'],
    [/^(redis\.clients:jedis|io\.lettuce:lettuce-core|org\.redisson:redisson|org\.springframework\.boot:spring-boot-starter-data-redis.*|io\.quarkus:quarkus-redis.*)$/, 'redis'],
    [/^(com\.rabbitmq:amqp-client|org\.springframework\.boot:spring-boot-starter-amqp|org\.springframework\.amqp:.*|io\.quarkus:quarkus-smallrye-reactive-messaging-rabbitmq)$/, 'rabbitmq'],
    [/^(org\.apache\.kafka:kafka-clients|org\.springframework\.kafka:spring-kafka|io\.quarkus:quarkus-smallrye-reactive-messaging-kafka|io\.quarkus:quarkus-kafka-client)$/, 'kafka'],
    [/^(io\.nats:jnats)$/, 'nats'],
    [/^(co\.elastic\.clients:.*|org\.elasticsearch\.client:.*|org\.springframework\.boot:spring-boot-starter-data-elasticsearch)$/, 'elasticsearch'],
    [/^(com\.meilisearch\.sdk:meilisearch-java)$/, 'meilisearch'],
    [/^(io\.minio:minio)$/, 'minio'],
    [/^(net\.spy:spymemcached|com\.googlecode\.xmemcached:xmemcached)$/, 'memcached'],
  ],
  gem: [
    [/^(pg|sequel_pg)$/, 'postgres'],
    [/^(mysql2|trilogy)$/, 'mysql'],
    [/^(mongoid|mongo)$/, 'mongodb'],
    [/^(redis|sidekiq|resque|kredis|redis-rails|hiredis|redis-client|actioncable-redis)$/, 'redis'],
    [/^(bunny|sneakers|hutch)$/, 'rabbitmq'],
    [/^(ruby-kafka|rdkafka|karafka|racecar)$/, 'kafka'],
    [/^(nats-pure)$/, 'nats'],
    [/^(elasticsearch|searchkick|elasticsearch-model|chewy)$/, 'elasticsearch'],
    [/^(meilisearch|meilisearch-rails)$/, 'meilisearch'],
    [/^(aws-sdk-s3|minio)$/, 'minio'],
    [/^(dalli)$/, 'memcached'],
  ],
  composer: [
    [/^(doctrine\/dbal)$/, 'postgres'],
    [/^(predis\/predis|snc\/redis-bundle|symfony\/redis-messenger)$/, 'redis'],
    [/^(mongodb\/mongodb|doctrine\/mongodb-odm.*)$/, 'mongodb'],
    [/^(php-amqplib\/php-amqplib|symfony\/amqp-messenger|vladimir-yuldashev\/laravel-queue-rabbitmq)$/, 'rabbitmq'],
    [/^(elasticsearch\/elasticsearch)$/, 'elasticsearch'],
    [/^(meilisearch\/meilisearch-php)$/, 'meilisearch'],
    [/^(aws\/aws-sdk-php|league\/flysystem-aws-s3-v3)$/, 'minio'],
  ],
  nuget: [
    [/^(Npgsql.*)$/i, 'postgres'],
    [/^(MySql\.Data|MySqlConnector|Pomelo\.EntityFrameworkCore\.MySql)$/i, 'mysql'],
    [/^(MongoDB\.Driver.*)$/i, 'mongodb'],
    [/^(StackExchange\.Redis|Microsoft\.Extensions\.Caching\.StackExchangeRedis)$/i, 'redis'],
    [/^(RabbitMQ\.Client|MassTransit\.RabbitMQ)$/i, 'rabbitmq'],
    [/^(Confluent\.Kafka)$/i, 'kafka'],
    [/^(NATS\.Client|NATS\.Net)$/i, 'nats'],
    [/^(Elastic\.Clients\.Elasticsearch|NEST|Elasticsearch\.Net)$/i, 'elasticsearch'],
    [/^(Minio|AWSSDK\.S3)$/i, 'minio'],
  ],
  hex: [
    [/^(postgrex)$/, 'postgres'],
    [/^(myxql)$/, 'mysql'],
    [/^(mongodb_driver)$/, 'mongodb'],
    [/^(redix|exq)$/, 'redis'],
    [/^(amqp|broadway_rabbitmq)$/, 'rabbitmq'],
    [/^(brod|kafka_ex|broadway_kafka)$/, 'kafka'],
    [/^(gnat)$/, 'nats'],
    [/^(elasticsearch|elastix)$/, 'elasticsearch'],
    [/^(ex_aws_s3)$/, 'minio'],
  ],
  pub: [[/^(postgres)$/, 'postgres'], [/^(redis)$/, 'redis'], [/^(mongo_dart)$/, 'mongodb']],
  hackage: [[/^(postgresql-simple|persistent-postgresql|hasql)$/, 'postgres'], [/^(hedis)$/, 'redis']],
  swift: [[/^(postgres-nio|postgres-kit|fluent-postgres-driver)$/, 'postgres'], [/^(redis|RediStack)$/i, 'redis'], [/^(fluent-mysql-driver)$/, 'mysql'], [/^(fluent-mongo-driver)$/, 'mongodb']],
  shards: [[/^(pg)$/, 'postgres'], [/^(redis)$/, 'redis'], [/^(mysql)$/, 'mysql']],
  gleam: [[/^(pog|gleam_pgo)$/, 'postgres'], [/^(radish)$/, 'redis']],
  clojars: [
    [/^(org\.postgresql\/postgresql|postgresql\/postgresql)$/, 'postgres'],
    [/^(com\.taoensso\/carmine)$/, 'redis'],
    [/^(com\.novemberain\/monger)$/, 'mongodb'],
    [/^(mysql\/mysql-connector-java)$/, 'mysql'],
  ],
};

/** The backing service a dependency is a client of, if any. */
export function backingFromDependency(ecosystem: DependencyEcosystem, name: string): BackingKind | undefined {
  for (const [re, kind] of TABLES[ecosystem]) if (re.test(name)) return kind;
  return undefined;
}

const URL_SCHEMES: Readonly<Record<string, BackingKind>> = {
  postgres: 'postgres', postgresql: 'postgres', 'postgresql+psycopg': 'postgres', 'postgresql+psycopg2': 'postgres', 'postgresql+asyncpg': 'postgres', 'postgres+asyncpg': 'postgres', 'jdbc:postgresql': 'postgres', ecto: 'postgres',
  mysql: 'mysql', 'mysql+pymysql': 'mysql', 'mysql+mysqldb': 'mysql', 'mysql+aiomysql': 'mysql', 'jdbc:mysql': 'mysql', mysql2: 'mysql', trilogy: 'mysql',
  mariadb: 'mariadb', 'jdbc:mariadb': 'mariadb', 'mariadb+mariadbconnector': 'mariadb',
  mongodb: 'mongodb', 'mongodb+srv': 'mongodb',
  redis: 'redis', rediss: 'redis',
  amqp: 'rabbitmq', amqps: 'rabbitmq',
  kafka: 'kafka',
  nats: 'nats', tls: 'nats',
  memcached: 'memcached', memcache: 'memcached',
};

/** The backing service a connection URL points at (`postgres://…`, `jdbc:mysql://…`, `redis://…`). */
export function backingFromUrl(url: string): BackingKind | undefined {
  const m = /^\s*["']?((?:jdbc:)?[a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!m?.[1]) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === 'tls') return undefined;
  const kind = URL_SCHEMES[scheme];
  if (kind) return kind;
  // http(s) URLs name a backing service only by its well-known port.
  const port = /^https?:\/\/[^/:]+:(\d+)/i.exec(url.trim())?.[1];
  if (port === '9200') return 'elasticsearch';
  if (port === '7700') return 'meilisearch';
  if (port === '9000') return 'minio';
  return undefined;
}

/** Names of env variables that carry a backing-service URL or host, e.g. DATABASE_URL, REDIS_HOST. */
export function backingFromEnvName(name: string): BackingKind | undefined {
  const n = name.toUpperCase();
  if (/^(POSTGRES|PG)(_|HOST|USER|DATABASE|PASSWORD)/.test(n)) return 'postgres';
  if (/^MYSQL_/.test(n)) return 'mysql';
  if (/^MARIADB_/.test(n)) return 'mariadb';
  if (/^MONGO(DB)?_/.test(n)) return 'mongodb';
  if (/^REDIS_/.test(n)) return 'redis';
  if (/^(RABBITMQ|AMQP)_/.test(n)) return 'rabbitmq';
  if (/^KAFKA_/.test(n)) return 'kafka';
  if (/^NATS_/.test(n)) return 'nats';
  if (/^(ELASTICSEARCH|ELASTIC|OPENSEARCH)_/.test(n)) return 'elasticsearch';
  if (/^(MEILI|MEILISEARCH)_/.test(n)) return 'meilisearch';
  if (/^(MINIO|S3)_/.test(n)) return 'minio';
  if (/^MEMCACHE(D)?_/.test(n)) return 'memcached';
  return undefined;
}

/** The backing service an image reference runs (`postgres:16-alpine`, `bitnami/redis`, …), with the tag's version. */
export function backingFromImage(image: string): { kind: BackingKind; version?: string } | undefined {
  const m = /^(?:[^/]+\/)*([^/:@]+)(?::([^@]+))?/.exec(image.trim());
  if (!m?.[1]) return undefined;
  const repo = m[1].toLowerCase();
  const KINDS: Record<string, BackingKind> = {
    postgres: 'postgres', postgresql: 'postgres', postgis: 'postgres', timescaledb: 'postgres', 'timescaledb-ha': 'postgres',
    mysql: 'mysql', 'mysql-server': 'mysql', mariadb: 'mariadb', mongo: 'mongodb', mongodb: 'mongodb',
    redis: 'redis', 'redis-stack': 'redis', 'redis-stack-server': 'redis', valkey: 'redis', keydb: 'redis',
    rabbitmq: 'rabbitmq', kafka: 'kafka', 'cp-kafka': 'kafka', redpanda: 'kafka', nats: 'nats',
    elasticsearch: 'elasticsearch', opensearch: 'elasticsearch', meilisearch: 'meilisearch', minio: 'minio', memcached: 'memcached',
  };
  const kind = KINDS[repo];
  if (!kind) return undefined;
  const version = m[2] ? /^v?(\d+(?:\.\d+){0,2})/.exec(m[2])?.[1] : undefined;
  return version ? { kind, version } : { kind };
}
