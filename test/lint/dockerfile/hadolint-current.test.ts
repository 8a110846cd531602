/**
 * Cases from current hadolint's rule documentation, tests and release notes (2.13–2.15 and master),
 * family by family: ONBUILD, stage inheritance, cache mounts, environment settings, command aliases,
 * option values, version pins, SHELL for DL4006, and the exact scope of DL3059/DL3045/DL3025.
 * Each case is a Dockerfile and the lines where the rule must fire ([] = must not fire).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_HADOLINT_CONFIG } from '../../../src/lint/dockerfile/config.js';
import { lintDockerfile } from '../../../src/lint/dockerfile/lint.js';

const df = (...lines: string[]): string => lines.join('\n') + '\n';
const linesOf = (rule: string, text: string): number[] =>
  lintDockerfile({ path: 'Dockerfile', content: text }).filter((f) => f.rule === rule).map((f) => f.line);

type Case = [rule: string, why: string, dockerfile: string, lines: number[]];
const D = 'FROM debian:12';
const PY = 'FROM python:3.12';
const F = 'FROM fedora:40';

const cases: Case[] = [
  // ONBUILD: the trigger is checked by every rule hadolint wraps with `onbuild`.
  ['DL3008', 'ONBUILD apt-get install unpinned', df(D, 'ONBUILD RUN apt-get install -y --no-install-recommends curl'), [2]],
  ['DL3016', 'ONBUILD npm install unpinned', df('FROM node:20', 'ONBUILD RUN npm install express'), [2]],
  ['DL3028', 'ONBUILD gem install unpinned', df('FROM ruby:3.3', 'ONBUILD RUN gem install rails'), [2]],
  ['DL3033', 'ONBUILD yum install unpinned', df('FROM centos:7', 'ONBUILD RUN yum install -y httpd && yum clean all'), [2]],
  ['DL3040', 'ONBUILD dnf without clean', df(F, 'ONBUILD RUN dnf install -y httpd-2.4.1'), [2]],
  ['DL3047', 'ONBUILD wget without progress', df(D, 'ONBUILD RUN wget https://example.com/x'), [2]],
  ['DL4001', 'ONBUILD wget and curl', df(D, 'ONBUILD RUN wget -q https://e.com/a', 'ONBUILD RUN curl -fsS https://e.com/b'), [3]],
  ['DL4001', 'a plain RUN and a trigger are separate states', df(D, 'RUN wget -q https://e.com/a', 'ONBUILD RUN curl -fsS https://e.com/b'), []],
  ['DL3003', 'DL3003 is not applied inside ONBUILD', df(D, 'ONBUILD RUN cd /tmp'), []],
  ['DL3000', 'DL3000 is not applied inside ONBUILD', df(D, 'ONBUILD WORKDIR rel'), []],
  ['DL3025', 'DL3025 is not applied inside ONBUILD', df(D, 'ONBUILD CMD node x.js'), []],

  // Stage inheritance: FROM <alias> starts with the base stage's state; FROM scratch with nothing.
  ['DL3042', 'ENV PIP_NO_CACHE_DIR in the base stage', df(`${PY} AS base`, 'ENV PIP_NO_CACHE_DIR=1', 'FROM base', 'RUN pip install flask==3.0'), []],
  ['DL3042', 'ENV in an unrelated stage', df(`${PY} AS base`, 'ENV PIP_NO_CACHE_DIR=1', PY, 'RUN pip install flask==3.0'), [4]],
  ['DL3042', 'FROM scratch inherits nothing', df(`${PY} AS base`, 'ENV PIP_NO_CACHE_DIR=1', 'FROM scratch', 'RUN pip install flask==3.0'), [4]],
  ['DL3042', 'two generations down', df(`${PY} AS a`, 'ENV PIP_NO_CACHE_DIR=yes', 'FROM a AS b', 'FROM b', 'RUN pip install flask==3.0'), []],
  ['DL3045', 'WORKDIR in the base stage', df(`${D} AS base`, 'WORKDIR /app', 'FROM base', 'COPY a.js .'), []],
  ['DL3045', 'WORKDIR in an unrelated stage', df(`${D} AS base`, 'WORKDIR /app', D, 'COPY a.js .'), [4]],
  ['DL3045', 'FROM scratch inherits no WORKDIR', df(`${D} AS base`, 'WORKDIR /app', 'FROM scratch', 'COPY a.js .'), [4]],
  ['DL3002', 'a root USER in the base stage', df(`${D} AS base`, 'USER root', 'RUN id', 'FROM base', 'RUN id'), [2]],
  ['DL3002', 'switching back in the same stage', df(`${D} AS base`, 'USER root', 'RUN id', 'USER app', 'FROM scratch', 'RUN id'), []],
  ['DL3002', 'USER 0:0 and root:root', df(D, 'USER root:root', 'FROM debian:12', 'USER 0:0'), [2, 4]],

  // Cache and tmpfs mounts on the manager's cache folder satisfy its "clean the cache" rule.
  ['DL3040', 'cache mount on /var/cache/libdnf5', df(F, 'RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y httpd-2.4.1'), []],
  ['DL3040', 'tmpfs mount on /var/cache/libdnf5, microdnf', df(F, 'RUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y httpd-2.4.1'), []],
  ['DL3040', 'cache mount on a user .cache/libdnf5', df(F, 'RUN --mount=type=cache,target=/root/.cache/libdnf5 dnf in -y httpd-2.4.1'), []],
  ['DL3040', 'a mount elsewhere does not count', df(F, 'RUN --mount=type=cache,target=/var/lib/foo dnf install -y httpd-2.4.1'), [2]],
  ['DL3036', 'cache mount on /var/cache/zypp', df('FROM opensuse/leap:15', 'RUN --mount=type=cache,target=/var/cache/zypp zypper install -y curl=8'), []],
  ['DL3036', 'tmpfs mount on /var/cache/zypp', df('FROM opensuse/leap:15', 'RUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y curl=8'), []],
  ['DL3060', 'cache mount on a .cache/yarn folder', df('FROM node:20', 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install'), []],
  ['DL3060', 'tmpfs mount on /root/.cache/yarn', df('FROM node:20', 'RUN --mount=type=tmpfs,target=/root/.cache/yarn yarn install'), []],
  ['DL3060', 'a mount elsewhere does not count', df('FROM node:20', 'RUN --mount=type=cache,target=/var/lib/foobar yarn install'), [2]],
  ['DL3042', 'cache mount on .cache/pip of any user', df(PY, 'RUN --mount=type=cache,target=/home/app/.cache/pip pip install flask==3.0'), []],
  ['DL3042', 'tmpfs mount on /root/.cache/pip', df(PY, 'RUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask==3.0'), []],
  ['DL3019', 'cache mount on /var/cache/apk', df('FROM alpine:3.20', 'RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r0'), []],
  ['DL3009', 'cache mounts on both /var/lib/apt and /var/cache/apt', df(D, 'RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update'), []],
  ['DL3009', 'apt: a cache mount on /var/cache/apt alone is not enough, docker-clean removed or not', df(D, 'RUN --mount=type=cache,target=/var/cache/apt rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update'), [2]],
  ['DL3009', 'apt: /var/lib/apt alone is not enough', df(D, 'RUN rm -f /etc/apt/apt.conf.d/docker-clean', 'RUN --mount=type=cache,target=/var/lib/apt apt-get update'), [3]],
  ['DL3009', 'a bind mount is not a cache', df(D, 'RUN --mount=type=bind,target=/var/lib/apt/lists apt-get update'), [2]],

  // Environment settings that count as flags.
  ['DL3042', 'ENV PIP_NO_CACHE_DIR=true', df(PY, 'ENV PIP_NO_CACHE_DIR=true', 'RUN pip install flask==3.0'), []],
  ['DL3042', 'ENV PIP_NO_CACHE_DIR=0 is false-ish', df(PY, 'ENV PIP_NO_CACHE_DIR=0', 'RUN pip install flask==3.0'), [3]],
  ['DL3042', 'ENV PIP_NO_CACHE_DIR=false', df(PY, 'ENV PIP_NO_CACHE_DIR=false', 'RUN pip install flask==3.0'), [3]],
  ['DL3042', 'ENV after the RUN does not help', df(PY, 'RUN pip install flask==3.0', 'ENV PIP_NO_CACHE_DIR=1'), [2]],
  ['DL3042', 'ARG is not ENV', df(PY, 'ARG PIP_NO_CACHE_DIR=1', 'RUN pip install flask==3.0'), [3]],
  ['DL3042', 'export in the RUN', df(PY, 'RUN export PIP_NO_CACHE_DIR=on && pip install flask==3.0'), []],
  ['DL3042', 'command prefix', df(PY, 'RUN PIP_NO_CACHE_DIR=YES pip install flask==3.0'), []],
  ['DL3042', 'false-ish command prefix', df(PY, 'RUN PIP_NO_CACHE_DIR=0 pip install flask==3.0'), [2]],
  ['DL3042', 'pipx manages its own cache', df(PY, 'RUN pipx install poetry==1.8.3'), []],
  ['DL3042', 'pipenv manages its own cache', df(PY, 'RUN pipenv install', 'RUN python -m pipenv install'), []],

  // Command aliases and sub-commands.
  ['DL3040', 'dnf in', df(F, 'RUN dnf in -y httpd-2.4.1'), [2]],
  ['DL3040', 'dnf up', df(F, 'RUN dnf up -y'), [2]],
  ['DL3040', 'dnf reinstall', df(F, 'RUN dnf reinstall -y httpd-2.4.1'), [2]],
  ['DL3040', 'microdnf install', df(F, 'RUN microdnf install -y httpd-2.4.1'), [2]],
  ['DL3040', 'dnf group install', df(F, 'RUN dnf group install -y "Development Tools"'), [2]],
  ['DL3040', 'clean before the install cleans nothing', df(F, 'RUN dnf clean all && dnf install -y httpd-2.4.1'), [2]],
  ['DL3040', 'rm -rf /var/cache/libdnf5*', df(F, 'RUN dnf install -y httpd-2.4.1 && rm -rf /var/cache/libdnf5*'), []],
  ['DL3040', 'microdnf clean all after microdnf', df(F, 'RUN microdnf install -y httpd-2.4.1 && microdnf clean all'), []],
  ['DL3040', 'dnf clean does not clean microdnf', df(F, 'RUN microdnf install -y httpd-2.4.1 && dnf clean all'), [2]],
  ['DL3041', 'dnf group install names groups', df(F, 'RUN dnf group install -y "Development Tools" && dnf clean all'), []],
  ['DL3041', 'dnf module install needs a stream', df(F, 'RUN dnf module install -y nodejs && dnf clean all'), [2]],
  ['DL3041', 'dnf module install with a stream', df(F, 'RUN dnf module install -y nodejs:20 && dnf clean all'), []],
  ['DL3041', 'a dash is not a version', df(F, 'RUN dnf install -y httpd-devel && dnf clean all'), [2]],
  ['DL3041', 'version from an ENV', df(F, 'ENV HTTPD_VERSION=2.4.1', 'RUN dnf install -y httpd-${HTTPD_VERSION} && dnf clean all'), []],
  ['DL3041', 'version from an ARG', df('ARG V=2.4.1', F, 'RUN dnf install -y httpd-${V} && dnf clean all'), []],
  ['DL3041', 'version from an ENV of the base stage', df(`${F} AS base`, 'ENV V=2.4.1', 'FROM base', 'RUN dnf install -y httpd-${V} && dnf clean all'), []],
  ['DL3041', 'an undefined variable', df(F, 'RUN dnf install -y httpd-${V} && dnf clean all'), [2]],
  ['DL3038', 'microdnf without -y', df(F, 'RUN microdnf install httpd-2.4.1 && microdnf clean all'), [2]],
  ['DL3038', 'dnf group install without -y', df(F, 'RUN dnf group install "Development Tools" && dnf clean all'), [2]],
  ['DL3033', 'yum module install needs a stream', df('FROM centos:8', 'RUN yum module install -y nodejs && yum clean all'), [2]],
  ['DL3033', 'yum module install with a stream', df('FROM centos:8', 'RUN yum module install -y nodejs:20 && yum clean all'), []],
  ['DL3033', 'yum version from an ENV', df('FROM centos:8', 'ENV V=2.4.1', 'RUN yum install -y httpd-${V} && yum clean all'), []],
  ['DL3032', 'clean before install', df('FROM centos:7', 'RUN yum clean all && yum install -y httpd-2.4'), [2]],
  ['DL3032', 'rm -rf /var/cache/yum/*', df('FROM centos:7', 'RUN yum install -y httpd-2.4 && rm -rf /var/cache/yum/*'), []],
  ['DL3009', 'apt update', df(D, 'RUN apt update && apt install -y curl'), [2]],
  ['DL3009', 'aptitude update', df(D, 'RUN aptitude update && aptitude install -y curl'), [2]],
  ['DL3009', 'apt update with cleanup', df(D, 'RUN apt update && apt install -y curl && rm -rf /var/lib/apt/lists/*'), []],
  ['DL3013', 'pipx install unpinned', df(PY, 'RUN pipx install poetry'), [2]],
  ['DL3013', 'pipx install pinned', df(PY, 'RUN pipx install poetry==1.8.3'), []],
  ['DL3013', 'pipx --python takes a value', df(PY, 'RUN pipx install --python python3.12 poetry==1.8.3'), []],
  ['DL3013', 'pip3 install unpinned', df(PY, 'RUN pip3 install --no-cache-dir flask'), [2]],
  ['DL3013', 'python -m pip install unpinned', df(PY, 'RUN python3.12 -m pip install --no-cache-dir flask'), [2]],
  ['DL3014', '-q -q counts as -y', df(D, 'RUN apt-get -q -q install --no-install-recommends curl=1'), []],
  ['DL3014', '--quiet --quiet counts as -y', df(D, 'RUN apt-get --quiet --quiet install --no-install-recommends curl=1'), []],
  ['DL3014', '-qq counts as -y', df(D, 'RUN apt-get -qq install --no-install-recommends curl=1'), []],
  ['DL3014', 'a single -q does not', df(D, 'RUN apt-get -q install --no-install-recommends curl=1'), [2]],
  ['DL3014', 'three quiet flags do not', df(D, 'RUN apt-get -qqq install --no-install-recommends curl=1'), [2]],
  ['DL3014', '-q=2 counts', df(D, 'RUN apt-get -q=2 install --no-install-recommends curl=1'), []],

  // Options that take a value: the value is not a package.
  ['DL3016', 'npm --registry URL', df('FROM node:20', 'RUN npm install --registry https://registry.example.com express@4.19.2'), []],
  ['DL3016', 'npm --loglevel verbose', df('FROM node:20', 'RUN npm install --loglevel verbose express@4.19.2'), []],
  ['DL3016', 'npm --registry URL with an unpinned package', df('FROM node:20', 'RUN npm install --registry https://registry.example.com express'), [2]],
  ['DL3016', 'npm install -g unpinned', df('FROM node:20', 'RUN npm install -g typescript'), [2]],
  ['DL3013', 'pip --root-user-action ignore', df(PY, 'RUN pip install --no-cache-dir --root-user-action ignore flask==3.0'), []],
  ['DL3013', 'pip --index-url URL', df(PY, 'RUN pip install --no-cache-dir --index-url https://pypi.example.com flask==3.0'), []],
  ['DL3028', 'gem build flags after --', df('FROM ruby:3.3', 'RUN gem install mysql2:0.5.6 -- --with-mysql-config=/usr/bin/mysql_config'), []],
  ['DL3028', 'gem -v pins', df('FROM ruby:3.3', 'RUN gem install rails -v 7.1.3', 'RUN gem install rails --version=7.1.3'), []],
  ['DL3028', 'gem name:version', df('FROM ruby:3.3', 'RUN gem install bundler:2.5.6 rake:13.2.1'), []],
  ['DL3028', 'gem i alias', df('FROM ruby:3.3', 'RUN gem i rake'), [2]],

  // Version pin syntaxes.
  ['DL3018', 'apk fuzzy ~', df('FROM alpine:3.20', 'RUN apk add --no-cache curl~8.9'), []],
  ['DL3018', 'apk =~', df('FROM alpine:3.20', 'RUN apk add --no-cache curl=~8.9'), []],
  ['DL3018', 'apk >= (quoted)', df('FROM alpine:3.20', 'RUN apk add --no-cache "curl>=8.9"'), []],
  ['DL3018', 'apk < (quoted)', df('FROM alpine:3.20', "RUN apk add --no-cache 'curl<9'"), []],
  ['DL3018', 'apk unpinned next to pinned', df('FROM alpine:3.20', 'RUN apk add --no-cache curl~8.9 git'), [2]],
  ['DL3013', 'local path foo/bar is not a package', df(PY, 'RUN pip install --no-cache-dir foo/bar'), []],
  ['DL3013', 'pip install . is a local project', df(PY, 'RUN pip install --no-cache-dir .'), []],
  ['DL3013', 'a wheel file', df(PY, 'RUN pip install --no-cache-dir dist/app-1.0-py3-none-any.whl'), []],
  ['DL3013', 'a VCS URL without @ref', df(PY, 'RUN pip install --no-cache-dir git+https://github.com/org/repo'), [2]],
  ['DL3013', 'a VCS URL with @ref', df(PY, 'RUN pip install --no-cache-dir git+https://github.com/org/repo@v1.0'), []],
  ['DL3013', 'a constraints file', df(PY, 'RUN pip install --no-cache-dir -c constraints.txt flask'), []],

  // Exact scope of DL3059, DL3045 and DL3025.
  ['DL3059', 'two single-command RUNs', df(D, 'RUN a', 'RUN b'), [3]],
  ['DL3059', 'a RUN with more than two commands is a deliberate split', df(D, 'RUN a && b && c', 'RUN d'), []],
  ['DL3059', 'the previous RUN with more than two commands', df(D, 'RUN a', 'RUN b && c && d'), []],
  ['DL3059', 'two commands each still count', df(D, 'RUN a && b', 'RUN c && d'), [3]],
  ['DL3059', 'different mounts', df(D, 'RUN --mount=type=cache,target=/a a', 'RUN b'), []],
  ['DL3059', 'same mounts', df(D, 'RUN --mount=type=cache,target=/a a', 'RUN --mount=type=cache,target=/a b'), [3]],
  ['DL3059', 'a comment does not break the sequence', df(D, 'RUN a', '# why', 'RUN b'), [4]],
  ['DL3045', 'ADD is not checked', df(D, 'ADD a.tar.gz rel/'), []],
  ['DL3045', 'a variable destination', df(D, 'COPY a.js $APP/'), []],
  ['DL3045', 'a quoted absolute destination', df(D, 'COPY a.js "/app/"'), []],
  ['DL3045', 'a Windows absolute destination', df('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'COPY a.js c:/app/'), []],
  ['DL3045', 'WORKDIR after the COPY', df(D, 'COPY a.js app/', 'WORKDIR /app'), [2]],
  ['DL3025', 'HEALTHCHECK in shell form', df(D, 'HEALTHCHECK --interval=5s CMD curl -f http://localhost/'), [2]],
  ['DL3025', 'HEALTHCHECK in exec form', df(D, 'HEALTHCHECK --interval=5s CMD ["curl", "-f", "http://localhost/"]'), []],
  ['DL3025', 'HEALTHCHECK NONE', df(D, 'HEALTHCHECK NONE'), []],

  // DL3044: a name defined by one pair and read by another pair of the same ENV, in either order.
  ['DL3044', 'read after its definition', df(D, 'ENV BLA="blubb" BLUBB="$BLA/blubb"'), [2]],
  ['DL3044', 'read before its definition', df(D, 'ENV BLUBB="${BLA}/blubb" BLA="blubb"'), [2]],
  ['DL3044', 'a longer name is another variable', df(D, 'ENV BLA="blubb" BLUBB="$BLAFOO/blubb"'), []],
  ['DL3044', 'defined by an earlier ARG', df(D, 'ARG BLA', 'ENV BLA=${BLA} X=$BLA'), []],
  ['DL3044', 'PATH twice in one ENV, defined before', df(D, 'ENV PATH=/bla:${PATH}', 'ENV PATH=/a:${PATH} PATH=/b:${PATH}'), []],
  ['DL3046', '--uid is not read', df(D, 'RUN useradd --uid 123456 app'), []],
  ['DL3046', '-u with a long UID', df(D, 'RUN useradd -u 123456 app'), [2]],

  // DL4006: a SHELL with -o pipefail for bash, zsh or ash, in any path.
  ['DL4006', '/usr/bin/bash', df(D, 'SHELL ["/usr/bin/bash", "-o", "pipefail", "-c"]', 'RUN a | b'), []],
  ['DL4006', 'zsh', df(D, 'SHELL ["zsh", "-o", "pipefail", "-c"]', 'RUN a | b'), []],
  ['DL4006', '/bin/ash', df('FROM alpine:3.20', 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]', 'RUN a | b'), []],
  ['DL4006', '-o without pipefail', df(D, 'SHELL ["/bin/bash", "-o", "errexit", "-c"]', 'RUN a | b'), [3]],
  ['DL4006', 'sh has no pipefail', df(D, 'SHELL ["/bin/sh", "-o", "pipefail", "-c"]', 'RUN a | b'), [3]],
  ['DL4006', 'pwsh is not POSIX', df('FROM mcr.microsoft.com/powershell:7.4', 'SHELL ["pwsh", "-c"]', 'RUN a | b'), []],
];

describe('agreement with current hadolint', () => {
  it.each(cases)('%s: %s', (rule, _why, text, lines) => {
    expect(linesOf(rule, text)).toEqual(lines);
  });

  const trusted = { config: { ...DEFAULT_HADOLINT_CONFIG, trustedRegistries: ['registry.example.com'] } };
  const dl3026 = (text: string): number[] => lintDockerfile({ path: 'Dockerfile', content: text }, trusted).filter((f) => f.rule === 'DL3026').map((f) => f.line);
  it.each([
    ['COPY --from an untrusted image', df('FROM registry.example.com/node:20 AS build', 'COPY --from=quay.io/x/tool:1 /t /t'), [2]],
    ['COPY --from a trusted image or an earlier stage', df('FROM registry.example.com/node:20 AS build', 'COPY --from=registry.example.com/tool:1 /t /t', 'COPY --from=build /a /a'), []],
    ['RUN --mount from an untrusted image', df('FROM registry.example.com/node:20', 'RUN --mount=type=bind,from=quay.io/x/src:1,target=/src make'), [2]],
    ['RUN --mount without from (scratch)', df('FROM registry.example.com/node:20', 'RUN --mount=type=cache,target=/root/.npm npm ci'), []],
  ])('DL3026: %s', (_why, text, lines) => {
    expect(dl3026(text)).toEqual(lines);
  });
});
