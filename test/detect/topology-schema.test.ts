/**
 * `schemas/topology.schema.json` is the published contract of `detect --json`: its enums are the
 * arrays in types.ts, and the topology of every fixture validates against it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { BACKING_KINDS, FRAMEWORKS, LANGUAGES, PACKAGE_MANAGERS } from '../../src/detect/types.js';
import { loadFixtureExpectations, REPO_ROOT } from '../helpers/fixtures.js';

const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/topology.schema.json'), 'utf8')) as {
  $id: string;
  $schema: string;
  $defs: Record<string, { enum?: string[] }>;
};

describe('topology schema', () => {
  it('is a 2020-12 schema with an $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/topology\.schema\.json$/);
  });

  it('enums equal the arrays in types.ts', () => {
    expect(schema.$defs.language?.enum).toEqual([...LANGUAGES]);
    expect(schema.$defs.framework?.enum).toEqual([...FRAMEWORKS]);
    expect(schema.$defs.packageManager?.enum).toEqual([...PACKAGE_MANAGERS]);
    expect(schema.$defs.backingKind?.enum).toEqual([...BACKING_KINDS]);
  });

  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);

  it('rejects a topology that breaks it', () => {
    const bad = { root: '/x', services: [{ name: 'Bad Name', path: '.', language: 'cobol' }], backingServices: [], warnings: [] };
    expect(validate(bad)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toMatch(/must/);
  });

  for (const fx of loadFixtureExpectations()) {
    it(`validates the topology of ${fx.name}`, async () => {
      const t = await detect(fx.dir);
      const ok = validate(JSON.parse(JSON.stringify(t)));
      expect(ok, ajv.errorsText(validate.errors)).toBe(true);
    });
  }
});
