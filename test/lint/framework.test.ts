import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectFiles, detectKind, formatText, lintPaths, parseLintConfig } from '../../src/lint/index.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { lintMemory, rulesOf } from './helpers.js';

describe('kind detection', () => {
  it.each([
    ['Dockerfile', '', 'dockerfile'],
    ['api/api.Dockerfile', '', 'dockerfile'],
    ['Dockerfile.prod', '', 'dockerfile'],
    ['compose.yaml', '', 'compose'],
    ['docker-compose.override.yml', '', 'compose'],
    ['compose.dev.yaml', '', 'compose'],
    ['monitoring/prometheus.yml', 'global: {}\n', 'prometheus-config'],
    ['mon/scrape.yaml', 'scrape_configs: []\n', 'prometheus-config'],
    ['mon/alerts.yml', 'groups:\n  - name: a\n    rules:\n      - alert: X\n', 'prometheus-rules'],
    ['grafana/dashboards/app.json', '{}', 'grafana-dashboard'],
    ['x/app.json', '{"panels": []}', 'grafana-dashboard'],
    ['grafana/provisioning/datasources/prometheus.yml', 'apiVersion: 1\n', 'grafana-provisioning'],
    ['.github/workflows/ci.yaml', '', 'github-workflow'],
    ['.gitlab-ci.yml', '', 'gitlab-ci'],
    ['package.json', '{"name": "x"}', undefined],
    ['config.yml', 'a: 1\n', undefined],
    // By name only: a stackgen spec has top-level services too.
    ['stackgen.yaml', 'version: 1\nservices:\n  api:\n    path: .\n', undefined],
  ])('%s → %s', (p, content, kind) => {
    expect(detectKind({ path: p, content })).toBe(kind);
  });
});

describe('lintPaths', () => {
  let root: string;
  beforeAll(() => {
    root = tempRepo({
      'app/compose.yaml': 'services:\n  a:\n    image: x:1\n    privileged: true\n',
      'app/node_modules/pkg/compose.yaml': 'services:\n  a:\n    privileged: true\n',
      'app/.git/compose.yaml': 'services:\n  a:\n    privileged: true\n',
      'other/Dockerfile': 'FROM alpine:3.20\nMAINTAINER me\n',
      'other/notes.yml': 'a: 1\n',
    }, 'stackgen-lint-walk-');
  });

  it('walks folders, skips node_modules and .git, lints many paths at once with paths as given', async () => {
    const r = await lintPaths([path.join(root, 'app'), path.join(root, 'other', 'Dockerfile')], { external: false });
    const files = [...new Set(r.findings.map((f) => f.file))].sort();
    expect(files).toEqual([`${root}/app/compose.yaml`, `${root}/other/Dockerfile`]);
    expect(r.failed).toBe(true); // DL4000 MAINTAINER is an error
    expect(collectFiles([root]).map((f) => path.relative(root, f.path)).sort()).toEqual(['app/compose.yaml', 'other/Dockerfile']);
  });

  it('a missing path is an input error', async () => {
    await expect(lintPaths([path.join(root, 'nope')])).rejects.toMatchObject({ code: 'E_INPUT' });
  });
});

describe('inline ignores', () => {
  const compose = (pragma: string) => `services:\n  a:\n    image: x:1\n${pragma}    privileged: true\n`;
  it('`# stackgen-lint ignore=RULE reason` on the line before silences that rule there only', async () => {
    expect(rulesOf(await lintMemory({ 'compose.yaml': compose('    # stackgen-lint ignore=SG2007 the device plugin needs it\n') }))).toEqual([]);
    expect(rulesOf(await lintMemory({ 'compose.yaml': compose('    # stackgen-lint ignore=SG2008 wrong rule\n') }))).toEqual(['SG2007']);
  });
  it('a host escape (privileged, host namespaces, engine socket, host paths, ALL/SYS_ADMIN) stays unless the pragma says why', async () => {
    expect(rulesOf(await lintMemory({ 'compose.yaml': compose('    # stackgen-lint ignore=SG2007\n') }))).toEqual(['SG2007']);
    expect(rulesOf(await lintMemory({ 'compose.yaml': 'services:\n  a:\n    image: x:1\n    privileged: true # stackgen-lint ignore=SG2007\n' }))).toEqual(['SG2007']);
    expect(rulesOf(await lintMemory({ 'compose.yaml': `# stackgen-lint global ignore=SG2007,SG2009\n${compose('    pid: host\n')}` })).sort()).toEqual(['SG2007', 'SG2009']);
    // Other rules need no reason.
    const env = 'services:\n  a:\n    image: x:1\n    environment:\n      # stackgen-lint ignore=SG2005\n      K: ${UNSET_K}\n';
    expect(await lintMemory({ 'compose.yaml': env })).toEqual([]);
  });
  it('a trailing pragma applies to its own line; `global ignore` to the file', async () => {
    const trailing = 'services:\n  a:\n    image: x:1\n    privileged: true # stackgen-lint ignore=SG2007 needed\n';
    expect(await lintMemory({ 'compose.yaml': trailing })).toEqual([]);
    const global = `# stackgen-lint global ignore=SG2007,SG2009 lab machine\n${compose('    pid: host\n')}`;
    expect(await lintMemory({ 'compose.yaml': global })).toEqual([]);
  });
});

describe('lint config', () => {
  const yaml = 'services:\n  a:\n    image: x:1\n    environment:\n      K: ${UNSET_K}\n';
  it('ignored drops a rule, override changes its severity', async () => {
    const both = 'services:\n  a:\n    image: x:1\n    privileged: true\n    pid: host\n';
    const config = parseLintConfig('ignored: [SG2009]\noverride:\n  warning: [SG2007]\n', '.stackgen-lint.yaml');
    const f = await lintMemory({ 'compose.yaml': both }, { config });
    expect(f.map((x) => [x.rule, x.severity])).toEqual([['SG2007', 'warning']]);
  });
  it('failure-threshold: warning makes warnings fail the run', async () => {
    const dir = tempRepo({ 'compose.yaml': yaml }, 'stackgen-lint-cfg-');
    expect((await lintPaths([dir], { external: false })).failed).toBe(false);
    const config = parseLintConfig('failure-threshold: warning\n', 'c.yaml');
    expect((await lintPaths([dir], { external: false, config })).failed).toBe(true);
  });
  it('rejects unknown keys and severities with the file named', () => {
    expect(() => parseLintConfig('ignore: [x]\n', 'c.yaml')).toThrow(/c\.yaml: unknown key `ignore`/);
    expect(() => parseLintConfig('override:\n  fatal: [x]\n', 'c.yaml')).toThrow(/override\.fatal/);
    // A .hadolint.yaml works as the config: its Dockerfile-only keys are accepted.
    expect(parseLintConfig('ignored: [DL3008]\ntrustedRegistries: [docker.io]\n', '.hadolint.yaml').ignored).toEqual(['DL3008']);
  });
});

describe('text output', () => {
  it('groups by file, with file:line:col, severity, rule, message, a code frame with a caret, and the fix', async () => {
    const files = [{ path: 'compose.yaml', content: 'services:\n  a:\n    image: x:1\n    pid: host\n' }];
    const f = await lintMemory({ 'compose.yaml': files[0]!.content });
    const text = formatText(f, files);
    const lines = text.split('\n');
    expect(lines[0]).toBe('compose.yaml');
    expect(lines[1]).toMatch(/^compose\.yaml:4:10 {2}error {2}SG2009 {2}a shares the host's process namespace/);
    expect(text).toContain('  > 4 |     pid: host\n');
    expect(lines.find((l) => l.includes('^'))!.indexOf('^')).toBe(lines.find((l) => l.includes('> 4 |'))!.indexOf('host'));
    expect(text).toContain('fix: Remove `pid: host`.');
  });
});

describe('rule documentation', () => {
  it('src/lint/README.md has a row for every SG2xxx–SG5xxx rule the linters emit, and no other', () => {
    const dir = path.join(REPO_ROOT, 'src/lint');
    const code = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const emitted = new Set([...code.matchAll(/'(SG[2-5]\d{3})'/g)].map((m) => m[1]));
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| (SG[2-5]\d{3}) \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...emitted].sort());
  });
});
