/**
 * A repository's `.stackgen/templates/` is code from whoever wrote the repository: Nunjucks has no
 * sandbox, so the template below reaches Node's fs and writes a file. It must run only when the
 * person running stackgen opts in — never on a plain render or a dry run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withSpecDefaults } from '../../src/spec/load.js';
import { generate } from '../../src/generate.js';
import { BUILTIN_TEMPLATES_DIR } from '../../src/render/engine.js';
import { render } from '../../src/render/render.js';
import type { SpecInput } from '../../src/spec/types.generated.js';
import { tempRepo } from '../helpers/temp-repo.js';

let root: string;
let pwned: string;
beforeEach(() => {
  root = tempRepo({ 'app.py': '' }, 'stackgen-repo-templates-');
  pwned = path.join(root, '..', `${path.basename(root)}-pwned`);
  // The built-in compose template with one line of code in front: it writes a file outside the project.
  const code = `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(pwned)}, 'pwned'); return 'template code ran'`;
  const dir = path.join(root, '.stackgen/templates/compose');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'compose.yaml.njk'), `# {{ range.constructor(${JSON.stringify(code)})() }}\n${fs.readFileSync(path.join(BUILTIN_TEMPLATES_DIR, 'compose/compose.yaml.njk'), 'utf8')}`);
});
afterEach(() => fs.rmSync(pwned, { force: true }));

const spec = () =>
  withSpecDefaults({
    version: 1,
    name: 'demo',
    services: { api: { path: '.', language: 'python', port: 8000, publish: 8000 } },
    observability: { prometheus: false, grafana: false },
  } satisfies SpecInput);

describe('repository templates', () => {
  it('are ignored by default: the code does not run, the built-in template renders, and a warning says how to opt in', async () => {
    const tree = await render(spec(), { rootDir: root });
    expect(fs.existsSync(pwned)).toBe(false);
    expect(tree.read('compose.yaml')).not.toContain('template code ran');
    expect(tree.warnings).toHaveLength(1);
    expect(tree.warnings[0]!.message).toContain('.stackgen/templates/ (1 file) was ignored');
    expect(tree.warnings[0]!.hint).toContain('--trust-templates');
    expect(tree.warnings[0]!.file).toBe(path.join(root, '.stackgen/templates'));
  });

  it('are ignored by a dry run through the library too, and the warning comes back with the result', async () => {
    const r = await generate(spec(), { rootDir: root, dryRun: true });
    expect(fs.existsSync(pwned)).toBe(false);
    expect(r.diff).not.toContain('template code ran');
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringContaining('was ignored')]);
  });

  it('are used when trusted (trustTemplates), without a warning', async () => {
    const tree = await render(spec(), { rootDir: root, trustTemplates: true });
    expect(fs.readFileSync(pwned, 'utf8')).toBe('pwned');
    expect(tree.read('compose.yaml')).toContain('# template code ran');
    expect(tree.warnings).toEqual([]);
  });

  it('are used when named explicitly as a template folder', async () => {
    const tree = await render(spec(), { rootDir: root, templateDirs: [path.join(root, '.stackgen/templates')] });
    expect(tree.read('compose.yaml')).toContain('# template code ran');
    expect(tree.warnings).toEqual([]);
  });

  it('an empty or missing folder gives no warning', async () => {
    fs.rmSync(path.join(root, '.stackgen'), { recursive: true });
    expect((await render(spec(), { rootDir: root })).warnings).toEqual([]);
    fs.mkdirSync(path.join(root, '.stackgen/templates'), { recursive: true });
    expect((await render(spec(), { rootDir: root })).warnings).toEqual([]);
  });
});
