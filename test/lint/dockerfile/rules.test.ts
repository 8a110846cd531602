/**
 * Every built-in rule, table-driven: each case is a Dockerfile and the lines where the rule must
 * fire (an empty list is a miss case). Lines are 1-based instruction start lines, as hadolint reports.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintDockerfile, type DockerfileLintOptions } from '../../../src/lint/dockerfile/lint.js';
import { dockerfileRuleIds } from '../../../src/lint/dockerfile/lint.js';
import { DEFAULT_HADOLINT_CONFIG, type HadolintConfig } from '../../../src/lint/dockerfile/config.js';
import { BuildContext } from '../../../src/lint/dockerfile/build-context.js';
import { tempRepo } from '../../helpers/temp-repo.js';

const df = (...lines: string[]): string => lines.join('\n') + '\n';
const cfg = (c: Partial<HadolintConfig>): DockerfileLintOptions => ({ config: { ...DEFAULT_HADOLINT_CONFIG, ...c } });
const BASE = 'FROM debian:12.5';
// A real folder as build context for SG1006: it holds present.txt and nothing else.
const contextDir = tempRepo({ 'present.txt': 'x' }, 'sg-rules-ctx-');
const inContext: DockerfileLintOptions = { contexts: [new BuildContext({ dir: contextDir, root: contextDir, pending: new Map() })] };

type Case = [rule: string, dockerfile: string, lines: number[], options?: DockerfileLintOptions];

const cases: Case[] = [
  ['DL3000', df(BASE, 'WORKDIR app'), [2]],
  ['DL3000', df(BASE, 'WORKDIR /app', 'WORKDIR "/srv"', 'WORKDIR $HOME', 'WORKDIR C:\\app'), []],
  ['DL3001', df(BASE, 'RUN service nginx start', 'RUN ps aux'), [2, 3]],
  ['DL3001', df(BASE, 'RUN echo ps top'), []],
  ['DL3002', df(BASE, 'USER app', 'USER root'), [3]],
  ['DL3002', df(BASE, 'USER 0:0'), [2]],
  ['DL3002', df(BASE, 'USER root', 'RUN id', 'USER app'), []],
  // Every stage whose last USER is root fires, not only the final one (hadolint's "warns on multiple stages").
  ['DL3002', df('FROM debian:12.5 AS b', 'USER root', 'FROM b', 'USER app'), [2]],
  ['DL3002', df('FROM debian:12.5 AS b', 'USER root', 'FROM alpine:3.19', 'RUN id'), [2]],
  ['DL3002', df('FROM debian:12.5 AS b', 'USER root', 'RUN id', 'FROM b', 'RUN id'), [2]],
  ['DL3002', df('FROM debian:12.5 AS b', 'USER root', 'USER app', 'FROM scratch', 'RUN id'), []],
  ['DL3003', df(BASE, 'RUN cd /tmp && make'), [2]],
  ['DL3003', df(BASE, 'RUN make -C /tmp'), []],
  ['DL3004', df(BASE, 'RUN sudo apt-get update'), [2]],
  ['DL3004', df(BASE, 'RUN echo sudo'), []],
  ['DL3006', df('FROM debian', 'FROM debian AS x', 'FROM docker.io/library/node'), [1, 2, 3]],
  ['DL3006', df('FROM debian:12 AS base', 'FROM base', 'FROM scratch', 'FROM node@sha256:abc', 'ARG IMG', 'FROM $IMG'), []],
  ['DL3007', df('FROM debian:latest', 'FROM node:latest AS n'), [1, 2]],
  ['DL3007', df('FROM debian:12', 'FROM node:latest@sha256:abc'), []],
  ['DL3008', df(BASE, 'RUN apt-get install -y --no-install-recommends curl'), [2]],
  ['DL3008', df(BASE, 'RUN DEBIAN_FRONTEND=noninteractive apt-get install -y python3 curl=7.88.1-10'), [2]],
  ['DL3008', df(BASE, 'RUN apt-get install -y curl=7.88.1-10 ./local.deb', 'RUN apt-get install -t bookworm-backports -y git=1:2.39'), []],
  ['DL3009', df(BASE, 'RUN apt-get update && apt-get install -y curl'), [2]],
  ['DL3009', df(BASE, 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'), []],
  ['DL3009', df(BASE, 'RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update'), []],
  // Only the final stage and stages used as a base count: a build stage's lists never ship.
  ['DL3009', df('FROM debian:12 AS build', 'RUN apt-get update', 'FROM alpine:3.19', 'COPY --from=build /x /x'), []],
  ['DL3009', df('FROM debian:12 AS base', 'RUN apt-get update', 'FROM base', 'RUN id'), [2]],
  // Reported on the COPY (hadolint 2.13+), archives matched by file name; tar needs a dash flag with x.
  ['DL3010', df(BASE, 'COPY app.tar.gz /opt/', 'RUN tar -xzf /opt/app.tar.gz -C /opt'), [2]],
  ['DL3010', df(BASE, 'COPY packaged-app.tar /usr/src/app', 'RUN foo bar && echo something && tar -xf packaged-app.tar'), [2]],
  ['DL3010', df(BASE, 'COPY foo/bar/packaged-app.tar /foo.tar', 'RUN tar -xf /foo.tar'), [2]],
  ['DL3010', df(BASE, 'COPY app.zip /opt/', 'RUN unzip /opt/app.zip'), []],
  ['DL3010', df(BASE, 'COPY app.tar.gz /opt/', 'RUN gunzip /opt/app.tar.gz'), [2]],
  ['DL3010', df(BASE, 'COPY app.tar.gz /opt/', 'RUN ls /opt'), []],
  ['DL3010', df(BASE, 'COPY app.tar /opt/app.tar', 'FROM debian:12', 'RUN tar -xf /opt/app.tar'), []],
  ['DL3010', df(BASE, 'COPY --from=builder /usr/local/share/some.tar /opt/some.tar', 'RUN tar -xf /opt/some.tar'), []],
  ['DL3011', df(BASE, 'EXPOSE 80 70000', 'EXPOSE 8000-65536/tcp'), [2, 3]],
  ['DL3011', df(BASE, 'EXPOSE 80/tcp 443 65535 $PORT'), []],
  ['DL3012', df(BASE, 'HEALTHCHECK CMD true', 'HEALTHCHECK CMD false'), [3]],
  ['DL3012', df(BASE, 'HEALTHCHECK CMD true', 'FROM debian:12', 'HEALTHCHECK CMD true'), []],
  ['DL3013', df(BASE, 'RUN pip install --no-cache-dir flask', 'RUN python3 -m pip install --no-cache-dir django'), [2, 3]],
  ['DL3013', df(BASE, 'RUN pip install --no-cache-dir flask==3.0.0 "requests>=2" ./pkg git+https://x/y@v1', 'RUN pip3 install --no-cache-dir -r requirements.txt', 'RUN pip install --no-cache-dir -e .'), []],
  ['DL3014', df(BASE, 'RUN apt-get install --no-install-recommends curl=1'), [2]],
  ['DL3014', df(BASE, 'RUN apt-get install -y --no-install-recommends curl=1', 'RUN apt-get -qq install --no-install-recommends git=1', 'RUN apt-get install --assume-yes --no-install-recommends x=1'), []],
  ['DL3015', df(BASE, 'RUN apt-get install -y curl=1'), [2]],
  ['DL3015', df(BASE, 'RUN apt-get install -y --no-install-recommends curl=1', 'RUN apt-get -o APT::Install-Recommends=false install -y x=1'), []],
  ['DL3016', df('FROM node:20', 'RUN npm install express', 'RUN npm install -g @scope/tool'), [2, 3]],
  ['DL3016', df('FROM node:20', 'RUN npm install', 'RUN npm install express@4.19.2 @scope/tool@1.0.0 ./local git+https://x/y.git#v1 pkg.tgz', 'RUN npm ci'), []],
  ['DL3018', df('FROM alpine:3.19', 'RUN apk add --no-cache curl'), [2]],
  ['DL3018', df('FROM alpine:3.19', 'RUN apk add --no-cache curl=8.5.0-r0 --virtual .deps gcc=13.2.1-r0'), []],
  ['DL3019', df('FROM alpine:3.19', 'RUN apk add curl=8.5.0-r0'), [2]],
  ['DL3019', df('FROM alpine:3.19', 'RUN apk add --no-cache curl=8.5.0-r0', 'RUN --mount=type=cache,target=/var/cache/apk apk add git=2.43.0-r0'), []],
  ['DL3020', df(BASE, 'ADD app.js /app/', 'ADD ["a.txt", "b.tar.gz", "/x/"]'), [2, 3]],
  ['DL3020', df(BASE, 'ADD rootfs.tar.xz /', 'ADD https://example.com/x.bin /x.bin'), []],
  ['DL3021', df(BASE, 'COPY a b /dest'), [2]],
  ['DL3021', df(BASE, 'COPY a b /dest/', 'COPY a /dest', 'COPY ["a", "b", "/dest/"]'), []],
  ['DL3022', df('FROM node:20 AS build', 'FROM nginx:1.25', 'COPY --from=buid /app /usr/share/nginx/html'), [3]],
  ['DL3022', df('FROM node:20 AS build', 'FROM nginx:1.25', 'COPY --from=build /a /a', 'COPY --from=0 /b /b', 'COPY --from=alpine:3.19 /etc/os-release /x'), []],
  ['DL3023', df('FROM node:20 AS build', 'COPY --from=build /a /b'), [2]],
  ['DL3023', df('FROM node:20 AS build', 'FROM nginx:1.25 AS web', 'COPY --from=build /a /b'), []],
  ['DL3024', df('FROM node:20 AS build', 'FROM node:20 AS build'), [2]],
  ['DL3024', df('FROM node:20 AS build', 'FROM node:20 AS test'), []],
  ['DL3025', df(BASE, 'CMD node server.js', 'ENTRYPOINT /entrypoint.sh'), [2, 3]],
  ['DL3025', df(BASE, 'CMD ["node", "server.js"]', 'ENTRYPOINT ["/entrypoint.sh"]'), []],
  ['DL3026', df('FROM evil.example.org/node:20', 'FROM node:20'), [1, 2], cfg({ trustedRegistries: ['registry.example.com'] })],
  ['DL3026', df('FROM registry.example.com/node:20 AS b', 'FROM b', 'FROM mirror.gcr.io/x:1', 'FROM node:20', 'FROM scratch'), [], cfg({ trustedRegistries: ['registry.example.com', '*.gcr.io', 'docker.io'] })],
  ['DL3026', df('FROM evil.example.org/node:20'), []],
  ['DL3027', df(BASE, 'RUN apt install -y curl'), [2]],
  ['DL3027', df(BASE, 'RUN apt-get install -y --no-install-recommends curl=1'), []],
  ['DL3028', df('FROM ruby:3.3', 'RUN gem install bundler'), [2]],
  ['DL3028', df('FROM ruby:3.3', 'RUN gem install bundler:2.5.6', 'RUN gem install rails -v 7.1.3'), []],
  ['DL3029', df('FROM --platform=linux/amd64 debian:12'), [1]],
  ['DL3029', df('FROM --platform=$BUILDPLATFORM debian:12', 'FROM debian:12'), []],
  ['DL3030', df('FROM centos:7', 'RUN yum install httpd-2.4 && yum clean all'), [2]],
  ['DL3030', df('FROM centos:7', 'RUN yum install -y httpd-2.4 && yum clean all'), []],
  ['DL3032', df('FROM centos:7', 'RUN yum install -y httpd-2.4'), [2]],
  ['DL3032', df('FROM centos:7', 'RUN yum install -y httpd-2.4 && yum clean all'), []],
  ['DL3033', df('FROM centos:7', 'RUN yum install -y httpd && yum clean all'), [2]],
  ['DL3033', df('FROM centos:7', 'RUN yum install -y httpd-2.4.6 x-1.0.rpm && yum clean all'), []],
  ['DL3034', df('FROM opensuse/leap:15', 'RUN zypper install curl=8 && zypper clean'), [2]],
  ['DL3034', df('FROM opensuse/leap:15', 'RUN zypper -n install curl=8 && zypper clean', 'RUN zypper install -y git=2 && zypper cc'), []],
  ['DL3035', df('FROM opensuse/leap:15', 'RUN zypper -n dist-upgrade'), [2]],
  ['DL3035', df('FROM opensuse/leap:15', 'RUN zypper -n refresh'), []],
  ['DL3036', df('FROM opensuse/leap:15', 'RUN zypper install -y curl=8'), [2]],
  ['DL3036', df('FROM opensuse/leap:15', 'RUN zypper install -y curl=8 && zypper clean'), []],
  ['DL3037', df('FROM opensuse/leap:15', 'RUN zypper install -y curl && zypper clean'), [2]],
  ['DL3037', df('FROM opensuse/leap:15', 'RUN zypper install -y curl=8.0 "git>=2" && zypper clean'), []],
  ['DL3038', df('FROM fedora:39', 'RUN dnf install httpd-2.4 && dnf clean all'), [2]],
  ['DL3038', df('FROM fedora:39', 'RUN dnf install -y httpd-2.4 && dnf clean all', 'RUN microdnf install -y git-2 && microdnf clean all'), []],
  ['DL3040', df('FROM fedora:39', 'RUN dnf install -y httpd-2.4'), [2]],
  ['DL3040', df('FROM fedora:39', 'RUN dnf install -y httpd-2.4 && dnf clean all'), []],
  ['DL3041', df('FROM fedora:39', 'RUN dnf install -y httpd && dnf clean all'), [2]],
  ['DL3041', df('FROM fedora:39', 'RUN dnf install -y httpd-2.4.58 && dnf clean all'), []],
  ['DL3042', df('FROM python:3.12', 'RUN pip install -r requirements.txt'), [2]],
  ['DL3042', df('FROM python:3.12', 'RUN pip install --no-cache-dir -r requirements.txt', 'RUN PIP_NO_CACHE_DIR=1 pip install -r r.txt', 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt'), []],
  ['DL3042', df('FROM python:3.12', 'ENV PIP_NO_CACHE_DIR=1', 'RUN pip install -r requirements.txt'), []],
  ['DL3043', df(BASE, 'ONBUILD ONBUILD RUN x', 'ONBUILD FROM debian:12', 'ONBUILD MAINTAINER me'), [2, 3, 4]],
  ['DL3043', df(BASE, 'ONBUILD RUN make'), []],
  ['DL3044', df(BASE, 'ENV A=/opt B=$A/bin'), [2]],
  ['DL3044', df(BASE, 'ENV A=/opt', 'ENV B=$A/bin PATH=/x:$PATH', 'ARG C', 'ENV C=1 D=${C}'), []],
  ['DL3045', df(BASE, 'COPY app.js app/'), [2]],
  ['DL3045', df(BASE, 'COPY app.js /app/', 'WORKDIR /app', 'COPY . .'), []],
  ['DL3045', df('FROM debian:12 AS base', 'WORKDIR /app', 'FROM base', 'COPY a.js .'), []],
  ['DL3046', df(BASE, 'RUN useradd -u 123456 app'), [2]],
  ['DL3046', df(BASE, 'RUN useradd -l -u 123456 app', 'RUN useradd -u 1000 app'), []],
  ['DL3047', df(BASE, 'RUN wget https://example.com/x'), [2]],
  ['DL3047', df(BASE, 'RUN wget -q https://example.com/x', 'RUN wget --progress=dot:giga https://e.com/y', 'RUN wget -nv https://e.com/z'), []],
  ['DL3048', df(BASE, 'LABEL Maintainer=me', 'LABEL com.docker.thing=x'), [2, 3]],
  ['DL3048', df(BASE, 'LABEL org.opencontainers.image.source=https://x version=1'), []],
  ['DL3049', df(BASE, 'LABEL maintainer=me'), [1], cfg({ labelSchema: { maintainer: 'text', version: 'semver' } })],
  ['DL3049', df(BASE, 'LABEL maintainer=me version=1.0.0'), [], cfg({ labelSchema: { maintainer: 'text', version: 'semver' } })],
  ['DL3050', df(BASE, 'LABEL maintainer=me', 'LABEL extra=1'), [3], cfg({ labelSchema: { maintainer: 'text' }, strictLabels: true })],
  ['DL3050', df(BASE, 'LABEL maintainer=me', 'LABEL extra=1'), [], cfg({ labelSchema: { maintainer: 'text' } })],
  ['DL3051', df(BASE, 'LABEL maintainer=""'), [2], cfg({ labelSchema: { maintainer: 'text' } })],
  ['DL3051', df(BASE, 'LABEL maintainer=me'), [], cfg({ labelSchema: { maintainer: 'text' } })],
  ['DL3052', df(BASE, 'LABEL homepage=not-a-url'), [2], cfg({ labelSchema: { homepage: 'url' } })],
  ['DL3052', df(BASE, 'LABEL homepage=https://example.com/x'), [], cfg({ labelSchema: { homepage: 'url' } })],
  ['DL3053', df(BASE, 'LABEL created=yesterday'), [2], cfg({ labelSchema: { created: 'rfc3339' } })],
  ['DL3053', df(BASE, 'LABEL created=2024-01-31T12:00:00Z'), [], cfg({ labelSchema: { created: 'rfc3339' } })],
  ['DL3054', df(BASE, 'LABEL license="MIT or whatever"'), [2], cfg({ labelSchema: { license: 'spdx' } })],
  ['DL3054', df(BASE, 'LABEL license="MIT OR Apache-2.0"'), [], cfg({ labelSchema: { license: 'spdx' } })],
  ['DL3055', df(BASE, 'LABEL revision=main'), [2], cfg({ labelSchema: { revision: 'hash' } })],
  ['DL3055', df(BASE, 'LABEL revision=0123456789abcdef0123456789abcdef01234567'), [], cfg({ labelSchema: { revision: 'hash' } })],
  ['DL3056', df(BASE, 'LABEL version=one'), [2], cfg({ labelSchema: { version: 'semver' } })],
  ['DL3056', df(BASE, 'LABEL version=1.2.3-rc.1'), [], cfg({ labelSchema: { version: 'semver' } })],
  ['DL3057', df(BASE, 'CMD ["x"]'), [1], cfg({ override: { info: ['DL3057'] } })],
  ['DL3057', df(BASE, 'CMD ["x"]'), []],
  ['DL3058', df(BASE, 'LABEL email=me'), [2], cfg({ labelSchema: { email: 'email' } })],
  ['DL3058', df(BASE, 'LABEL email=me@example.com'), [], cfg({ labelSchema: { email: 'email' } })],
  ['DL3059', df(BASE, 'RUN a', 'RUN b', '# comment', 'RUN c'), [3, 5]],
  ['DL3059', df(BASE, 'RUN a', 'ENV X=1', 'RUN b', 'RUN --mount=type=cache,target=/c c'), []],
  ['DL3060', df('FROM node:20', 'RUN yarn install --frozen-lockfile'), [2]],
  ['DL3060', df('FROM node:20', 'RUN yarn install --frozen-lockfile && yarn cache clean'), []],
  ['DL4000', df(BASE, 'MAINTAINER me@example.com'), [2]],
  ['DL4000', df(BASE, 'LABEL maintainer=me'), []],
  ['DL4001', df(BASE, 'RUN wget -q https://e.com/a', 'RUN curl -fsSL https://e.com/b'), [3]],
  ['DL4001', df(BASE, 'RUN curl -fsSL https://e.com/b', 'FROM debian:12', 'RUN wget -q https://e.com/a'), []],
  ['DL4003', df(BASE, 'CMD ["a"]', 'CMD ["b"]'), [3]],
  ['DL4003', df(BASE, 'CMD ["a"]', 'FROM debian:12', 'CMD ["b"]'), []],
  ['DL4004', df(BASE, 'ENTRYPOINT ["a"]', 'ENTRYPOINT ["b"]'), [3]],
  ['DL4004', df(BASE, 'ENTRYPOINT ["a"]'), []],
  ['DL4005', df(BASE, 'RUN ln -sfv /bin/bash /bin/sh'), [2]],
  ['DL4005', df(BASE, 'RUN ln -s /usr/bin/python3 /usr/bin/python'), []],
  ['DL4006', df(BASE, 'RUN curl -fsSL https://e.com | sh'), [2]],
  ['DL4006', df(BASE, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'RUN curl -fsSL https://e.com | sh', 'RUN a || b'), []],
  ['SG1001', df(BASE, 'CMD ["x"]'), [1]],
  ['SG1001', df('FROM debian:12 AS base', 'USER root', 'FROM base'), [3]],
  ['SG1001', df(BASE, 'USER app'), []],
  ['SG1001', df('FROM gcr.io/distroless/static:nonroot'), []],
  ['SG1002', df('FROM node:20 AS build', 'HEALTHCHECK CMD true', 'FROM nginx:1.25'), [3]],
  ['SG1002', df('FROM node:20 AS base', 'HEALTHCHECK CMD true', 'FROM base'), []],
  ['SG1002', df(BASE, 'HEALTHCHECK NONE'), []],
  ['SG1003', df('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci'), [3]],
  ['SG1003', df('FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'RUN pip install --no-cache-dir -r requirements.txt'), [3]],
  ['SG1003', df('FROM golang:1.22', 'WORKDIR /src', 'ADD . .', 'RUN go mod download'), [3]],
  ['SG1003', df('FROM node:20', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'RUN npm run build'), []],
  ['SG1004', df(BASE, 'ENV DB_PASSWORD=hunter2', 'ARG GITHUB_TOKEN=ghp_x', 'ENV STRIPE_API_KEY=sk_live'), [2, 3, 4]],
  ['SG1004', df(BASE, 'ARG NPM_TOKEN', 'ENV DB_PASSWORD_FILE=/run/secrets/db', 'ENV TOKEN=${NPM_TOKEN}', 'ENV SECRET_KEY=""'), []],
  ['SG1005', df('# syntax=docker/dockerfile:1', BASE), [1], { airGapped: true }],
  ['SG1005', df('# syntax=docker/dockerfile:1', BASE), []],
  ['SG1009', df('FROM node:20 AS dev', 'CMD ["npm", "run", "dev"]', 'FROM node:20 AS runtime', 'USER node'), [1]],
  ['SG1009', df('FROM debian:12 AS base', 'USER root', 'FROM base AS DEV', 'RUN id'), [3]],
  ['SG1009', df('FROM node:20 AS dev', 'ARG DEV_UID=1000', 'USER ${DEV_UID}:${DEV_UID}', 'FROM node:20 AS runtime'), []],
  ['SG1009', df('FROM debian:12 AS base', 'USER 1000', 'FROM base AS dev', 'FROM gcr.io/distroless/static:nonroot AS x'), []],
  // Not a dev stage: SG1001 is about the final stage.
  ['SG1009', df('FROM node:20 AS build', 'RUN id'), []],
  ['DL3061', df('RUN echo', BASE, 'LABEL a=b'), [1]],
  ['DL3063', df('FROM node:20 AS scratch', 'FROM node:20 AS context'), [1, 2]],
  ['DL3063', df('FROM node:20 AS build', 'FROM scratch'), []],
  ['DL3065', df('FROM --platform=$TARGETPLATFORM debian:12', 'FROM --platform=${TARGETPLATFORM} debian:12'), [1, 2]],
  ['DL3065', df('FROM --platform=$BUILDPLATFORM debian:12 AS b', 'FROM debian:12'), []],
  ['DL3067', df('FROM debian:12 AS b', BASE, 'COPY --from=b / /'), [3]],
  ['DL3067', df('FROM debian:12 AS b', BASE, 'COPY --from=b /app /', 'COPY / /x/'), []],
  ['DL3061', df('# comment', 'ARG TAG=12', 'FROM debian:$TAG'), []],
  ['SG1006', df(BASE, 'COPY present.txt missing.txt /x/', 'ADD missing.tar.gz /opt/'), [2, 3], inContext],
  ['SG1006', df(BASE, 'COPY present.txt /x', 'COPY missing*.txt /y/'), [], inContext],
  ['SG1007', df('FROM node:20 AS build', BASE, 'COPY --from=biuld /a /a'), [3]],
  ['SG1007', df('FROM node:20 AS build', BASE, 'COPY --from=build /a /a', 'COPY --from=nginx:1.27 /b /b'), []],
];

const linesOf = (rule: string, text: string, options?: DockerfileLintOptions): number[] =>
  lintDockerfile({ path: 'Dockerfile', content: text }, options)
    .filter((f) => f.rule === rule)
    .map((f) => f.line);

describe('built-in Dockerfile rules', () => {
  it.each(cases)('%s on case %#', (rule, text, lines, options) => {
    expect(linesOf(rule, text, options)).toEqual(lines);
  });

  it('has a hit case and a miss case for every registered rule', () => {
    for (const { id } of dockerfileRuleIds()) {
      expect(cases.some(([r, , l]) => r === id && l.length > 0), `${id} hit`).toBe(true);
      expect(cases.some(([r, , l]) => r === id && l.length === 0), `${id} miss`).toBe(true);
    }
  });

  it('implements at least 40 hadolint rules', () => {
    expect(dockerfileRuleIds().filter((r) => r.id.startsWith('DL')).length).toBeGreaterThanOrEqual(40);
  });

  it('documents every rule in the README table', () => {
    const readme = fs.readFileSync(new URL('../../../src/lint/dockerfile/README.md', import.meta.url), 'utf8');
    for (const { id, severity } of dockerfileRuleIds()) expect(readme, id).toMatch(new RegExp(`\\| ${id} \\| ${severity} \\|`));
  });
});
