/**
 * `stackgen lint` and the render/init lint gates as a user runs them: the command line's output
 * formats, stderr and exit codes (run in process, relative paths against its own working folder).
 * What the linter finds (rules, config, air-gapped, build context) is tested in lint-paths.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

let root: string;

async function stackgen(cwd: string, ...args: string[]) {
  return runCli(args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
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

describe('stackgen lint', () => {
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

  it('sarif: a SARIF 2.1.0 log with relative forward-slash URIs, same exit rule', async () => {
    const r = await stackgen(root, 'lint', '--format', 'sarif', '--no-external', 'bad');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as { version: string; runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs.flatMap((x) => x.results.map((res) => res.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(['bad/compose.yaml']);
  });

  it('a broken --config file is an input error on stderr naming the key', async () => {
    write('cfg/broken.yaml', 'ignore: [x]\n');
    const r = await stackgen(root, 'lint', '--no-external', '--config', 'cfg/broken.yaml', 'warn');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown key `ignore`');
  });

  it('air-gapped from stackgen.yaml: a spec that maps images to a mirror makes `# syntax=` an error', async () => {
    write('gap/Dockerfile', '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nUSER nobody\nHEALTHCHECK CMD true\nCMD ["true"]\n');
    write('gap/stackgen.yaml', 'version: 1\nname: gap\nimages:\n  mirror: registry.internal:5000\nservices: {}\n');
    const r = await stackgen(root, 'lint', '--no-external', 'gap');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('gap/Dockerfile:1:1  error  SG1005');
  });

  it('a missing path exits 2', async () => {
    const r = await stackgen(root, 'lint', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope');
  });
});

describe('stackgen render lint gate', () => {
  let app: string;
  beforeAll(() => {
    app = path.join(root, 'app');
    fs.mkdirSync(path.join(app, '.stackgen/templates/compose'), { recursive: true });
    fs.writeFileSync(path.join(app, 'app.py'), '');
    fs.writeFileSync(path.join(app, 'stackgen.yaml'), 'version: 1\nname: demo\nservices:\n  api:\n    path: .\n    language: python\n    port: 8000\n    publish: 8000\nobservability: {prometheus: false, grafana: false}\n');
    // An ejected compose template that renders an error: a service depends on one that does not exist.
    fs.writeFileSync(path.join(app, '.stackgen/templates/compose/compose.yaml.njk'), 'services:\n  api:\n    image: demo-api:local\n    depends_on: [ghost]\n');
  });

  it('blocks the flush on error findings and lists them with file:line; --no-lint-gate writes anyway, and says so', async () => {
    // (--force does not get past the gate either: writeStack's own test, write-stack.test.ts.)
    const r = await stackgen(app, 'render', '--trust-templates');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:\d+:\d+ SG2002/);
    expect(r.stderr).toContain('--no-lint-gate');
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(false);
    const forced = await stackgen(app, 'render', '--trust-templates', '--no-lint-gate');
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('SG2002');
    expect(forced.stderr).toMatch(/writing despite 1 lint error\(s\) \(--no-lint-gate\)/);
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(true);
  });
});

describe('stackgen init lint gate', () => {
  it('init lints the tree before its flush: an error writes nothing, not even stackgen.yaml', async () => {
    const app = path.join(root, 'init-app');
    fs.cpSync(path.join(REPO_ROOT, 'fixtures/python-stdlib-api'), app, { recursive: true });
    fs.mkdirSync(path.join(app, '.stackgen/templates/compose'), { recursive: true });
    fs.writeFileSync(path.join(app, '.stackgen/templates/compose/compose.yaml.njk'), 'services:\n  api:\n    image: x:1\n    depends_on: [ghost]\n');
    const r = await stackgen(app, 'init', '--yes', '--trust-templates', '--force', '.');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:5:18 SG2002/);
    expect(fs.existsSync(path.join(app, 'stackgen.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'compose.yaml'))).toBe(false);
  });
});
