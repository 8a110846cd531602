/**
 * Every upstream image stackgen renders, pinned to a full version tag in one place, so a version
 * bump is one line and the offline stand-in map (scripts/offline-images.yaml) can match them.
 * Runtime majors a project asks for pick the matching tag; anything else gets the default.
 */

export interface ImageChoice {
  /** Full reference rendered into Dockerfiles / compose, e.g. "node:22.23.5-bookworm-slim". */
  ref: string;
  /** The runtime version this image provides, when it is a language runtime. */
  version?: string;
}

const NODE: Record<string, string> = { '18': '18.20.8', '20': '20.19.5', '22': '22.23.5', '24': '24.22.3' };
const PYTHON: Record<string, string> = { '3.9': '3.9.25', '3.10': '3.10.19', '3.11': '3.11.14', '3.12': '3.12.12', '3.13': '3.13.9' };
const GO: Record<string, string> = { '1.19': '1.19.13', '1.20': '1.20.14', '1.21': '1.21.13', '1.22': '1.22.12', '1.23': '1.23.12', '1.24': '1.24.10', '1.25': '1.25.4' };

function pick(table: Record<string, string>, wanted: string | null | undefined, fallback: string, depth: 1 | 2): string {
  if (wanted) {
    const m = /(\d+)(?:\.(\d+))?/.exec(wanted);
    const key = m ? (depth === 1 ? m[1] : `${m[1]}.${m[2] ?? '0'}`) : undefined;
    if (key && table[key]) return table[key]!;
  }
  return table[fallback]!;
}

export const IMAGES = {
  node: (v?: string | null): ImageChoice => {
    const ver = pick(NODE, v, '22', 1);
    return { ref: `node:${ver}-bookworm-slim`, version: ver };
  },
  python: (v?: string | null): ImageChoice => {
    const ver = pick(PYTHON, v, '3.12', 2);
    return { ref: `python:${ver}-slim-bookworm`, version: ver };
  },
  golang: (v?: string | null): ImageChoice => {
    const ver = pick(GO, v, '1.25', 2);
    return { ref: `golang:${ver}-bookworm`, version: ver };
  },
  // Distroless publishes only moving tags (latest, nonroot, debug, debug-nonroot; no versions), so
  // the digest is the pin; `:nonroot` stays as the readable name of what the digest was taken from.
  // Multi-platform index digests taken from public pins (static-debian12:nonroot from a Renovate
  // digest update of 2025-12-08, cc-debian12:nonroot as several public Dockerfiles pin it); they
  // were not resolved from the registry here (no access): `images.pinDigests` or a pull shows a
  // stale one. Bump them as you bump the other versions here.
  distrolessStatic: { ref: 'gcr.io/distroless/static-debian12:nonroot@sha256:2b7c93f6d6648c11f0e80a48558c8f77885eb0445213b8e69a6a0d7c89fc6ae4' },
  distrolessCc: { ref: 'gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f' },
  debian: { ref: 'debian:12.12-slim' },
  rust: { ref: 'rust:1.91.1-slim-bookworm', version: '1.91.1' },
  bun: { ref: 'oven/bun:1.3.2-slim', version: '1.3.2' },
  deno: { ref: 'denoland/deno:debian-2.5.6', version: '2.5.6' },
  maven: { ref: 'maven:3.9.11-eclipse-temurin-21' },
  gradle: { ref: 'gradle:8.14.3-jdk21' },
  jre: { ref: 'eclipse-temurin:21.0.9_10-jre' },
  ruby: { ref: 'ruby:3.3.10-slim-bookworm', version: '3.3.10' },
  php: { ref: 'php:8.3.28-apache-bookworm', version: '8.3.28' },
  composer: { ref: 'composer:2.8.12' },
  dotnetSdk: { ref: 'mcr.microsoft.com/dotnet/sdk:8.0.416' },
  dotnetAspnet: { ref: 'mcr.microsoft.com/dotnet/aspnet:8.0.22-bookworm-slim' },
  elixir: { ref: 'hexpm/elixir:1.17.3-erlang-27.1.2-debian-bookworm-20241016-slim' },
  staticServer: { ref: 'nginxinc/nginx-unprivileged:1.29.3-alpine' },
  // Backing services and tooling.
  postgres: { ref: 'postgres:16.11-bookworm', version: '16' },
  mysql: { ref: 'mysql:8.4.7', version: '8.4' },
  mariadb: { ref: 'mariadb:11.8.5', version: '11.8' },
  mongodb: { ref: 'mongo:8.0.16', version: '8.0' },
  redis: { ref: 'redis:7.4.7-bookworm', version: '7.4' },
  rabbitmq: { ref: 'rabbitmq:4.2.1-management', version: '4.2' },
  kafka: { ref: 'apache/kafka:4.1.1', version: '4.1' },
  nats: { ref: 'nats:2.12.2', version: '2.12' },
  elasticsearch: { ref: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.7', version: '8.19' },
  meilisearch: { ref: 'getmeili/meilisearch:v1.27.0', version: '1.27' },
  minio: { ref: 'minio/minio:RELEASE.2025-09-07T16-13-09Z' },
  memcached: { ref: 'memcached:1.6.39-bookworm', version: '1.6' },
  prometheus: { ref: 'prom/prometheus:v3.7.3', version: '3.7.3' },
  grafana: { ref: 'grafana/grafana:12.3.0', version: '12.3.0' },
  traefik: { ref: 'traefik:v3.6.1', version: '3.6.1' },
  caddy: { ref: 'caddy:2.10.2-alpine', version: '2.10.2' },
  // CI tooling (rendered into the GitHub/GitLab pipelines, never run by stackgen itself).
  trivy: { ref: 'aquasec/trivy:0.67.2', version: '0.67.2' },
  buildkit: { ref: 'moby/buildkit:v0.25.1', version: '0.25.1' },
  binfmt: { ref: 'tonistiigi/binfmt:qemu-v7.0.0-28' },
  dockerCli: { ref: 'docker:28.5.1-cli', version: '28.5.1' },
  dockerDind: { ref: 'docker:28.5.1-dind', version: '28.5.1' },
} as const;
