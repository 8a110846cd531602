import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Service } from '../../src/detect/types.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'fixtures');

export interface FixtureExpectation {
  detect: {
    /** Exactly these services (by name); each object is matched as a subset of the detected service. */
    services: Array<Partial<Service> & { name: string }>;
    /** Exactly these backing-service kinds, when given. */
    backingServices?: string[];
    /** Warnings that must be present: same file, same line when given, message contains this text. */
    warnings?: Array<{ file: string; line?: number; message: string }>;
  };
  /** Set on fixtures that the end-to-end verify tests build and run. */
  e2e?: {
    /** init flags used before verify, e.g. ["--with", "postgres"]. */
    initArgs?: string[];
    /** Extra verify flags, e.g. ["--skip-service", "grafana"] (Grafana cannot be had offline). */
    verifyArgs?: string[];
    /** Extra HTTP probes, added to the spec's `verify.checks` as a user would: path on a service and what must answer. */
    probes?: Array<{ service: string; path: string; status?: number; bodyIncludes?: string }>;
  };
}

export interface Fixture {
  name: string;
  dir: string;
  expected: FixtureExpectation;
}

/** Every fixture folder with a stackgen.test.json, sorted by name. */
export function loadFixtureExpectations(): Fixture[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  return fs
    .readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(FIXTURES_DIR, d.name, 'stackgen.test.json')))
    .map((d) => ({
      name: d.name,
      dir: path.join(FIXTURES_DIR, d.name),
      expected: JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, d.name, 'stackgen.test.json'), 'utf8')) as FixtureExpectation,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The fixtures stackgen must find something to run in (their stackgen.test.json expects services):
 * the ones render and lint tests render. Fixtures that must not match are tested by detect alone.
 */
export function renderableFixtures(): Fixture[] {
  return loadFixtureExpectations().filter((f) => f.expected.detect.services.length > 0);
}
