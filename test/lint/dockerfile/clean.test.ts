/** Well-written production Dockerfiles lint clean: no false positives on the idioms stackgen emits. */
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../../../src/lint/dockerfile/lint.js';

const NODE = `ARG NODE_VERSION=20.11.1
FROM node:\${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev

FROM node:\${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:\${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN apt-get update \\
    && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD ["curl", "-fsS", "http://127.0.0.1:3000/health"]
CMD ["node", "dist/server.js"]
`;

const PYTHON = `FROM python:3.12.2-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PIP_NO_CACHE_DIR=1
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt \\
    && useradd --no-log-init -r -u 10001 app
COPY . .
USER 10001
EXPOSE 8000
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
ENTRYPOINT ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
`;

const GO = `FROM golang:1.22.1-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
HEALTHCHECK NONE
ENTRYPOINT ["/app"]
`;

describe('clean Dockerfiles', () => {
  it.each([
    ['node', NODE],
    ['python', PYTHON],
    ['go', GO],
  ])('%s has no findings', (_name, content) => {
    expect(lintDockerfile({ path: 'Dockerfile', content })).toEqual([]);
  });
});
