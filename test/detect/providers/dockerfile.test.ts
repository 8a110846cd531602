/**
 * Existing Dockerfiles: base image → language and version, EXPOSE → port, CMD/ENTRYPOINT → start,
 * HEALTHCHECK → health path; alone they make a service, next to a manifest they only fill gaps.
 */
import { describe, expect, it } from 'vitest';
import { imageLanguage } from '../../../src/detect/providers/dockerfile.js';
import { at, detectTree } from './others-tree.js';

describe('base image → language and version', () => {
  const cases: Array<[string, string, string | null]> = [
    ['node:20-alpine', 'node', '20'],
    ['docker.io/library/node:22.3.0-bookworm-slim', 'node', '22.3.0'],
    ['python:3.12-slim', 'python', '3.12'],
    ['golang:1.22-alpine', 'go', '1.22'],
    ['eclipse-temurin:21-jre', 'java', '21'],
    ['maven:3.9-eclipse-temurin-17', 'java', '17'],
    ['mcr.microsoft.com/dotnet/aspnet:8.0', 'dotnet', '8.0'],
    ['oven/bun:1.1-alpine', 'bun', '1.1'],
    ['denoland/deno:alpine-1.44.0', 'deno', '1.44.0'],
    ['hexpm/elixir:1.16.2-erlang-26.2.5-alpine-3.19.1', 'elixir', '1.16.2'],
    ['ruby:3.3-slim', 'ruby', '3.3'],
    ['php:8.3-fpm-alpine', 'php', '8.3'],
    ['rust:1.79', 'rust', '1.79'],
    ['gcr.io/distroless/nodejs20-debian12', 'node', '20'],
    ['nginx:1.27-alpine', 'static', null],
    ['ghcr.io/gleam-lang/gleam:v1.5.1-erlang-alpine', 'gleam', '1.5.1'],
  ];
  for (const [image, language, version] of cases) {
    it(image, () => {
      expect(imageLanguage(image)).toEqual({ language, version });
    });
  }

  it('unknown images name no language', () => {
    expect(imageLanguage('mycompany/base:latest')).toBeUndefined();
  });
});

describe('a Dockerfile alone in a folder', () => {
  it('multi-stage Go build onto distroless: go from the builder, ARG in FROM substituted, EXPOSE, ENTRYPOINT, evidence lines', async () => {
    const t = await detectTree({
      'Dockerfile': [
        'ARG GO_VERSION=1.22',
        'FROM golang:${GO_VERSION}-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /out/server ./cmd/server',
        '',
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/server /server',
        'EXPOSE 8080/tcp',
        'HEALTHCHECK CMD ["/server", "-probe", "http://127.0.0.1:8080/readyz"]',
        'ENTRYPOINT ["/server"]',
      ].join('\n'),
    });
    const s = at(t);
    expect(s).toMatchObject({ language: 'go', runtimeVersion: '1.22', port: 8080, healthPath: '/readyz', packageManager: 'go-modules', commands: { start: '/server' } });
    expect(s.evidence).toContainEqual(expect.objectContaining({ file: 'Dockerfile', line: 9 }));
    expect(s.evidence).toContainEqual(expect.objectContaining({ file: 'Dockerfile', line: 11 }));
  });

  it('nginx serving a Node build output is a static site of that folder', async () => {
    const t = await detectTree({
      'Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\nEXPOSE 80\n',
      'src/main.js': 'console.log(1)\n',
    });
    expect(at(t)).toMatchObject({ language: 'static', role: 'static', staticDir: 'dist', port: null });
  });

  it('shell-form CMD, EXPOSE from an ENV variable, tini dropped from the start command', async () => {
    const t = await detectTree({
      'Dockerfile': 'FROM ruby:3.3-slim\nENV PORT=4567\nRUN bundle install\nEXPOSE $PORT\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD bundle exec ruby app.rb -o 0.0.0.0 -p $PORT\n',
    });
    expect(at(t)).toMatchObject({ language: 'ruby', runtimeVersion: '3.3', port: 4567, packageManager: 'bundler', commands: { start: 'bundle exec ruby app.rb -o 0.0.0.0 -p $PORT' } });
  });

  it('the plain Dockerfile wins over variants; a production variant over a dev one', async () => {
    const plain = await detectTree({ 'Dockerfile': 'FROM python:3.11\nEXPOSE 5000\n', 'Dockerfile.dev': 'FROM python:3.13\nEXPOSE 5001\n' });
    expect(at(plain)).toMatchObject({ runtimeVersion: '3.11', port: 5000 });
    const variants = await detectTree({ 'Dockerfile.dev': 'FROM node:18\nEXPOSE 3001\n', 'Dockerfile.prod': 'FROM node:20\nEXPOSE 3000\n' });
    expect(at(variants)).toMatchObject({ runtimeVersion: '20', port: 3000 });
  });

  it('a Dockerfile kept in docker/ describes the folder above; dev containers are ignored', async () => {
    const t = await detectTree({
      'docker/Dockerfile': 'FROM php:8.2-apache\nEXPOSE 80\n',
      '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/base:ubuntu\n',
    });
    expect(t.services.map((s) => [s.path, s.language])).toEqual([['.', 'php']]);
  });

  it("a cloud IDE's or CI's Dockerfile (excalidraw's .codesandbox/Dockerfile, .gitpod, .github) is no service", async () => {
    const t = await detectTree({
      'index.html': '<!doctype html><title>x</title>\n',
      '.codesandbox/Dockerfile': 'FROM node:24-bullseye\n',
      '.gitpod/Dockerfile': 'FROM gitpod/workspace-full\n',
      '.github/actions/build/Dockerfile': 'FROM alpine:3.20\nENTRYPOINT ["/run.sh"]\n',
    });
    expect(t.services.map((s) => s.path)).toEqual(['.']);
    expect(t.services[0]!.evidence.some((e) => e.file.includes('Dockerfile'))).toBe(false);
  });

  it('a Dockerfile in a folder of its own under docker/ (docker/node/Dockerfile), built by compose from the root, is the root app', async () => {
    const t = await detectTree({
      'package.json': JSON.stringify({ name: 'shop', scripts: { start: 'node server.js' }, dependencies: { express: '^4', mongoose: '^8' } }),
      'server.js': "const express = require('express');\nexpress().listen(process.env.PORT || 3000);\n",
      'docker/node/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
      'docker-compose.yml': 'services:\n  node:\n    build:\n      context: .\n      dockerfile: ./docker/node/Dockerfile\n    command: /usr/local/wait-for-it.sh mongo:27017 -- npm start\n    ports:\n      - 3000:3000\n    depends_on: [mongo]\n  mongo:\n    image: mongo:5\n',
    });
    expect(t.services.map((s) => [s.name, s.path, s.port])).toEqual([['shop', '.', 3000]]);
    expect(t.backingServices.map((b) => [b.kind, b.version])).toEqual([['mongodb', '5']]);
  });

  it('the folder\'s own Dockerfile describes it before one kept under docker/', async () => {
    const t = await detectTree({
      'Dockerfile': 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'docker/node/Dockerfile': 'FROM node:16\nWORKDIR /app\nCOPY . .\nCMD ["npm", "start"]\n',
    });
    expect(t.services.map((s) => [s.path, s.runtimeVersion, s.commands.start])).toEqual([['.', '22', 'node server.js']]);
    expect(t.services[0]!.evidence.map((e) => e.file)).not.toContain('docker/node/Dockerfile');
  });

  it('a Dockerfile without FROM, or an empty one, is not a service and does not crash', async () => {
    const t = await detectTree({ 'a/Dockerfile': '# nothing here\n', 'b/Dockerfile': '' });
    expect(t.services).toEqual([]);
  });
});

describe('Dockerfiles that are not services of their own', () => {
  it('an nginx reverse proxy (config only, no files served) is not a service', async () => {
    const t = await detectTree({
      'nginx/Dockerfile': 'FROM nginx:1.27-alpine\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\nEXPOSE 80\n',
      'nginx/nginx.conf': 'server { listen 80; location / { proxy_pass http://app:8000; } }\n',
      'app/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8000\nCMD ["python", "/app/main.py"]\n',
    });
    expect(t.services.map((s) => s.path)).toEqual(['app']);
  });

  it('a database image with init scripts is a backing service of the app beside it', async () => {
    const t = await detectTree({
      'db/Dockerfile': 'FROM postgres:15.4\nCOPY init.sql /docker-entrypoint-initdb.d/\n',
      'db/init.sql': 'create table t (id int);\n',
      'api/Dockerfile': 'FROM node:20\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
    });
    expect(t.services.map((s) => [s.path, s.backingServices])).toEqual([['api', ['postgres']]]);
    expect(t.backingServices).toEqual([expect.objectContaining({ kind: 'postgres', version: '15.4' })]);
  });

  it('a bare OS image that installs its runtime names the language from the install and start commands', async () => {
    const t = await detectTree({
      'Dockerfile': 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y python3 python3-pip\nCOPY . /app\nEXPOSE 9000\nCMD python3 /app/serve.py\n',
      'Containerfile': 'FROM ubuntu:24.04\n',
    });
    expect(at(t)).toMatchObject({ language: 'python', port: 9000, commands: { start: 'python3 /app/serve.py' } });
  });

  it('a Containerfile is read like a Dockerfile', async () => {
    const t = await detectTree({ 'Containerfile': 'FROM docker.io/library/ruby:3.2\nEXPOSE 4567\nCMD ["ruby", "app.rb"]\n' });
    expect(at(t)).toMatchObject({ language: 'ruby', runtimeVersion: '3.2', port: 4567 });
  });
});

describe('a Dockerfile next to an ecosystem manifest', () => {
  it('fills only what the provider left empty, and adds its evidence', async () => {
    const t = await detectTree({
      'build.zig': 'pub fn build(b: *std.Build) void {\n  const exe = b.addExecutable(.{ .name = "srv", .root_source_file = b.path("src/main.zig") });\n  b.installArtifact(exe);\n}\n',
      'src/main.zig': 'const std = @import("std");\npub fn main() !void {\n  const addr = try std.net.Address.parseIp("0.0.0.0", try port());\n  var s = try addr.listen(.{});\n  _ = &s;\n}\n',
      'Dockerfile': 'FROM alpine:3.20 AS build\nRUN apk add zig\nCOPY . /src\nRUN cd /src && zig build\nFROM alpine:3.20\nCOPY --from=build /src/zig-out/bin/srv /usr/local/bin/srv\nEXPOSE 7070\nCMD ["srv"]\n',
    });
    const s = at(t);
    // The Zig provider saw a server but no port, and has its own start command; the Dockerfile supplies the port.
    expect(s).toMatchObject({ language: 'zig', port: 7070, commands: { start: './zig-out/bin/srv' } });
    expect(s.evidence.some((e) => e.file === 'Dockerfile' && e.line === 7)).toBe(true);
    expect(t.services).toHaveLength(1);
  });

  it('a Dockerfile of another language does not change the runtime version', async () => {
    const t = await detectTree({
      'shard.yml': 'name: web\ntargets:\n  web:\n    main: src/web.cr\ndependencies:\n  kemal:\n    github: kemalcr/kemal\n',
      'src/web.cr': 'require "kemal"\nKemal.run\n',
      'Dockerfile': 'FROM alpine:3.20\nEXPOSE 3000\n',
    });
    expect(at(t)).toMatchObject({ language: 'crystal', runtimeVersion: null, port: 3000 });
  });
});
