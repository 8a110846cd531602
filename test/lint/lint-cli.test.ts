/** `stackgen lint` and the render lint gate as a user runs them: the real binary, stdout, stderr, exit code. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

let root: string;

async function stackgen(cwd: string, ...args: string[]) {
  return runCli(args, { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
}

function write(p: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  fs.writeFileSync(path.join(root, p), content);
}

beforeAll(() => {
  // dist/ is built once by test/global-setup.ts: rebuilding it here raced other files' CLI children.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-lint-cli-'));
  write('bad/compose.yaml', 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n');
  write('warn/compose.yaml', 'services:\n  a:\n    image: x:1\n    environment:\n      K: ${UNSET_K}\n');
  write('warn/node_modules/x/compose.yaml', 'services:\n  a:\n    image: x:1\n    privileged: true\n');
  write('clean/compose.yaml', 'services:\n  a:\n    image: x:1\n');
  write('clean/.github/workflows/ci.yml', 'on: [push]\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n');
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('stackgen lint (real CLI)', () => {
  it('text: file:line:col, rule, code frame, fix; exit 1 on an error finding', async () => {
    const r = await stackgen(root, 'lint', 'bad');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad/compose.yaml:5:26  error  SG2011');
    expect(r.stdout).toContain('  > 5 |       POSTGRES_PASSWORD: postgres');
    expect(r.stdout).toMatch(/fix: .*POSTGRES_PASSWORD/);
    expect(r.stdout).toMatch(/1 error\(s\), 0 warning\(s\)/);
  });

  it('warnings only exit 0; node_modules is not walked', async () => {
    const r = await stackgen(root, 'lint', 'warn');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warn/compose.yaml:5:10  warning  SG2005');
    expect(r.stdout).not.toContain('node_modules');
  });

  it('json: {"findings": [...]} for many paths, same exit rule', async () => {
    const r = await stackgen(root, 'lint', '--format', 'json', 'bad', 'warn/compose.yaml');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; line: number }[] };
    expect(out.findings.map((f) => [f.file, f.rule, f.line])).toEqual([
      ['bad/compose.yaml', 'SG2011', 5],
      ['warn/compose.yaml', 'SG2005', 5],
    ]);
    expect(JSON.parse((await stackgen(root, 'lint', '--json', 'warn')).stdout)).toHaveProperty('findings');
  });

  it('sarif: one run per tool, relative forward-slash URIs', async () => {
    const r = await stackgen(root, 'lint', '--format', 'sarif', '.');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string } }; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((x) => x.tool.driver.name).sort()).toEqual(['actionlint', 'stackgen']);
    const uris = log.runs.flatMap((x) => x.results.map((res) => res.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toContain('clean/.github/workflows/ci.yml');
    expect(uris).toContain('bad/compose.yaml');
  });

  it('--no-external runs only the built-in checks', async () => {
    expect((await stackgen(root, 'lint', 'clean')).code).toBe(1); // actionlint: github.nope
    const r = await stackgen(root, 'lint', '--no-external', 'clean');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  it('--config: ignored and failure-threshold', async () => {
    write('cfg/ignore.yaml', 'ignored: [SG2011]\n');
    write('cfg/strict.yaml', 'failure-threshold: warning\n');
    expect((await stackgen(root, 'lint', '--config', 'cfg/ignore.yaml', 'bad')).code).toBe(0);
    expect((await stackgen(root, 'lint', '--config', 'cfg/strict.yaml', 'warn')).code).toBe(1);
    write('cfg/broken.yaml', 'ignore: [x]\n');
    const r = await stackgen(root, 'lint', '--config', 'cfg/broken.yaml', 'warn');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown key `ignore`');
  });

  it('air-gapped: `# syntax=` is an error with --air-gapped, or when stackgen.yaml maps images to a mirror', async () => {
    write('gap/Dockerfile', '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nUSER nobody\nHEALTHCHECK CMD true\nCMD ["true"]\n');
    expect((await stackgen(root, 'lint', '--no-external', 'gap')).code).toBe(0);
    const r = await stackgen(root, 'lint', '--no-external', '--air-gapped', 'gap');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('gap/Dockerfile:1:1  error  SG1005');
    write('gap/stackgen.yaml', 'version: 1\nname: gap\nimages:\n  mirror: registry.internal:5000\nservices: {}\n');
    expect((await stackgen(root, 'lint', '--no-external', 'gap')).code).toBe(1);
  });

  it('a Dockerfile that would not build: instruction before FROM, a missing COPY source; --context moves the context', async () => {
    write('ctx/docker/Dockerfile', 'LABEL x=y\nFROM node:20\nWORKDIR /app\nCOPY package.json ./\nUSER node\nHEALTHCHECK NONE\n');
    write('ctx/package.json', '{}');
    const r = await stackgen(path.join(root, 'ctx'), 'lint', '--no-external', 'docker/Dockerfile');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('docker/Dockerfile:1:1  error  DL3061');
    expect(r.stdout).toContain('docker/Dockerfile:4:1  error  SG1006');
    expect(r.stdout).toContain('COPY source `package.json` does not exist in the build context docker');
    const moved = await stackgen(path.join(root, 'ctx'), 'lint', '--no-external', '--context', '.', 'docker/Dockerfile');
    expect(moved.stdout).not.toContain('SG1006');
    expect(moved.stdout).toContain('DL3061');
  });

  it('a missing path exits 2', async () => {
    const r = await stackgen(root, 'lint', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope');
  });
});

describe('stackgen render lint gate (real CLI)', () => {
  let app: string;
  beforeAll(() => {
    app = path.join(root, 'app');
    fs.mkdirSync(path.join(app, '.stackgen/templates/compose'), { recursive: true });
    fs.writeFileSync(path.join(app, 'app.py'), '');
    fs.writeFileSync(path.join(app, 'stackgen.yaml'), 'version: 1\nname: demo\nservices:\n  api:\n    path: .\n    language: python\n    port: 8000\n    publish: 8000\nobservability: {prometheus: false, grafana: false}\n');
    // An ejected compose template that renders an error: a service depends on one that does not exist.
    fs.writeFileSync(path.join(app, '.stackgen/templates/compose/compose.yaml.njk'), 'services:\n  api:\n    image: demo-api:local\n    depends_on: [ghost]\n');
  });

  it('blocks the flush on error findings and lists them with file:line', async () => {
    const r = await stackgen(app, 'render', '--trust-templates');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:\d+:\d+ SG2002/);
    expect(r.stderr).toContain('--no-lint-gate');
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(false);
  });

  it('--force overwrites conflicts only: it does not get past the gate', async () => {
    const r = await stackgen(app, 'render', '--trust-templates', '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:\d+:\d+ SG2002/);
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(false);
  });

  it('--no-lint-gate writes anyway, and says so', async () => {
    const r = await stackgen(app, 'render', '--trust-templates', '--no-lint-gate');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('SG2002');
    expect(r.stderr).toMatch(/writing despite 1 lint error\(s\) \(--no-lint-gate\)/);
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(true);
  });
});

describe('stackgen init lint gate (real CLI)', () => {
  it('init lints the tree before its flush: an error writes nothing, not even stackgen.yaml', async () => {
    const app = path.join(root, 'init-app');
    fs.cpSync(path.join(REPO_ROOT, 'fixtures/python-stdlib-api'), app, { recursive: true });
    fs.mkdirSync(path.join(app, '.stackgen/templates/compose'), { recursive: true });
    fs.writeFileSync(path.join(app, '.stackgen/templates/compose/compose.yaml.njk'), 'services:\n  api:\n    image: x:1\n    depends_on: [ghost]\n');
    const r = await stackgen(app, 'init', '--yes', '--trust-templates', '--force', '.');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:5:18 SG2002/);
    expect(fs.existsSync(path.join(app, 'stackgen.yaml'))).toBe(false);
    fs.rmSync(path.join(app, '.stackgen'), { recursive: true });
    expect((await stackgen(app, 'init', '--yes', '.')).code).toBe(0);
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(true);
  });
});
