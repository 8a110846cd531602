/**
 * Existing compose files: services with `build:` become services at their context folder; backing
 * images become backing services with the tag's version; image-only apps are not this repo's.
 */
import { describe, expect, it } from 'vitest';
import { at, detectTree } from './others-tree.js';

const node = (port: number) => `FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n# listens on ${port}\n`;

describe('compose services with build', () => {
  it('long build syntax, long port syntax, command list, healthcheck, depends_on backing with versions', async () => {
    const t = await detectTree({
      'docker-compose.yml': [
        'version: "3.8"',
        'services:',
        '  worker-api:',
        '    build:',
        '      context: ./services/api',
        '      dockerfile: Dockerfile',
        '    ports:',
        '      - target: 4000',
        '        published: 80',
        '    command: ["node", "index.js", "--port", "4000"]',
        '    healthcheck:',
        '      test: curl -fsS http://localhost:4000/api/health || exit 1',
        '    depends_on: [pg, queue, search, kafka]',
        '  pg:',
        '    image: bitnami/postgresql:15.6.0',
        '  queue:',
        '    image: rabbitmq:3-management',
        '  search:',
        '    image: getmeili/meilisearch:v1.8',
        '  kafka:',
        '    image: confluentinc/cp-kafka:7.6.1',
        '  proxy:',
        '    image: nginx:1.27',
        '    ports: ["80:80"]',
      ].join('\n'),
      'services/api/Dockerfile': node(4000),
      'services/api/index.js': 'require("http").createServer().listen(4000)\n',
    });
    const s = at(t, 'services/api');
    expect(s).toMatchObject({ language: 'node', port: 4000, healthPath: '/api/health', commands: { start: 'node index.js --port 4000' }, backingServices: ['kafka', 'meilisearch', 'postgres', 'rabbitmq'] });
    expect(t.backingServices.map((b) => [b.kind, b.version])).toEqual([
      ['kafka', '7.6.1'],
      ['meilisearch', '1.8'],
      ['postgres', '15.6.0'],
      ['rabbitmq', '3'],
    ]);
    // nginx with no build is not a service of this repository.
    expect(t.services.map((x) => x.path)).toEqual(['services/api']);
    expect(s.evidence.some((e) => e.file === 'docker-compose.yml' && e.line === 7)).toBe(true);
  });

  it('environment URLs to another built service become dependsOn, even when compose names differ from folders', async () => {
    const t = await detectTree({
      'compose.yaml': [
        'services:',
        '  web:',
        '    build: ./frontend',
        '    ports: ["3000:3000"]',
        '    environment:',
        '      - API_URL=http://backend-svc:8000',
        '  backend-svc:',
        '    build: ./api',
        '    ports: ["127.0.0.1:9000:8000/tcp"]',
        '    environment:',
        '      DATABASE_URL: postgresql://u:p@db:5432/app',
        '  db:',
        '    image: postgres:16-alpine',
      ].join('\n'),
      'frontend/Dockerfile': node(3000),
      'api/Dockerfile': 'FROM python:3.12-slim\nCMD ["python", "-m", "http.server", "8000"]\n',
    });
    expect(at(t, 'frontend').dependsOn).toEqual(['api']);
    expect(at(t, 'api')).toMatchObject({ port: 8000, backingServices: ['postgres'] });
    expect(t.backingServices).toEqual([expect.objectContaining({ kind: 'postgres', version: '16', usedBy: ['api'] })]);
  });

  it('backing images nobody names belong to every service under the compose file\'s folder', async () => {
    const t = await detectTree({
      'compose.yml': 'services:\n  a:\n    build: ./a\n    ports: ["8001:8001"]\n  b:\n    build: ./b\n    ports: ["8002:8002"]\n  cache:\n    image: redis:7.2-alpine\n',
      'a/Dockerfile': node(8001),
      'b/Dockerfile': node(8002),
    });
    expect(at(t, 'a').backingServices).toEqual(['redis']);
    expect(at(t, 'b').backingServices).toEqual(['redis']);
    expect(t.backingServices).toEqual([expect.objectContaining({ kind: 'redis', version: '7.2' })]);
  });

  it('a compose file kept in docker/ building the folder above gives it the backing services', async () => {
    const t = await detectTree({
      'docker/docker-compose.yml': 'services:\n  app:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n    ports: ["8000:8000"]\n  mongo:\n    image: mongo:7.0\n',
      'docker/Dockerfile': 'FROM python:3.12\nCMD ["python", "app.py"]\n',
    });
    expect(at(t, '.')).toMatchObject({ language: 'python', port: 8000, backingServices: ['mongodb'] });
    expect(t.backingServices).toEqual([expect.objectContaining({ kind: 'mongodb', version: '7.0' })]);
  });

  it('a compose file with only backing images serves the services under its folder', async () => {
    const t = await detectTree({
      'compose.yaml': 'services:\n  db:\n    image: mysql:8.4\n  mq:\n    image: nats:2.10-alpine\n',
      'svc/Dockerfile': 'FROM node:20\nEXPOSE 3000\nCMD ["node", "index.js"]\n',
    });
    expect(at(t, 'svc').backingServices).toEqual(['mysql', 'nats']);
  });

  it('an override file fills a port the base file left out, but does not replace one', async () => {
    const t = await detectTree({
      'docker-compose.yml': 'services:\n  app:\n    build: .\n  other:\n    build: ./other\n    ports: ["5000:5000"]\n',
      'docker-compose.override.yml': 'services:\n  app:\n    ports: ["8080:8080"]\n  other:\n    build: ./other\n    ports: ["5001:5001"]\n',
      'Dockerfile': 'FROM python:3.12\nCMD ["python", "app.py"]\n',
      'other/Dockerfile': 'FROM python:3.12\nCMD ["python", "app.py"]\n',
    });
    expect(at(t, 'other').port).toBe(5000);
    // The override's `app` has no build, so it adds nothing to the root service.
    expect(at(t, '.').port).toBe(null);
  });

  it('${VAR:-default} and .env values are substituted in ports and contexts', async () => {
    const t = await detectTree({
      'compose.yaml': 'services:\n  svc:\n    build: ${SVC_DIR:-./svc}\n    ports:\n      - "${HOST_PORT:-8080}:${APP_PORT}"\n',
      '.env': 'APP_PORT=7000\n',
      'svc/Dockerfile': node(7000),
    });
    expect(at(t, 'svc').port).toBe(7000);
  });

  it('services sharing the root context are placed at their Dockerfile\'s folder', async () => {
    const t = await detectTree({
      'compose.yaml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: apps/web/Dockerfile\n    ports: ["3000:3000"]\n  api:\n    build:\n      context: .\n      dockerfile: apps/api/Dockerfile\n    ports: ["8000:8000"]\n',
      'apps/web/Dockerfile': node(3000),
      'apps/api/Dockerfile': 'FROM python:3.12\nCMD ["python", "-m", "api"]\n',
    });
    expect(t.services.map((s) => [s.path, s.language, s.port])).toEqual([
      ['apps/api', 'python', 8000],
      ['apps/web', 'node', 3000],
    ]);
  });

  it('build contexts outside the repository and remote contexts are ignored', async () => {
    const t = await detectTree({
      'compose.yaml': 'services:\n  up:\n    build: ../elsewhere\n  remote:\n    build: https://github.com/example/app.git#main\n',
    });
    expect(t.services).toEqual([]);
  });
});

describe('compose services that run tests are not the app', () => {
  const web = {
    'web/package.json': JSON.stringify({ name: 'web', scripts: { start: 'node server.js' }, dependencies: {} }),
    'web/server.js': 'require("http").createServer((q, r) => r.end("ok")).listen(process.env.PORT);\n',
    'web/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
  };
  const compose = (runner: string) => `services:\n  web:\n    build: ./web\n${runner}`;

  it.each([
    ['named for its test tool', '  playwright:\n    build: ./web\n    ports: ["9323:9323"]\n', {}],
    ['running a test command', '  checks:\n    build: ./web\n    command: npm run test\n    ports: ["9323:9323"]\n', {}],
    ['building a test Dockerfile', '  qa:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.e2e\n    ports: ["9323:9323"]\n', { 'web/Dockerfile.e2e': 'FROM node:20\nCOPY . .\n' }],
    ['built from a browser-test image', '  qa:\n    build:\n      context: ./web\n      dockerfile: Dockerfile.browser\n    ports: ["9323:9323"]\n', { 'web/Dockerfile.browser': 'FROM mcr.microsoft.com/playwright:v1.49.0-jammy\nCOPY . .\n' }],
  ])('a service %s gives the app no port, command or evidence', async (_why, runner, extra) => {
    const t = await detectTree({ ...web, ...extra, 'compose.yaml': compose(runner) });
    const s = at(t, 'web');
    expect(s.port).not.toBe(9323);
    expect(s.commands.start).toBe('node server.js');
    expect(s.evidence.filter((e) => e.signal.includes('9323') || /`(playwright|checks|qa)`/.test(e.signal))).toEqual([]);
  });

  it('an SPA whose folder holds a Playwright Dockerfile, used by an override file\'s test service: static, no port from the test runner', async () => {
    const t = await detectTree({
      'compose.yml': 'services:\n  backend:\n    build:\n      context: .\n      dockerfile: backend/Dockerfile\n    ports: ["8000:8000"]\n',
      'compose.override.yml': 'services:\n  playwright:\n    build:\n      context: .\n      dockerfile: frontend/Dockerfile.playwright\n    ports:\n      - 9323:9323\n',
      'backend/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["fastapi", "run"]\n',
      'frontend/Dockerfile.playwright': 'FROM mcr.microsoft.com/playwright:v1.49.0-jammy\nCOPY . .\n',
      'frontend/package.json': JSON.stringify({ name: 'frontend', scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^6.0.0' } }),
      'frontend/index.html': '<!doctype html><div id="app"></div>\n',
    });
    const f = at(t, 'frontend');
    expect([f.role, f.port]).toEqual(['static', null]);
    expect(f.evidence.filter((e) => e.file === 'compose.override.yml' || e.file === 'frontend/Dockerfile.playwright')).toEqual([]);
    expect(at(t, 'backend').port).toBe(8000);
    // backend/Dockerfile is built from the root (`context: .`): its COPY lines name root paths.
    expect(at(t, 'backend').dockerBuild).toEqual({ dockerfile: 'backend/Dockerfile', context: '.' });
    expect(f.dockerBuild).toBeUndefined();
  });
});

describe('broken compose files', () => {
  it('invalid YAML is a warning with its line, and detection goes on', async () => {
    const t = await detectTree({
      'compose.yaml': 'services:\n  app:\n    build: .\n    ports:\n   - "80:80"\n  bad: [\n',
      'Dockerfile': 'FROM node:20\nEXPOSE 3000\n',
    });
    const w = t.warnings.find((x) => x.file === 'compose.yaml');
    expect(w?.message).toMatch(/invalid YAML/);
    expect(w?.line).toBeGreaterThan(1);
    expect(at(t)).toMatchObject({ language: 'node', port: 3000 });
  });

  it('valid YAML of the wrong shape is ignored without a crash', async () => {
    for (const body of ['- a\n- b\n', 'services: 3\n', 'services:\n  x: "string"\n  y:\n    build: 7\n    ports: 8080\n', '']) {
      const t = await detectTree({ 'compose.yaml': body });
      expect(t.services).toEqual([]);
      expect(t.warnings.every((w) => !/detector failed/.test(w.message))).toBe(true);
    }
  });
});
