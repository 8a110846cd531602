/**
 * What `stackgen lint` decides, called in process through the library (`lintPaths`, the lint config,
 * SARIF): findings, their places and the pass/fail verdict. The real binary's output and exit codes
 * are in lint-cli.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLintConfig } from '../../src/lint/config.js';
import { lintPaths, toSarif } from '../../src/lint/index.js';
import { tempRepo } from '../helpers/temp-repo.js';

let root: string;
const at = (p: string) => path.join(root, p);
const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
const places = (findings: { file: string; rule: string; line: number; severity: string }[]) => findings.map((f) => [rel(f.file), f.rule, f.line, f.severity]);

function write(p: string, content: string): void {
  fs.mkdirSync(path.dirname(at(p)), { recursive: true });
  fs.writeFileSync(at(p), content);
}

beforeAll(() => {
  root = tempRepo({
    'bad/compose.yaml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n',
    'warn/compose.yaml': 'services:\n  a:\n    image: x:1\n    environment:\n      K: ${UNSET_K}\n',
    'warn/node_modules/x/compose.yaml': 'services:\n  a:\n    image: x:1\n    privileged: true\n',
    'clean/compose.yaml': 'services:\n  a:\n    image: x:1\n',
    'clean/.github/workflows/ci.yml': 'on: [push]\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n',
  }, 'stackgen-lint-paths-');
});

describe('lintPaths', () => {
  it('an error finding has file, line, rule and fix, and fails the run', async () => {
    const r = await lintPaths([at('bad')], { external: false, root });
    expect(places(r.findings)).toEqual([['bad/compose.yaml', 'SG2011', 5, 'error']]);
    expect(r.findings[0]!.column).toBe(26);
    expect(r.findings[0]!.fix).toMatch(/POSTGRES_PASSWORD/);
    expect(r.failed).toBe(true);
  });

  it('warnings alone pass; node_modules is not walked', async () => {
    const r = await lintPaths([at('warn')], { external: false, root });
    expect(places(r.findings)).toEqual([['warn/compose.yaml', 'SG2005', 5, 'warning']]);
    expect(r.failed).toBe(false);
    expect(r.files.some((f) => f.path.includes('node_modules'))).toBe(false);
  });

  it('external tools: actionlint finds what the built-in checks do not; external: false runs only the built-in ones', async () => {
    const withExternal = await lintPaths([at('clean')], { root });
    expect(withExternal.findings.map((f) => f.tool)).toContain('actionlint');
    expect(withExternal.failed).toBe(true);
    const builtIn = await lintPaths([at('clean')], { external: false, root });
    expect(builtIn.findings).toEqual([]);
    expect(builtIn.failed).toBe(false);
  });

  it('SARIF: one run per tool, relative forward-slash URIs', async () => {
    const r = await lintPaths([at('bad'), at('clean')], { root });
    // SARIF URIs are the finding paths as given: the CLI, run in `root`, is given relative ones.
    const findings = r.findings.map((f) => ({ ...f, file: rel(f.file) }));
    const log = toSarif(findings, { version: '0.0.0' }) as { version: string; runs: { tool: { driver: { name: string } }; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((x) => x.tool.driver.name).sort()).toEqual(['actionlint', 'stackgen']);
    const uris = log.runs.flatMap((x) => x.results.map((res) => res.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(expect.arrayContaining(['clean/.github/workflows/ci.yml', 'bad/compose.yaml']));
  });

  it('lint config: ignored rules and the failure threshold; an unknown key is an error naming it', async () => {
    write('cfg/ignore.yaml', 'ignored: [SG2011]\n');
    write('cfg/strict.yaml', 'failure-threshold: warning\n');
    write('cfg/broken.yaml', 'ignore: [x]\n');
    expect((await lintPaths([at('bad')], { external: false, root, config: loadLintConfig(at('cfg/ignore.yaml')) })).failed).toBe(false);
    expect((await lintPaths([at('warn')], { external: false, root, config: loadLintConfig(at('cfg/strict.yaml')) })).failed).toBe(true);
    expect(() => loadLintConfig(at('cfg/broken.yaml'))).toThrow(/unknown key `ignore`/);
  });

  it('air-gapped: `# syntax=` is an error only when no registry is reachable', async () => {
    write('gap/Dockerfile', '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nUSER nobody\nHEALTHCHECK CMD true\nCMD ["true"]\n');
    expect((await lintPaths([at('gap')], { external: false, root })).failed).toBe(false);
    const r = await lintPaths([at('gap')], { external: false, root, airGapped: true });
    expect(places(r.findings)).toContainEqual(['gap/Dockerfile', 'SG1005', 1, 'error']);
    expect(r.failed).toBe(true);
  });

  it('a Dockerfile that would not build: instruction before FROM, a missing COPY source; `context` moves the build context', async () => {
    write('ctx/docker/Dockerfile', 'LABEL x=y\nFROM node:20\nWORKDIR /app\nCOPY package.json ./\nUSER node\nHEALTHCHECK NONE\n');
    write('ctx/package.json', '{}');
    const ctx = at('ctx');
    const r = await lintPaths([path.join(ctx, 'docker/Dockerfile')], { external: false, root: ctx });
    expect(places(r.findings).filter(([, rule]) => rule === 'DL3061' || rule === 'SG1006')).toEqual([
      ['ctx/docker/Dockerfile', 'DL3061', 1, 'error'],
      ['ctx/docker/Dockerfile', 'SG1006', 4, 'error'],
    ]);
    expect(r.findings.find((f) => f.rule === 'SG1006')!.message).toContain('COPY source `package.json` does not exist in the build context');
    const moved = await lintPaths([path.join(ctx, 'docker/Dockerfile')], { external: false, root: ctx, context: ctx });
    expect(moved.findings.map((f) => f.rule)).not.toContain('SG1006');
    expect(moved.findings.map((f) => f.rule)).toContain('DL3061');
  });
});
