/**
 * stackgen on a repository its user did not write (a pull request in CI, a fresh clone), through the
 * command line (run in process, so planted template code would run right here): the flags, what
 * stderr says and the exit codes. The attacks themselves are covered in
 * process by test/tree/untrusted-paths.test.ts and test/render/repository-templates.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATES_DIR } from '../../src/render/engine.js';
import { sha256 } from '../../src/tree/manifest.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

async function stackgen(args: string[], env: NodeJS.ProcessEnv = {}) {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  delete e.CI;
  delete e.STACKGEN_TRUST_TEMPLATES;
  Object.assign(e, env);
  return runCli(args, { env: e });
}

/** A copy of a fixture inside a fresh folder that also holds an `outside` folder next to it. */
function repo(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-untrusted-'));
  tmpDirs.push(base);
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.cpSync(path.join(FIXTURES_DIR, 'python-stdlib-api'), root, { recursive: true });
  fs.rmSync(path.join(root, 'stackgen.test.json'));
  fs.mkdirSync(outside);
  return { root, outside };
}

/** The built-in compose template behind one line of code that writes `pwned` (Nunjucks has no sandbox). */
function plantTemplate(root: string, pwned: string): void {
  const code = `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(pwned)}, 'pwned'); return 'template code ran'`;
  const dir = path.join(root, '.stackgen/templates/compose');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'compose.yaml.njk'), `# {{ range.constructor(${JSON.stringify(code)})() }}\n${fs.readFileSync(path.join(BUILTIN_TEMPLATES_DIR, 'compose/compose.yaml.njk'), 'utf8')}`);
}

describe('repository templates', () => {
  it('init --yes --dry-run and detect do not run them, even with STACKGEN_TRUST_TEMPLATES=1; stderr says how to opt in', async () => {
    const { root, outside } = repo();
    const pwned = path.join(outside, 'pwned');
    plantTemplate(root, pwned);
    expect((await stackgen(['detect', root])).code).toBe(0);
    for (const env of [{}, { STACKGEN_TRUST_TEMPLATES: '1' }]) {
      const r = await stackgen(['init', '--yes', '--dry-run', root], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('warning: .stackgen/templates/ (1 file) was ignored');
      expect(r.stderr).toContain('--trust-templates');
      expect(r.stdout).not.toContain('template code ran');
    }
    expect(fs.existsSync(pwned)).toBe(false);
    expect(fs.existsSync(path.join(root, 'compose.yaml'))).toBe(false);
  }, 240_000);

  it('--trust-templates uses them in a dry run; STACKGEN_TRUST_TEMPLATES=1 does for a render that writes', async () => {
    const { root, outside } = repo();
    const pwned = path.join(outside, 'pwned');
    plantTemplate(root, pwned);
    const dry = await stackgen(['init', '--yes', '--dry-run', '--trust-templates', root]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+# template code ran');
    expect(dry.stderr).not.toContain('was ignored');
    expect(fs.readFileSync(pwned, 'utf8')).toBe('pwned');
    fs.rmSync(pwned);

    expect((await stackgen(['init', '--yes', root])).code).toBe(0);
    expect(fs.existsSync(pwned)).toBe(false);
    expect(fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8')).not.toContain('template code ran');
    expect((await stackgen(['render', root], { STACKGEN_TRUST_TEMPLATES: '1' })).code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8')).toContain('# template code ran');
  }, 240_000);
});

describe('the project boundary', () => {
  it('a manifest key outside the project: exit 1 naming the key, the outside file kept', async () => {
    const { root, outside } = repo();
    expect((await stackgen(['init', '--yes', root])).code).toBe(0);
    const victim = path.join(outside, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const manifest = path.join(root, '.stackgen/manifest.json');
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { files: Record<string, { sha256: string }> };
    m.files['../outside/victim.txt'] = { sha256: sha256('precious\n') };
    fs.writeFileSync(manifest, JSON.stringify(m));
    const r = await stackgen(['render', root, '--prune-edited', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"../outside/victim.txt"');
    expect(r.stderr).toMatch(/hint: /);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
  }, 240_000);

  it('a symlinked .github: exit 1, the error names the link and where it points, nothing written outside', async () => {
    const { root, outside } = repo();
    fs.symlinkSync(outside, path.join(root, '.github'));
    const r = await stackgen(['init', '--yes', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`.github is a symbolic link to ${outside}`);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.existsSync(path.join(root, 'stackgen.yaml'))).toBe(false);
  }, 240_000);

  it('templates eject refuses a link below its destination, inside the project or under --to', async () => {
    const { root, outside } = repo();
    fs.mkdirSync(path.join(root, '.stackgen'));
    fs.symlinkSync(outside, path.join(root, '.stackgen/templates'));
    const inProject = await stackgen(['templates', 'eject', 'compose/compose.yaml.njk', root]);
    expect(inProject.code).toBe(1);
    expect(inProject.stderr).toContain('.stackgen/templates is a symbolic link to');

    const to = path.join(path.dirname(root), 'my-templates');
    fs.mkdirSync(to);
    fs.symlinkSync(outside, path.join(to, 'compose'));
    const elsewhere = await stackgen(['templates', 'eject', 'compose/compose.yaml.njk', '--to', to]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('compose is a symbolic link to');
    expect(fs.readdirSync(outside)).toEqual([]);

    // --to itself is the user's choice, wherever it is.
    const fine = await stackgen(['templates', 'eject', 'compose/compose.yaml.njk', '--to', path.join(outside, 'chosen')]);
    expect(fine.code).toBe(0);
    expect(fs.existsSync(path.join(outside, 'chosen/compose/compose.yaml.njk'))).toBe(true);
  }, 240_000);
});

describe('write flags', () => {
  it('--force overwrites conflicts but keeps a stale file you edited; --prune-edited deletes it', async () => {
    const { root } = repo();
    expect((await stackgen(['init', '--yes', root])).code).toBe(0);
    const workflow = path.join(root, '.github/workflows/docker.yml');
    fs.appendFileSync(workflow, '# mine\n');
    const spec = path.join(root, 'stackgen.yaml');
    const text = fs.readFileSync(spec, 'utf8');
    expect(text).toMatch(/provider: github/);
    fs.writeFileSync(spec, text.replace(/provider: github/, 'provider: none'));
    // A dry run leaves the manifest as it is, so the next run meets the same stale, edited file.
    const forced = await stackgen(['render', root, '--force', '--dry-run']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/keep\s+\.github\/workflows\/docker\.yml.*--prune-edited deletes it/);
    const pruned = await stackgen(['render', root, '--prune-edited']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/deleted\s+\.github\/workflows\/docker\.yml/);
    expect(fs.existsSync(workflow)).toBe(false);
  }, 240_000);
});
