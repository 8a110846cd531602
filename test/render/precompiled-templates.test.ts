/**
 * The built-in templates the build precompiles (scripts/precompile-templates.mjs) are exactly what
 * the engine would compile at run time, every one of them is there, and an edited template is not
 * served from its stale compiled form.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATES_DIR, NUNJUCKS_OPTIONS, templateSourceHash, type PrecompiledTemplate } from '../../src/render/engine.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

// global-setup built dist/ and ran the precompile step.
const compile = (nunjucks as unknown as { compiler: { compile: (src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object) => string } }).compiler.compile;
const precompiled = createRequire(import.meta.url)(path.join(REPO_ROOT, 'dist/render/templates.precompiled.cjs')) as Record<string, PrecompiledTemplate>;
const names = fs.readdirSync(BUILTIN_TEMPLATES_DIR, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => path.relative(BUILTIN_TEMPLATES_DIR, path.join(e.parentPath, e.name)).split(path.sep).join('/'));

describe('precompiled built-in templates', () => {
  it('cover every template and hold the run-time compiler output for its current source', () => {
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const source = fs.readFileSync(path.join(BUILTIN_TEMPLATES_DIR, name), 'utf8');
      const entry = precompiled[name];
      expect(entry, name).toBeDefined();
      expect(entry!.sha256, name).toBe(templateSourceHash(source));
      expect(entry!.props.toString(), name).toContain(compile(source, [], [], name, NUNJUCKS_OPTIONS));
    }
  });

  it('the built engine compiles a template whose source differs from the compiled one from its file', async () => {
    const { createTemplateEngine } = (await import(path.join(REPO_ROOT, 'dist/render/engine.js'))) as typeof import('../../src/render/engine.js');
    const dir = tempRepo({ 'docs/README.Docker.md.njk': 'edited {{ name }}\n' }, 'stackgen-precompiled-');
    expect(createTemplateEngine({ overrideDirs: [dir] }).render('docs/README.Docker.md.njk', { name: 'x' })).toBe('edited x\n');
  });
});
