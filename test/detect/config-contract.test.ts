/**
 * The configuration contract: every way of reading configuration, per language, detected with its
 * file, line and default, bound to a backing-service setting; hard-coded hosts; file-style secrets;
 * and repository text that is not a name or a host dropped with a warning.
 */
import { describe, expect, it } from 'vitest';
import { classifyVariable } from '../../src/detect/config-contract.js';
import { detect } from '../../src/detect/detect.js';
import type { ConfigRead, Service } from '../../src/detect/types.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import { tempRepo } from '../helpers/temp-repo.js';

function repo(files: Record<string, string>): string {
  return tempRepo(files, 'sg-contract-');
}

async function service(files: Record<string, string>): Promise<Service> {
  const t = await detect(repo(files));
  expect(t.services.length).toBeGreaterThan(0);
  return t.services[0]!;
}

const read = (s: Service, name: string): ConfigRead | undefined => s.config?.reads.find((r) => r.name === name);

const node = (deps: Record<string, string>, code: string) => ({
  'package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.21.2', ...deps }, scripts: { start: 'node server.js' } }),
  'server.js': code,
});
const python = (code: string, reqs = 'flask==3.0.3\n') => ({ 'requirements.txt': reqs, 'app.py': code });
const go = (code: string) => ({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': `package main\n\nimport "net/http"\n\n${code}\nfunc main() { http.ListenAndServe(":8080", nil) }\n` });

/** A Spring Boot web app's pom.xml, with more dependencies when given. */
const springPom = (artifact: string, moreDependencies = '') =>
  `<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>${artifact}</artifactId><version>1</version><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.5</version></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>${moreDependencies}</dependencies></project>`;

describe('environment variables, per language and reading style', () => {
  it('Node: process.env.X || default, brackets with ??, destructuring with defaults, readFileSync(process.env.X)', async () => {
    const s = await service(node({ pg: '8.13.1' }, [
      "const fs = require('fs');",
      "const host = process.env.DATABASE_HOST || 'localhost';",
      "const port = process.env['DATABASE_PORT'] ?? 5432;",
      "const { DATABASE_USER = 'app', DATABASE_DB } = process.env;",
      'const password = fs.readFileSync(process.env.DATABASE_PASSWORD, "utf8");',
      '',
    ].join('\n')));
    expect(read(s, 'DATABASE_HOST')).toMatchObject({ file: 'server.js', line: 2, default: 'localhost', via: 'env', binds: { kind: 'postgres', field: 'host' } });
    expect(read(s, 'DATABASE_PORT')).toMatchObject({ line: 3, default: '5432', binds: { kind: 'postgres', field: 'port' } });
    expect(read(s, 'DATABASE_USER')).toMatchObject({ line: 4, default: 'app', binds: { kind: 'postgres', field: 'user' } });
    expect(read(s, 'DATABASE_DB')).toMatchObject({ line: 4, binds: { kind: 'postgres', field: 'database' } });
    expect(read(s, 'DATABASE_DB')!.default).toBeUndefined();
    expect(read(s, 'DATABASE_PASSWORD')).toMatchObject({ line: 5, via: 'file', binds: { kind: 'postgres', field: 'password-file' } });
  });

  it('Python: os.environ[...], os.environ.get with a default, os.getenv, and open(os.environ[...]) for a secret file', async () => {
    const s = await service(python([
      'import os',
      'REDIS_URL = os.environ["REDIS_URL"]',
      'HOST = os.environ.get("PGHOST", "db")',
      "PORT = os.getenv('PGPORT', '5432')",
      'PW = open(os.environ["PGPASSWORD_FILE"]).read()',
      '',
    ].join('\n'), 'flask==3.0.3\npsycopg==3.2.3\n'));
    expect(read(s, 'REDIS_URL')).toMatchObject({ file: 'app.py', line: 2, binds: { kind: 'redis', field: 'url' } });
    expect(read(s, 'PGHOST')).toMatchObject({ line: 3, default: 'db', binds: { kind: 'postgres', field: 'host' } });
    expect(read(s, 'PGPORT')).toMatchObject({ line: 4, default: '5432', binds: { kind: 'postgres', field: 'port' } });
    expect(read(s, 'PGPASSWORD_FILE')).toMatchObject({ line: 5, via: 'file', binds: { kind: 'postgres', field: 'password-file' } });
    // REDIS_URL alone names the backing service: a standard-library client has no dependency to find.
    expect(s.backingServices).toEqual(['postgres', 'redis']);
  });

  it('Go: os.Getenv, a getEnv(name, default) helper, os.ReadFile(os.Getenv(...)), viper.BindEnv', async () => {
    const s = await service(go([
      'import "os"',
      'var addr = os.Getenv("REDIS_ADDR")',
      'var db = getEnv("MONGO_URI", "mongodb://localhost:27017/app")',
      'var pw, _ = os.ReadFile(os.Getenv("REDIS_PASSWORD_FILE"))',
      'func init() { viper.BindEnv("cache.db", "REDIS_DB") }',
      'func getEnv(k, d string) string { return d }',
    ].join('\n')));
    expect(read(s, 'REDIS_ADDR')).toMatchObject({ file: 'main.go', binds: { kind: 'redis', field: 'hostport' } });
    expect(read(s, 'MONGO_URI')).toMatchObject({ default: 'mongodb://localhost:27017/app', binds: { kind: 'mongodb', field: 'url' } });
    expect(read(s, 'REDIS_PASSWORD_FILE')).toMatchObject({ via: 'file', binds: { kind: 'redis', field: 'password-file' } });
    expect(read(s, 'REDIS_DB')).toMatchObject({ binds: { kind: 'redis', field: 'database' } });
  });

  it('Java: System.getenv, @Value("${X:default}"), Spring ${X:default} in application.properties and .yml, relaxed binding of a literal datasource', async () => {
    const s = await service({
      'pom.xml': springPom('inv', '<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-redis</artifactId></dependency>'),
      'src/main/java/a/App.java': 'package a;\n@SpringBootApplication\nclass App {\n  @Value("${CACHE_TTL:60}") int ttl;\n  String k = System.getenv("STRIPE_KEY");\n}\n',
      'src/main/resources/application.properties': 'spring.datasource.url=jdbc:postgresql://db:5432/inv\nspring.datasource.password=${DB_PASSWORD}\n',
      'src/main/resources/application-prod.yml': 'spring:\n  data:\n    redis:\n      host: ${REDIS_HOST:localhost}\n',
    });
    expect(read(s, 'CACHE_TTL')).toMatchObject({ file: 'src/main/java/a/App.java', line: 4, default: '60' });
    expect(read(s, 'STRIPE_KEY')).toMatchObject({ line: 5 });
    expect(read(s, 'STRIPE_KEY')!.binds).toBeUndefined();
    expect(read(s, 'SPRING_DATASOURCE_URL')).toMatchObject({ line: 1, key: 'spring.datasource.url', binds: { kind: 'postgres', field: 'jdbc-url' } });
    expect(read(s, 'DB_PASSWORD')).toMatchObject({ line: 2, key: 'spring.datasource.password', binds: { kind: 'postgres', field: 'password' } });
    expect(read(s, 'REDIS_HOST')).toMatchObject({ file: 'src/main/resources/application-prod.yml', line: 4, key: 'spring.data.redis.host', binds: { kind: 'redis', field: 'host' } });
    expect(s.config!.hosts).toEqual([expect.objectContaining({ host: 'db', kind: 'postgres', file: 'src/main/resources/application.properties', line: 1 })]);
  });

  it("Spring: a placeholder naming a property the file sets (spring-petclinic's ${database}) is that property, not an environment read", async () => {
    const s = await service({
      'pom.xml': springPom('pc'),
      'src/main/java/a/App.java': 'package a;\n@SpringBootApplication\nclass App {}\n',
      'src/main/resources/application.properties': 'database=h2\nspring.sql.init.schema-locations=classpath*:db/${database}/schema.sql\nlogging.level.root=${LOG_LEVEL}\n',
    });
    expect(read(s, 'database')).toBeUndefined();
    expect(read(s, 'LOG_LEVEL')).toMatchObject({ line: 3, key: 'logging.level.root' });
  });

  it('Java without a framework: ${X:default} in its own application.properties, Files.readString(Path.of(System.getenv(X))), System.getenv for a raw-socket Redis', async () => {
    const pom = '<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>orders</artifactId><version>1</version><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.5.5</version></dependency></dependencies></project>';
    const s = await service({
      'pom.xml': pom,
      'src/main/java/a/App.java': [
        'package a;',
        'public final class App {',
        '  public static void main(String[] args) throws Exception {',
        '    String pw = Files.readString(Path.of(System.getenv("DB_PASSWORD_FILE"))).strip();',
        '    Socket redis = new Socket(System.getenv("REDIS_HOST"), Integer.parseInt(System.getenv("REDIS_PORT")));',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/main/resources/application.properties': 'server.port=${PORT:8080}\ndb.url=${JDBC_DATABASE_URL:jdbc:postgresql://localhost:5432/orders}\ndb.user=${DB_USER:orders}\n',
    });
    expect(s.framework ?? null).toBeNull();
    expect(read(s, 'DB_PASSWORD_FILE')).toMatchObject({ file: 'src/main/java/a/App.java', line: 4, via: 'file', binds: { kind: 'postgres', field: 'password-file' } });
    expect(read(s, 'REDIS_HOST')).toMatchObject({ line: 5, binds: { kind: 'redis', field: 'host' } });
    expect(read(s, 'REDIS_PORT')).toMatchObject({ line: 5, binds: { kind: 'redis', field: 'port' } });
    expect(read(s, 'JDBC_DATABASE_URL')).toMatchObject({ file: 'src/main/resources/application.properties', line: 2, key: 'db.url', default: 'jdbc:postgresql://localhost:5432/orders', binds: { kind: 'postgres', field: 'jdbc-url' } });
    expect(read(s, 'DB_USER')).toMatchObject({ line: 3, default: 'orders', binds: { kind: 'postgres', field: 'user' } });
    expect(read(s, 'PORT')).toMatchObject({ line: 1, default: '8080' });
    expect(s.port).toBe(8080);
    // The JDBC driver names postgres; REDIS_HOST alone names redis (no client library to find).
    expect(s.backingServices).toEqual(['postgres', 'redis']);
    // localhost in the URL's default is the developer's machine, not a host of the stack.
    expect(s.config!.hosts).toEqual([]);
  });

  it('Java: the JDK\'s own defaults — System.getenv().getOrDefault, Objects.requireNonNullElse, Optional.ofNullable(…).orElse — and the port they give', async () => {
    const pom = '<project><modelVersion>4.0.0</modelVersion><groupId>a</groupId><artifactId>catalog</artifactId><version>1</version><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>42.5.5</version></dependency></dependencies></project>';
    const s = await service({
      'pom.xml': pom,
      'src/main/java/a/App.java': [
        'package a;',
        'public final class App {',
        '  static final String URL = "jdbc:postgresql://db:5432/" + Objects.requireNonNullElse(System.getenv("DB_NAME"), "catalog");',
        '  static final String USER = Optional.ofNullable(System.getenv("DB_USER")).orElse("catalog");',
        '  public static void main(String[] args) throws Exception {',
        '    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8081"));',
        '    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);',
        '    server.createContext("/health", ex -> {});',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(read(s, 'DB_NAME')).toMatchObject({ line: 3, default: 'catalog', binds: { kind: 'postgres', field: 'database' } });
    expect(read(s, 'DB_USER')).toMatchObject({ line: 4, default: 'catalog', binds: { kind: 'postgres', field: 'user' } });
    expect(read(s, 'PORT')).toMatchObject({ line: 6, default: '8081' });
    expect(s).toMatchObject({ port: 8081, healthPath: '/health' });
    expect(s.role, 'a web service (no role)').toBeUndefined();
    expect(s.config!.hosts).toEqual([expect.objectContaining({ host: 'db', kind: 'postgres', line: 3 })]);
  });

  it('Ruby: ENV.fetch with a default and ENV[...] in code and in config/database.yml', async () => {
    const s = await service({
      Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'pg'\n",
      'config.ru': "require './app'\nrun Sinatra::Application\n",
      'app.rb': "require 'sinatra'\nDB = ENV.fetch('DATABASE_URL', 'postgres://localhost/app')\n",
      'config/database.yml': 'production:\n  host: <%= ENV["DB_HOST"] %>\n',
    });
    expect(read(s, 'DATABASE_URL')).toMatchObject({ file: 'app.rb', line: 2, default: 'postgres://localhost/app', binds: { kind: 'postgres', field: 'url' } });
    expect(read(s, 'DB_HOST')).toMatchObject({ file: 'config/database.yml', line: 2, binds: { kind: 'postgres', field: 'host' } });
  });

  it('PHP: env() with a default, getenv(), $_ENV; .env.example keys with their example values', async () => {
    const s = await service({
      'composer.json': JSON.stringify({ require: { php: '^8.2' } }),
      'index.php': "<?php\n$h = env('REDIS_HOST', 'cache');\n$p = getenv('REDIS_PORT');\n$u = $_ENV['MYSQL_USER'] ?? 'app';\n",
      '.env.example': 'MYSQL_DATABASE=shop\nMAIL_FROM=\n',
    });
    expect(read(s, 'REDIS_HOST')).toMatchObject({ file: 'index.php', line: 2, default: 'cache', binds: { kind: 'redis', field: 'host' } });
    expect(read(s, 'REDIS_PORT')).toMatchObject({ line: 3, binds: { kind: 'redis', field: 'port' } });
    expect(read(s, 'MYSQL_USER')).toMatchObject({ line: 4, default: 'app', binds: { kind: 'mysql', field: 'user' } });
    expect(read(s, 'MYSQL_DATABASE')).toMatchObject({ file: '.env.example', line: 1, default: 'shop', binds: { kind: 'mysql', field: 'database' } });
    expect(read(s, 'MAIL_FROM')).toMatchObject({ file: '.env.example', line: 2 });
    expect(read(s, 'MAIL_FROM')!.default).toBeUndefined();
  });

  it('.NET: GetConnectionString and Configuration["A:B"] become A__B variables, appsettings.json gives the default', async () => {
    const s = await service({
      'api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Npgsql" Version="8.0.5" /></ItemGroup></Project>',
      'Program.cs': 'var b = WebApplication.CreateBuilder(args);\nvar cs = b.Configuration.GetConnectionString("Main");\nvar key = builder.Configuration["Stripe:Key"];\nvar h = Environment.GetEnvironmentVariable("CACHE_HOST");\n',
      'appsettings.json': '{\n  "ConnectionStrings": {\n    "Main": "Host=localhost;Database=app"\n  }\n}\n',
    });
    expect(read(s, 'ConnectionStrings__Main')).toMatchObject({ key: 'ConnectionStrings:Main', default: 'Host=localhost;Database=app' });
    expect(read(s, 'Stripe__Key')).toMatchObject({ file: 'Program.cs', line: 3, key: 'Stripe:Key' });
    expect(read(s, 'CACHE_HOST')).toMatchObject({ file: 'Program.cs', line: 4 });
  });

  it('a password literal the code falls back to is never carried on', async () => {
    const s = await service(node({ pg: '8.13.1' }, "const pw = process.env.PGPASSWORD || 'hunter2';\n"));
    expect(read(s, 'PGPASSWORD')).toMatchObject({ binds: { kind: 'postgres', field: 'password' } });
    expect(JSON.stringify(s.config)).not.toContain('hunter2');
  });

  it('reads in test files are not the contract', async () => {
    const s = await service({ ...node({}, 'const a = process.env.APP_MODE;\n'), 'test/server.test.js': 'process.env.ONLY_IN_TESTS;\n' });
    expect(read(s, 'APP_MODE')).toBeDefined();
    expect(read(s, 'ONLY_IN_TESTS')).toBeUndefined();
  });
});

describe('hosts written in code or config', () => {
  it.each([
    ['a client option', node({ ioredis: '5.4.1' }, "const r = new Redis({ host: 'cache', port: 6379 });\n"), 'cache', 'redis'],
    ['a MongoDB URL', node({ mongodb: '6.10.0' }, "const c = new MongoClient('mongodb://mongo:27017/app');\n"), 'mongo', 'mongodb'],
    ['a JDBC-style URL in Python', python("DSN = 'postgresql://app:app@pg:5432/app'\n", 'flask==3.0.3\npsycopg==3.2.3\n'), 'pg', 'postgres'],
    ['host:port in Go', go('var addr = "kv:6379"\n'), 'kv', 'redis'],
  ])('%s', async (_what, files, host, kind) => {
    const s = await service(files);
    expect(s.config!.hosts).toEqual([expect.objectContaining({ host, kind })]);
    expect(s.backingServices).toContain(kind);
  });

  it('localhost, IP addresses and dotted outside hosts are not the stack\'s hosts', async () => {
    const s = await service(node({ pg: '8.13.1' }, "const a = 'postgres://localhost:5432/app';\nconst b = 'postgres://10.0.0.5/app';\nconst c = 'postgres://db.example.com/app';\n"));
    expect(s.config?.hosts ?? []).toEqual([]);
  });
});

describe('repository text that is not a name or a host', () => {
  it('a variable name with a dot from .env.example is dropped with a warning naming file and line', async () => {
    const dir = repo({ ...node({}, 'const a = 1;\n'), '.env.example': 'GOOD_NAME=1\nbad.name=2\n' });
    const t = await detect(dir);
    expect(t.services[0]!.config!.reads.map((r) => r.name)).toEqual(['GOOD_NAME']);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: '.env.example', line: 2, message: expect.stringContaining('not an environment variable name') }));
  });

  it('a host that is not a DNS label is dropped with a warning', async () => {
    const dir = repo(node({ ioredis: '5.4.1' }, "const r = new Redis({ host: 'cache_1', port: 6379 });\n"));
    const t = await detect(dir);
    expect(t.services[0]!.config?.hosts ?? []).toEqual([]);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'server.js', line: 1, message: expect.stringContaining('DNS label') }));
  });
});

describe('classifying a variable', () => {
  it.each([
    ['DATABASE_URL', undefined, { kind: 'sql', field: 'url' }],
    ['SPRING_DATASOURCE_URL', 'jdbc:mysql://db/app', { kind: 'mysql', field: 'jdbc-url' }],
    ['DB_PORT', '3306', { kind: 'mysql', field: 'port' }],
    ['APP_REDIS_PASSWORD_FILE', undefined, { kind: 'redis', field: 'password-file' }],
    ['CELERY_BROKER_URL', 'amqp://guest@localhost//', { kind: 'rabbitmq', field: 'url' }],
    ['PGDATABASE', undefined, { kind: 'postgres', field: 'database' }],
    ['DB_CONNECTION', 'mysql', undefined],
    ['APP_NAME', 'shop', undefined],
  ])('%s (default %s)', (name, def, want) => {
    expect(classifyVariable(name, def)).toEqual(want);
  });
});

describe('the spec init writes from the contract', () => {
  it('wiring from the variables, aliases from hard-coded hosts, auth none for code that sends no password, expects and secrets for the rest', async () => {
    const t = await detect(repo(node({ pg: '8.13.1', ioredis: '5.4.1' }, [
      "const fs = require('fs');",
      'const host = process.env.DATABASE_HOST;',
      'const pw = fs.readFileSync(process.env.DATABASE_PASSWORD_PATH_UNUSED || "/x");',
      'const p = process.env.DATABASE_PASSWORD;',
      "const r = new Redis({ host: 'cache' });",
      'const stripe = process.env.STRIPE_API_KEY;',
      'const jwt = process.env.JWT_SECRET;',
      "const mode = process.env.APP_MODE || 'web';",
      '',
    ].join('\n'))));
    const spec = specFromTopology(t, { name: 'shop' });
    const api = spec.services!.api!;
    expect(api.wiring).toEqual({ DATABASE_HOST: 'postgres.host', DATABASE_PASSWORD: 'postgres.password' });
    expect(api.expects).toEqual(['STRIPE_API_KEY']);
    expect(api.secrets).toEqual(['JWT_SECRET']);
    expect(spec.backingServices!.redis).toMatchObject({ kind: 'redis', aliases: ['cache'], auth: 'none' });
    expect(spec.backingServices!.postgres!.auth).toBeUndefined();
  });
});
