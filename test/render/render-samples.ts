/**
 * Small sample repositories (files + the spec a user would have after `stackgen init`) covering
 * every Dockerfile template, every backing-service kind and both proxies. Fixture-driven goldens
 * (detect → spec) live in render-fixtures.test.ts; these pin the templates themselves.
 */
import path from 'node:path';
import { withSpecDefaults } from '../../src/spec/load.js';
import type { Spec, SpecInput } from '../../src/spec/types.generated.js';
import { tempRepo } from '../helpers/temp-repo.js';

export interface Sample {
  name: string;
  files: Record<string, string>;
  spec: SpecInput;
}

const pkg = (o: object) => `${JSON.stringify(o, null, 2)}\n`;
const noObs = { prometheus: false, grafana: false };

export const SAMPLES: Sample[] = [
  {
    name: 'node-express-pg-redis',
    files: {
      'package.json': pkg({ name: 'shop-api', version: '1.0.0', main: 'server.js', scripts: { start: 'node server.js', test: 'node --test' }, dependencies: { express: '^4.21.0', pg: '^8.13.0', redis: '^4.7.0', 'prom-client': '^15.1.0' } }),
      'package-lock.json': pkg({ name: 'shop-api', lockfileVersion: 3, requires: true, packages: {} }),
      'server.js': "require('express')().get('/health', (_q, r) => r.send('ok')).listen(process.env.PORT);\n",
      '.gitignore': 'node_modules/\n',
    },
    spec: {
      version: 1,
      name: 'shop',
      services: {
        api: {
          path: '.', language: 'node', framework: 'express', packageManager: 'npm', runtimeVersion: '20',
          commands: { install: 'npm ci', start: 'npm start', test: 'npm test' },
          port: 3000, publish: 3000, healthcheck: { path: '/health' }, metrics: { path: '/metrics' },
          dependsOn: ['postgres', 'redis'], secrets: ['SESSION_SECRET'], env: { LOG_LEVEL: 'info' },
        },
      },
      backingServices: { postgres: { kind: 'postgres', initScripts: ['db/init.sql'] }, redis: { kind: 'redis' } },
    },
  },
  {
    name: 'python-stdlib-api',
    files: { 'app.py': 'from http.server import HTTPServer, BaseHTTPRequestHandler\n', '.gitignore': '.env\n__pycache__/\n' },
    spec: {
      version: 1,
      name: 'pyapi',
      services: { api: { path: '.', language: 'python', commands: { start: 'python app.py' }, port: 8000, publish: 8000, healthcheck: { path: '/health' } } },
      observability: noObs,
    },
  },
  {
    name: 'go-stdlib-api',
    files: { 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' },
    spec: {
      version: 1,
      name: 'goapi',
      services: { api: { path: '.', language: 'go', runtimeVersion: '1.22', packageManager: 'go-modules', port: 8080, publish: 8080, healthcheck: { path: '/healthz' } } },
      observability: noObs,
    },
  },
  {
    name: 'static-site',
    files: { 'site/index.html': '<!doctype html><title>hi</title>\n', 'site/style.css': 'body{}\n' },
    spec: {
      version: 1,
      name: 'site',
      services: { web: { path: 'site', language: 'static', role: 'static', publish: 8081 } },
      observability: noObs,
    },
  },
  {
    name: 'mono-npm-workspaces',
    files: {
      'package.json': pkg({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'package-lock.json': pkg({ name: 'mono', lockfileVersion: 3, requires: true, packages: {} }),
      'packages/api/package.json': pkg({ name: '@mono/api', scripts: { start: 'node src/index.js', dev: 'node --watch src/index.js' } }),
      'packages/api/src/index.js': '',
      'packages/web/package.json': pkg({ name: '@mono/web', scripts: { start: 'node server.js', build: 'node build.js' } }),
      'packages/web/server.js': '',
    },
    spec: {
      version: 1,
      name: 'mono',
      services: {
        api: { path: 'packages/api', language: 'node', packageManager: 'npm', commands: { start: 'npm start' }, port: 3000, healthcheck: { path: '/health' } },
        web: { path: 'packages/web', language: 'node', packageManager: 'npm', commands: { start: 'npm start', build: 'npm run build' }, port: 3001, publish: 3001, dependsOn: ['api'] },
      },
      observability: noObs,
      // Docker Hub with repository secrets, two platforms, a size budget, a stricter scan gate.
      ci: { registry: 'docker.io/monoorg', platforms: ['linux/amd64', 'linux/arm64'], sizeBudgetMB: 250, scan: { severity: 'CRITICAL' } },
    },
  },
  {
    name: 'vite-spa-traefik',
    files: {
      'package.json': pkg({ name: 'spa', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6.0.0' } }),
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    },
    spec: {
      version: 1,
      name: 'spa',
      services: { web: { path: '.', language: 'node', framework: 'vite', role: 'static', packageManager: 'pnpm', staticDir: 'dist', commands: { build: 'pnpm run build' } } },
      proxy: { kind: 'traefik', tls: 'acme', domains: ['spa.example.com'], email: 'ops@example.com' },
      observability: noObs,
    },
  },
  {
    name: 'fastapi-poetry-mongo-rabbit',
    files: { 'pyproject.toml': '[tool.poetry]\nname = "svc"\n', 'poetry.lock': '', 'main.py': '', 'requirements-dev.txt': 'pytest\n', 'worker.Dockerfile': 'FROM python:3.12-slim\nCMD ["python", "-m", "worker"]\n' },
    spec: {
      version: 1,
      name: 'events',
      services: {
        api: { path: '.', language: 'python', framework: 'fastapi', packageManager: 'poetry', port: 8000, publish: 8000, healthcheck: { path: '/healthz' }, dependsOn: ['mongodb', 'rabbitmq'], commands: { test: 'pytest -q' } },
        worker: { path: '.', language: 'python', role: 'worker', packageManager: 'poetry', commands: { start: 'python -m worker' }, dependsOn: ['rabbitmq'], dockerfile: { path: 'worker.Dockerfile' } },
      },
      backingServices: { mongodb: { kind: 'mongodb' }, rabbitmq: { kind: 'rabbitmq', persistence: false } },
      proxy: { kind: 'caddy' },
    },
  },
  {
    name: 'rust-axum',
    files: { 'Cargo.toml': '[package]\nname = "ferris-api"\nversion = "0.1.0"\n', 'Cargo.lock': '', 'src/main.rs': 'fn main() {}\n' },
    spec: { version: 1, name: 'ferris', services: { api: { path: '.', language: 'rust', framework: 'axum', port: 3000, publish: 3000, healthcheck: { path: '/health' } } }, observability: noObs },
  },
  {
    name: 'spring-maven-mysql',
    files: { 'pom.xml': '<project/>\n', 'src/main/java/App.java': '' },
    spec: {
      version: 1,
      name: 'orders',
      services: { api: { path: '.', language: 'java', framework: 'spring-boot', packageManager: 'maven', port: 8080, publish: 8080, healthcheck: { path: '/actuator/health', startPeriod: '60s' }, dependsOn: ['mysql'], resources: { memory: '1G' } } },
      backingServices: { mysql: { kind: 'mysql' } },
      observability: noObs,
    },
  },
  {
    name: 'kotlin-gradle',
    files: { 'build.gradle.kts': '', 'settings.gradle.kts': '', gradlew: '#!/bin/sh\n', 'gradle/wrapper/gradle-wrapper.properties': '' },
    spec: { version: 1, name: 'kt', services: { api: { path: '.', language: 'kotlin', packageManager: 'gradle', port: 8080 } }, observability: noObs },
  },
  {
    name: 'rails-pg',
    files: { Gemfile: "gem 'rails'\n", 'Gemfile.lock': 'GEM\n  specs:\n    pg (1.5.9)\n    rails (8.0.0)\n' },
    spec: {
      version: 1,
      name: 'blog',
      services: { web: { path: '.', language: 'ruby', framework: 'rails', packageManager: 'bundler', port: 3000, publish: 3000, healthcheck: { path: '/up' }, dependsOn: ['db'], secrets: ['SECRET_KEY_BASE'] } },
      backingServices: { db: { kind: 'postgres' } },
      observability: noObs,
      ci: { provider: 'gitlab', branch: 'trunk', sbom: false },
    },
  },
  {
    name: 'laravel-mariadb',
    files: { 'composer.json': '{}\n', 'composer.lock': '{}\n', 'public/index.php': '<?php\n' },
    spec: {
      version: 1,
      name: 'shop-php',
      services: { web: { path: '.', language: 'php', framework: 'laravel', packageManager: 'composer', port: 8080, publish: 8080, healthcheck: { path: '/up' }, dependsOn: ['mariadb', 'memcached'] } },
      backingServices: { mariadb: { kind: 'mariadb' }, memcached: { kind: 'memcached' } },
      observability: noObs,
    },
  },
  {
    name: 'dotnet-api',
    files: { 'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"/>\n', 'Program.cs': '' },
    spec: { version: 1, name: 'dotnet', services: { api: { path: '.', language: 'dotnet', framework: 'aspnetcore', port: 8080, publish: 8080, healthcheck: { path: '/healthz' } } }, observability: noObs },
  },
  {
    name: 'phoenix',
    files: { 'mix.exs': 'defmodule Hello.MixProject do\n  def project, do: [app: :hello]\nend\n', 'mix.lock': '', 'config/config.exs': '', 'config/prod.exs': '', 'lib/hello.ex': '', 'priv/.keep': '', 'assets/app.js': '' },
    spec: { version: 1, name: 'hello', services: { web: { path: '.', language: 'elixir', framework: 'phoenix', port: 4000, publish: 4000, secrets: ['SECRET_KEY_BASE'] } }, observability: noObs },
  },
  {
    name: 'bun-deno',
    files: { 'bun/package.json': pkg({ name: 'b', scripts: { start: 'bun run src/index.ts' } }), 'bun/bun.lock': '{}\n', 'bun/src/index.ts': '', 'deno/deno.json': '{}\n', 'deno/main.ts': '' },
    spec: {
      version: 1,
      name: 'jsr',
      services: {
        bun: { path: 'bun', language: 'bun', packageManager: 'bun', commands: { start: 'bun run start' }, port: 3000, healthcheck: { path: '/health' } },
        deno: { path: 'deno', language: 'deno', port: 8000, healthcheck: { path: null } },
      },
      observability: noObs,
    },
  },
  {
    name: 'kitchen-sink-backing',
    files: { 'main.cr': '' },
    spec: {
      version: 1,
      name: 'sink',
      services: {
        app: {
          path: '.', language: 'crystal', commands: { install: 'shards install', build: 'crystal build --release src/main.cr -o app', start: './app --port 8080' }, port: 8080, publish: 8080,
          dependsOn: ['kafka', 'nats', 'search', 'meilisearch', 'minio', 'cache', 'mariadb'],
        },
      },
      backingServices: {
        kafka: { kind: 'kafka' }, nats: { kind: 'nats' }, search: { kind: 'elasticsearch' }, meilisearch: { kind: 'meilisearch' }, minio: { kind: 'minio' }, cache: { kind: 'memcached' }, mariadb: { kind: 'mariadb' },
      },
      images: { mirror: 'mirror.corp.example/dockerhub', overrides: { 'postgres:*': 'registry.corp.example/pg:16' } },
      build: { caBundle: 'certs/corp-ca.pem' },
      observability: { grafana: false },
    },
  },
];

/** Writes the sample's files into a fresh temp folder (removed after the test file) and returns it with the defaulted spec. */
export function materialize(sample: Sample): { root: string; spec: Spec } {
  return { root: tempRepo(sample.files, `stackgen-${sample.name}-`), spec: withSpecDefaults(structuredClone(sample.spec)) };
}

/** Generated secrets differ on every first render: golden files show the names only. */
export function redactSecrets(file: string, content: string): string {
  if (path.posix.basename(file) !== '.env') return content;
  return content.replace(/^([A-Za-z_][A-Za-z0-9_]*=)(.+)$/gm, (_m, k: string, v: string) => (/PASSWORD|SECRET|KEY/.test(k) ? `${k}<redacted:${v.length} chars>` : `${k}${v}`));
}
