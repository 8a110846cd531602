/**
 * The spec validator the built library loads (precompiled by `npm run build`) judges exactly like the
 * one compiled at run time: same verdict, same errors (with the schema each error carries, which the
 * error messages read) and the same defaults filled in, on every spec of the corpus.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fg from 'fast-glob';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileSpecValidator, PRECOMPILED_SPEC_NAME } from '../../src/spec/schema.js';
import { FIXTURES_DIR, REPO_ROOT } from '../helpers/fixtures.js';

const precompiledPath = path.join(REPO_ROOT, 'dist/spec', PRECOMPILED_SPEC_NAME);

describe('precompiled stackgen.yaml validator', () => {
  it('exists after the build (test/global-setup.ts runs the same generator)', () => {
    expect(fs.existsSync(precompiledPath)).toBe(true);
  });

  it('agrees with the run-time compiled one on valid and invalid specs, defaults included', () => {
    const precompiled = createRequire(import.meta.url)(precompiledPath) as ValidateFunction;
    const compiled = compileSpecValidator().validate;
    const files = fg.sync('specs/{valid,invalid}/**/*.yaml', { cwd: FIXTURES_DIR });
    expect(files.length).toBeGreaterThan(10);
    let invalid = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(FIXTURES_DIR, f), 'utf8');
      let a: unknown;
      let b: unknown;
      try {
        a = parse(text);
        b = parse(text);
      } catch {
        continue; // YAML errors never reach a validator
      }
      const okA = precompiled(a);
      const okB = compiled(b);
      expect(okA, f).toBe(okB);
      expect(precompiled.errors ?? null, f).toEqual(compiled.errors ?? null);
      expect(a, f).toEqual(b);
      if (!okB) invalid++;
    }
    expect(invalid).toBeGreaterThan(5);
  });
});
