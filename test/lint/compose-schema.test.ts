/**
 * The Compose Specification validator the built CLI loads (precompiled by `npm run build`) judges
 * exactly like the one compiled at run time: same verdict and same errors on every rendered compose
 * file and on broken ones.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fg from 'fast-glob';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileComposeValidator, PRECOMPILED_NAME } from '../../src/lint/compose-schema.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const precompiledPath = path.join(REPO_ROOT, 'dist/lint', PRECOMPILED_NAME);

describe('precompiled compose schema validator', () => {
  it('exists after the build (test/global-setup.ts runs the same generator)', () => {
    expect(fs.existsSync(precompiledPath)).toBe(true);
  });

  it('agrees with the run-time compiled one on rendered and broken compose files', () => {
    const precompiled = createRequire(import.meta.url)(precompiledPath) as ValidateFunction;
    const compiled = compileComposeValidator();
    const docs: [string, unknown][] = fg
      .sync('test/render/golden/**/compose*.yaml', { cwd: REPO_ROOT })
      .map((f) => [f, parse(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'))]);
    docs.push(
      ['unknown key', { services: { a: { image: 'x:1', bogus: 1 } } }],
      ['wrong type', { services: { a: { image: 'x:1', ports: 'not-a-list' } } }],
      ['duplicate items', { services: { a: { image: 'x:1', dns: ['1.1.1.1', '1.1.1.1'] } } }],
      ['no services mapping', { services: ['a'] }],
    );
    expect(docs.length).toBeGreaterThan(10);
    for (const [name, doc] of docs) {
      const a = precompiled(doc);
      const b = compiled(doc);
      expect(a, name).toBe(b);
      expect(precompiled.errors ?? null, name).toEqual(compiled.errors ?? null);
    }
    expect(docs.slice(-4).every(([, d]) => !compiled(d))).toBe(true);
  });
});
