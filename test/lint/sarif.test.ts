import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toSarif } from '../../src/lint/sarif.js';
import type { Finding } from '../../src/lint/types.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { lintMemory } from './helpers.js';

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/third-party/sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  // Draft-04 header and id (see schemas/third-party/README.md).
  delete schema.$schema;
  delete schema.id;
  // The schema's language pattern is not valid with the u flag; SARIF predates it.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: Ajv) => void;
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = sarifValidator();

describe('SARIF output', () => {
  it('validates against the SARIF 2.1.0 schema, one run per tool, with help links and relative URIs', async () => {
    const findings: Finding[] = [
      ...(await lintMemory({ 'app/compose.yaml': 'services:\n  a:\n    image: x:1\n    pid: host\n', 'app/Dockerfile': 'FROM alpine:3.20\nMAINTAINER me\nRUN apt-get install -y curl\n' })),
      { file: '.github/workflows/ci.yml', line: 3, column: 5, rule: 'actionlint:expression', severity: 'error', message: 'bad', tool: 'actionlint' },
      { file: 'mon/rules.yml', line: 1, column: 1, rule: 'SG3011', severity: 'info', message: 'note', tool: 'stackgen' },
    ];
    const log = toSarif(findings, { baseDir: process.cwd(), version: '0.1.0' }) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs.map((r) => r.tool.driver.name).sort()).toEqual(['actionlint', 'stackgen']);
    const stackgen = log.runs.find((r) => r.tool.driver.name === 'stackgen')!;
    const dl = stackgen.tool.driver.rules.find((r) => r.id === 'DL4000')!;
    expect(dl.helpUri).toBe('https://github.com/hadolint/hadolint/wiki/DL4000');
    const result = stackgen.results.find((r) => r.ruleId === 'DL4000')!;
    expect(result.level).toBe('error');
    expect(result.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'app/Dockerfile' }, region: { startLine: 2 } });
    expect(stackgen.results.find((r) => r.ruleId === 'SG3011')!.level).toBe('note');
    expect(stackgen.results.find((r) => r.ruleId === 'SG2009')!.level).toBe('error');
  });

  it('an empty result is still a valid log', () => {
    expect(validate(toSarif([]))).toBe(true);
  });

  it('the validator rejects a log that is not SARIF (the check can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });
});
