/**
 * One corpus of fixtures feeds every layer. Each `fixtures/<app>/stackgen.test.json` states what
 * detect must find there; fields a fixture leaves out are not checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { loadFixtureExpectations } from '../helpers/fixtures.js';

const fixtures = loadFixtureExpectations();

describe('detect on the fixture corpus', () => {
  it('has a corpus', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const fx of fixtures) {
    it(`${fx.name}`, async () => {
      const t = await detect(fx.dir);
      const want = fx.expected.detect;
      expect(t.services.map((s) => s.name).sort(), 'service names').toEqual(want.services.map((s) => s.name).sort());
      for (const ws of want.services) {
        const got = t.services.find((s) => s.name === ws.name);
        expect(got, `service ${ws.name}`).toBeDefined();
        expect(got).toMatchObject(ws);
        // Every fact carries evidence, and confidence comes from it.
        expect(got!.evidence.length).toBeGreaterThan(0);
        expect(got!.confidence).toBeGreaterThan(0);
      }
      if (want.backingServices) expect(t.backingServices.map((b) => b.kind).sort(), 'backing services').toEqual([...want.backingServices].sort());
      for (const ww of want.warnings ?? []) {
        const hit = t.warnings.find((w) => w.file === ww.file && (ww.line === undefined || w.line === ww.line) && w.message.toLowerCase().includes(ww.message.toLowerCase()));
        expect(hit, `warning ${JSON.stringify(ww)} in ${JSON.stringify(t.warnings)}`).toBeDefined();
      }
      expect(fs.existsSync(path.join(fx.dir, 'stackgen.test.json'))).toBe(true);
    });
  }
});
