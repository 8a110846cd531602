/**
 * The real-app fixtures and the README table generated from them: every app folder carries a
 * complete stackgen.app.json, and README.md's table is what scripts/gen-apps-table.mjs writes now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { appsTable, END, START, withTable } from '../../scripts/gen-apps-table.mjs';
// @ts-expect-error plain ESM script without types
import { EXPECTATION_FILE, loadApps, roleMismatch } from '../../scripts/test-apps.mjs';
import { REPO_ROOT } from '../helpers/fixtures.js';

interface App {
  name: string;
  dir: string;
  app: { framework: string; generator: string; shape: string; probes?: Array<{ path: string }>; role?: 'worker' | 'job' };
}

const APPS_DIR = path.join(REPO_ROOT, 'fixtures/apps');
const apps = loadApps() as App[];

describe('real-app fixtures', () => {
  it('every folder under fixtures/apps has a complete stackgen.app.json, and none carries node_modules', () => {
    const folders = fs.readdirSync(APPS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(apps.map((a) => a.name)).toEqual(folders);
    for (const { name, dir, app } of apps) {
      expect(fs.existsSync(path.join(dir, EXPECTATION_FILE)), name).toBe(true);
      for (const key of ['framework', 'generator', 'shape'] as const) expect(app[key], `${name}: ${key}`).toMatch(/\S/);
      // Something to check beyond "it started": HTTP probes, or for a worker / job the role init must detect.
      if (app.role) expect(['worker', 'job'], `${name}: role`).toContain(app.role);
      else expect(app.probes?.length, `${name}: probes`).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(dir, 'node_modules')), `${name}: node_modules`).toBe(false);
    }
  });

  it('a worker or job app fails at init when init gives its service another role', () => {
    expect(roleMismatch({ role: 'worker' }, { role: 'worker' })).toBeNull();
    expect(roleMismatch({ role: 'job' }, { role: 'worker' })).toBe('init made the service a worker, the app is a job');
    // A web service has no role key in the spec.
    expect(roleMismatch({ role: 'worker' }, { port: 3000 })).toBe('init made the service a web, the app is a worker');
    expect(roleMismatch({ probes: [{ path: '/' }] }, { port: 3000 })).toBeNull();
  });

  it("README.md's table is the one scripts/gen-apps-table.mjs generates (run `npm run gen:apps-table`)", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(START);
    expect(readme).toContain(END);
    expect(withTable(readme), 'stale: run `npm run gen:apps-table`').toBe(readme);
    const table = appsTable() as string;
    for (const { name } of apps) expect(table).toContain(`fixtures/apps/${name}`);
  });
});
