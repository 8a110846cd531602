import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let root: string;

async function stackgen(...args: string[]) {
  return runCli(args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(() => {
  // dist/ is built once by test/global-setup.ts: rebuilding it here raced other files' CLI children.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-cli-'));
  fs.writeFileSync(path.join(root, 'app.py'), '');
  fs.writeFileSync(
    path.join(root, 'stackgen.yaml'),
    'version: 1\nname: demo\nservices:\n  api:\n    path: .\n    language: python\n    port: 8000\n    publish: 8000\n    dependsOn: [postgres]\nbackingServices:\n  postgres: {kind: postgres}\nobservability: {prometheus: false, grafana: false}\n',
  );
}, 120_000);
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('stackgen render', () => {
  it('dry-run lists the files and a diff without secret values, and writes nothing', async () => {
    const r = await stackgen('render', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/create\s+compose\.yaml/);
    expect(r.stdout).toContain('+++ b/compose.yaml');
    expect(r.stdout).toContain('+POSTGRES_PASSWORD=<redacted>');
    expect(r.stdout).not.toMatch(/POSTGRES_PASSWORD=[A-Za-z0-9_-]{32}/);
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
  });

  it('writes the stack, then reports no changes', async () => {
    expect((await stackgen('render')).code).toBe(0);
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    const again = await stackgen('render');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no changes');
  });

  it('keeps a file the user edited and exits 3 until --force', async () => {
    fs.appendFileSync(path.join(root, 'Dockerfile'), 'RUN echo mine\n');
    const r = await stackgen('render');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--force');
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toContain('RUN echo mine');
    expect((await stackgen('render', '--force')).code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).not.toContain('RUN echo mine');
  });

  it('a pipeline of the user\'s own at the workflow path is kept, and the hint names how to keep it for good', async () => {
    const own = path.join(root, '.github/workflows/docker.yml');
    const mine = 'name: mine\non: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make\n';
    fs.rmSync(path.join(root, '.github'), { recursive: true, force: true });
    fs.rmSync(path.join(root, '.stackgen'), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(own), { recursive: true });
    fs.writeFileSync(own, mine);
    const r = await stackgen('render');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('.github/workflows/docker.yml');
    expect(r.stderr).toContain('ci.provider: none');
    expect(r.stderr).not.toContain('dockerfile.path');
    expect(fs.readFileSync(own, 'utf8')).toBe(mine);
    fs.rmSync(path.join(root, '.github'), { recursive: true, force: true });
  });

  it('fails with the schema path for an invalid spec', async () => {
    fs.writeFileSync(path.join(root, 'bad.yaml'), 'version: 1\nname: Demo\nservices: {}\n');
    const r = await stackgen('render', '--spec', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.yaml');
  });

  it('templates list shows shadowing, eject copies once and refuses to overwrite', async () => {
    expect((await stackgen('templates', 'list')).stdout).toMatch(/built-in\s+dockerfile\/python\/Dockerfile\.njk/);
    const e = await stackgen('templates', 'eject', 'dockerfile/python/Dockerfile.njk');
    expect(e.code).toBe(0);
    expect(fs.existsSync(path.join(root, '.stackgen/templates/dockerfile/python/Dockerfile.njk'))).toBe(true);
    // The project's own templates are listed, and marked as ignored until trusted.
    expect((await stackgen('templates', 'list')).stdout).toMatch(/ignored\s+dockerfile\/python\/Dockerfile\.njk.*--trust-templates/);
    expect((await stackgen('templates', 'list', '--trust-templates')).stdout).toMatch(/overridden\s+dockerfile\/python\/Dockerfile\.njk/);
    const rows = JSON.parse((await stackgen('templates', 'list', '--json')).stdout) as Array<{ template: string; overridden: boolean; used: boolean }>;
    expect(rows.find((r) => r.template === 'dockerfile/python/Dockerfile.njk')).toMatchObject({ overridden: true, used: false });
    expect((await stackgen('templates', 'eject', 'dockerfile/python/Dockerfile.njk')).code).toBe(3);
    expect((await stackgen('templates', 'eject', 'dockerfile/python/Dockerfile.njk', '--force')).code).toBe(0);
    expect((await stackgen('templates', 'eject', 'no/such')).code).toBe(2);
  });
});
