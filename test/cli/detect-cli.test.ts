/**
 * `stackgen detect` as a user runs it: its stdout, stderr and exit code, from the command line run in
 * process, and from the real binary where the process matters (a terminal, the installed entry point).
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, spawnCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const ESC = '\u001b[';

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.NO_COLOR;
  delete e.FORCE_COLOR;
  return e;
}

async function stackgen(...args: string[]) {
  return runCli(args, { env: env() });
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), so colour is on unless turned off.
 * Asynchronous: a synchronous spawn would hold the test worker's event loop (see helpers/cli.ts).
 */
async function onTty(...args: string[]): Promise<{ code: number | undefined; stdout: string }> {
  const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = await execa('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, env: { ...env(), TERM: 'xterm' }, extendEnv: false, timeout: 60_000, reject: false });
  return { code: r.exitCode, stdout: String(r.stdout ?? '') };
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;


describe('stackgen detect', () => {
  it('--json prints a topology that parses and describes the static site', async () => {
    const r = await stackgen('detect', 'fixtures/static-site', '--json');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { root: string; services: Array<Record<string, unknown>> };
    expect(t.root).toBe(path.join(REPO_ROOT, 'fixtures/static-site'));
    expect(t.services).toEqual([expect.objectContaining({ name: 'static-site', language: 'static', role: 'static', staticDir: '.', port: null })]);
  });

  // A program reads stdout with one JSON.parse: it must hold exactly one document whatever happened,
  // and the exit code says whether detection succeeded.
  it.each([
    ['nothing found', 'fixtures/negative-empty', 'topology'],
    ['a parse error', 'fixtures/broken-package-json', 'topology'],
    ['a missing folder', path.join(os.tmpdir(), 'stackgen-cli-missing-folder'), 'error'],
    ['a file, not a folder', 'package.json', 'error'],
  ])('--json on %s prints exactly one JSON document and exits 2', async (_case, dir, kind) => {
    const r = await stackgen('detect', dir, '--json');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { services?: unknown[]; warnings?: Array<{ file: string; line?: number }>; error?: { code: string } };
    if (kind === 'topology') {
      expect(doc.services).toEqual([]);
      expect(doc.warnings?.at(-1)?.file).toBe('.');
      expect(doc.error).toBeUndefined();
    } else {
      expect(doc.error?.code).toBe('E_INPUT');
    }
    // The human explanation still reaches the person, on stderr.
    expect(r.stderr).toMatch(/error: /);
  });

  it('--json on a broken package.json keeps the finding with its line in the one document', async () => {
    const r = await stackgen('detect', 'fixtures/broken-package-json', '--json');
    const doc = JSON.parse(r.stdout) as { warnings: Array<{ file: string; line?: number; message: string }> };
    expect(doc.warnings).toContainEqual(expect.objectContaining({ file: 'package.json', line: 6, message: expect.stringMatching(/invalid JSON/) }));
  });

  it('a missing path exits 2 and names the path on stderr', async () => {
    const missing = path.join(os.tmpdir(), 'stackgen-cli-missing-folder');
    const r = await stackgen('detect', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stdout).toBe('');
  });

  it('a file instead of a folder exits 2', async () => {
    const r = await stackgen('detect', 'package.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('package.json');
  });

  it('a repository with nothing to run exits non-zero and lists the ecosystems stackgen knows', async () => {
    const r = await stackgen('detect', 'fixtures/negative-empty');
    expect(r.code).not.toBe(0);
    const all = r.stdout + r.stderr;
    for (const known of ['node (package.json)', 'gleam (gleam.toml)', 'cpp (CMakeLists.txt, meson.build)', 'static (index.html']) expect(all).toContain(known);
  });

  it('--explain prints the evidence with file:line', async () => {
    const r = await stackgen('detect', 'fixtures/crystal-kemal', '--explain');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/detected by\s+crystal/);
    expect(r.stdout).toMatch(/^\s+shard\.yml:\d+ /m);
    expect(r.stdout).toMatch(/^\s+src\/notes\.cr:\d+ /m);
    expect(r.stdout).toContain('Files looked at:');
  });

  it('--no-color output has no escape codes', async () => {
    expect((await stackgen('detect', 'fixtures/dockerfile-only', '--no-color')).stdout).not.toContain(ESC);
  });

  it.skipIf(!hasScript)(`on a terminal colour is on by default and --no-color removes it${hasScript ? '' : ' [SKIPPED: util-linux `script` is not on PATH, no pseudo-terminal to run on]'}`, async () => {
    const coloured = await onTty('detect', 'fixtures/dockerfile-only');
    const plain = await onTty('detect', 'fixtures/dockerfile-only', '--no-color');
    expect(coloured.code).toBe(0);
    expect(plain.code).toBe(0);
    expect(coloured.stdout).toContain(ESC);
    expect(plain.stdout).toContain('dockerfile-only');
    expect(plain.stdout).not.toContain(ESC);
  });

  it('--version prints the package version, in process and from the installed binary', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const r of [await stackgen('--version'), await spawnCli(['--version'], { env: env() })]) {
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    }
  });

  it('--help lists every command and exits 0', async () => {
    const r = await stackgen('--help');
    expect(r.code).toBe(0);
    for (const c of ['detect', 'init', 'render', 'lint', 'validate', 'schema', 'templates', 'verify']) expect(r.stdout).toMatch(new RegExp(`stackgen ${c}\\b`));
  });

  it('an unknown command is a usage error with exit 2', async () => {
    const r = await stackgen('detcet', '.');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stackgen --help/);
  });
});
