/**
 * Checks for what fails a build before it starts: an instruction before the first FROM (DL3061), a
 * COPY/ADD source missing from the build context or removed by .dockerignore (SG1006), a
 * `COPY --from` that names nothing (SG1007) and a compose `target:` that names no stage (SG1008).
 * Context checks run against real folders: the disk, and the files a rendered tree is about to write.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lintDockerfile } from '../../../src/lint/dockerfile/lint.js';
import { lintPaths, lintTree } from '../../../src/lint/index.js';
import { VirtualTree } from '../../../src/tree/virtual-tree.js';

const df = (...lines: string[]): string => lines.join('\n') + '\n';
const TAIL = ['USER app', 'HEALTHCHECK NONE'];
const hitsOf = (rule: string, text: string): number[] =>
  lintDockerfile({ path: 'Dockerfile', content: text }).filter((f) => f.rule === rule).map((f) => f.line);

describe('DL3061: instruction before the first FROM', () => {
  it.each([
    ['RUN before FROM', df('RUN echo hi', 'FROM debian:12'), [1]],
    ['ENV and LABEL before FROM', df('# comment', 'ENV A=1', 'LABEL x=y', 'FROM debian:12'), [2, 3]],
    ['a file without FROM', df('RUN a', 'CMD ["b"]'), [1, 2]],
    ['ARG, comments and directives before FROM', df('# syntax=docker/dockerfile:1', '# escape=\\', '# a comment', 'ARG BASE=debian:12', 'FROM $BASE'), []],
    ['instructions after FROM', df('FROM debian:12', 'RUN echo'), []],
  ])('%s', (_name, text, lines) => {
    expect(hitsOf('DL3061', text)).toEqual(lines);
  });

  it('is an error', () => {
    expect(lintDockerfile({ path: 'Dockerfile', content: df('RUN a', 'FROM debian:12') }).find((f) => f.rule === 'DL3061')?.severity).toBe('error');
  });
});

describe('SG1007: COPY --from that names no stage and no image', () => {
  it.each([
    ['a misspelt stage', df('FROM node:20 AS build', 'FROM nginx:1.27', 'COPY --from=buid /a /b'), [3]],
    ['a stage index past the end', df('FROM node:20 AS build', 'FROM nginx:1.27', 'COPY --from=5 /a /b'), [3]],
    ['an earlier stage, any case', df('FROM node:20 AS Build', 'FROM nginx:1.27', 'COPY --from=build /a /b', 'COPY --from=BUILD /a /c'), []],
    ['a stage index', df('FROM node:20', 'FROM nginx:1.27', 'COPY --from=0 /a /b'), []],
    ['image references', df('FROM nginx:1.27', 'COPY --from=busybox:1.36 /bin/sh /sh', 'COPY --from=ghcr.io/org/tool /t /t', 'COPY --from=alpine@sha256:abc /x /x'), []],
    ['a variable', df('ARG FROM_STAGE=build', 'FROM nginx:1.27', 'COPY --from=$FROM_STAGE /a /b'), []],
    // Measured: BuildKit fails the build when a stage copies from a later one.
    ['a later stage', df('FROM nginx:1.27 AS a', 'COPY --from=b /x /x', 'FROM node:20 AS b'), [2]],
    ['a later stage index', df('FROM nginx:1.27 AS a', 'COPY --from=1 /x /x', 'FROM node:20 AS b'), [2]],
    ['its own stage (DL3023\'s finding)', df('FROM nginx:1.27 AS a', 'COPY --from=a /x /x'), []],
  ])('%s', (_name, text, lines) => {
    expect(hitsOf('SG1007', text)).toEqual(lines);
  });

  it('says what Docker would do with the name', () => {
    const f = lintDockerfile({ path: 'Dockerfile', content: df('FROM node:20 AS build', 'FROM nginx:1.27', 'COPY --from=buid /a /b') }).find((x) => x.rule === 'SG1007');
    expect(f).toMatchObject({ severity: 'error', line: 3 });
    expect(f!.message).toContain('--from=buid');
    expect(f!.message).toMatch(/pull an image called `buid`/);
  });
});

describe('SG1006 and SG1008 against a real build context', () => {
  let root: string;
  let cwd: string;
  const write = (p: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), content);
  };
  const lint = async (paths: string[], options: Parameters<typeof lintPaths>[1] = {}) => (await lintPaths(paths.map((p) => path.join(root, p)), { external: false, ...options })).findings;
  const sg = (findings: { rule: string; line: number; message: string; file: string }[], rule = 'SG1006') =>
    findings.filter((f) => f.rule === rule).map((f) => `${path.relative(root, f.file)}:${f.line} ${f.message}`);

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sg-ctx-')));
    cwd = process.cwd();
  });
  afterEach(() => {
    process.chdir(cwd);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a standalone Dockerfile is checked against its own folder', async () => {
    write('app/Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY package.json server.js ./', 'COPY src/ ./src/', ...TAIL));
    write('app/package.json', '{}');
    write('app/src/index.js', '');
    const findings = await lint(['app/Dockerfile']);
    expect(sg(findings)).toEqual([`app/Dockerfile:3 COPY source \`server.js\` does not exist in the build context ${path.join(root, 'app')}`]);
    expect(findings.find((f) => f.rule === 'SG1006')).toMatchObject({ severity: 'error', tool: 'stackgen' });
  });

  it('names the .dockerignore rule and line that removed a source, and honours `!` exceptions', async () => {
    write('Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY .env.example config/app.json secrets/key.pem ./', ...TAIL));
    write('.env.example', 'A=1');
    write('config/app.json', '{}');
    write('secrets/key.pem', 'x');
    write('.dockerignore', '# secrets stay out\n**/.env*\n!**/.env.example\n**/secrets/\nconfig\n');
    expect(sg(await lint(['Dockerfile']))).toEqual([
      'Dockerfile:3 COPY source `config/app.json` is excluded from the build context ' + root + ' by `config` (' + path.join(root, '.dockerignore') + ':5)',
      'Dockerfile:3 COPY source `secrets/key.pem` is excluded from the build context ' + root + ' by `**/secrets/` (' + path.join(root, '.dockerignore') + ':4)',
    ]);
  });

  it('a Dockerfile-specific <name>.dockerignore wins over the context one', async () => {
    write('Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY a.txt ./', ...TAIL));
    write('a.txt', 'a');
    write('.dockerignore', 'a.txt\n');
    write('Dockerfile.dockerignore', '*.md\n');
    expect(sg(await lint(['Dockerfile']))).toEqual([]);
  });

  it('skips what does not come from the context: globs (empty ones copy nothing), --from, URLs, variables, heredocs', async () => {
    write('Dockerfile', df(
      'FROM node:20 AS build',
      'WORKDIR /app',
      'COPY package*.json poetry.lock* ./',
      'FROM nginx:1.27',
      'COPY --from=build /app/dist /usr/share/nginx/html',
      'ADD https://example.com/x.tar.gz /opt/',
      'ARG CONF=nginx.conf',
      'COPY $CONF /etc/nginx/',
      'COPY <<EOF /etc/motd',
      'hello',
      'EOF',
      ...TAIL,
    ));
    expect(sg(await lint(['Dockerfile']))).toEqual([]);
  });

  it('`..` cannot leave the context: `../a.txt` is the context\'s a.txt (as BuildKit resolves it)', async () => {
    write('Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY ../a.txt /b.txt ./', ...TAIL));
    write('a.txt', 'a');
    expect(sg(await lint(['Dockerfile']))).toEqual([`Dockerfile:3 COPY source \`/b.txt\` does not exist in the build context ${root}`]);
  });

  it('the compose file\'s build.context decides where sources are looked up', async () => {
    write('compose.yaml', 'services:\n  api:\n    build:\n      context: .\n      dockerfile: services/api/Dockerfile\n');
    write('services/api/Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY package.json services/api/src/ ./', ...TAIL));
    write('package.json', '{}');
    // Relative to the Dockerfile's folder this would be missing; relative to the compose context it is there.
    expect(sg(await lint(['compose.yaml', 'services/api/Dockerfile']))).toEqual([`services/api/Dockerfile:3 COPY source \`services/api/src/\` does not exist in the build context ${root}`]);
    write('services/api/src/index.js', '');
    expect(sg(await lint(['compose.yaml', 'services/api/Dockerfile']))).toEqual([]);
  });

  it('--context DIR sets the context of a Dockerfile no compose file builds', async () => {
    write('docker/Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY package.json ./', ...TAIL));
    write('package.json', '{}');
    expect(sg(await lint(['docker/Dockerfile']))).toHaveLength(1);
    process.chdir(root);
    expect(sg((await lintPaths(['docker/Dockerfile'], { external: false, context: '.' })).findings.map((f) => ({ ...f, file: path.join(root, f.file) })))).toEqual([]);
  });

  it('a rendered tree sees the files it is about to write plus what is on disk', async () => {
    write('src/index.js', '');
    const tree = new VirtualTree(root);
    tree.write('compose.yaml', 'services:\n  web:\n    build: .\n');
    tree.write('Dockerfile', df('FROM node:20', 'WORKDIR /app', 'COPY nginx.conf src/ healthcheck.js ./', ...TAIL));
    tree.write('nginx.conf', 'server {}');
    const findings = (await lintTree(tree, { external: false })).findings.filter((f) => f.rule === 'SG1006');
    expect(findings.map((f) => f.message)).toEqual([`COPY source \`healthcheck.js\` does not exist in the build context`]);
  });

  it('lintFiles on in-memory files has no disk to look at, so the check is skipped', async () => {
    const { lintFiles } = await import('../../../src/lint/index.js');
    const findings = await lintFiles([{ path: 'Dockerfile', content: df('FROM node:20', 'COPY nope.txt /x', ...TAIL) }], { external: false });
    expect(findings.filter((f) => f.rule === 'SG1006')).toEqual([]);
  });

  it('SG1008: a compose build target that names no stage, reported at `target:`', async () => {
    write('compose.yaml', 'services:\n  api:\n    build:\n      context: .\n      target: runtime\n  worker:\n    build:\n      context: .\n      target: build\n');
    write('Dockerfile', df('FROM node:20 AS build', 'WORKDIR /app', 'FROM node:20-slim AS prod', ...TAIL));
    const findings = await lint(['compose.yaml', 'Dockerfile']);
    expect(findings.filter((f) => f.rule === 'SG1008').map((f) => [path.relative(root, f.file), f.line, f.severity, f.message])).toEqual([
      ['compose.yaml', 5, 'error', 'service `api` builds target `runtime`, but ' + path.join(root, 'Dockerfile') + ' has no stage named so (stages: build, prod)'],
    ]);
  });

  it('SG1008 honours a `# stackgen-lint ignore=` in the compose file', async () => {
    write('compose.yaml', 'services:\n  api:\n    build:\n      context: .\n      # stackgen-lint ignore=SG1008 the stage comes from a later PR\n      target: runtime\n');
    write('Dockerfile', df('FROM node:20 AS build', ...TAIL));
    expect((await lint(['compose.yaml', 'Dockerfile'])).filter((f) => f.rule === 'SG1008')).toEqual([]);
  });
});
