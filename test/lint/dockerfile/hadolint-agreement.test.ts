/**
 * The built-in rules against the real hadolint, on every Dockerfile stackgen renders (each fixture and
 * each render sample). Runs wherever `hadolint` is on PATH (a CI job can install it); a disagreement
 * on any rule both implement fails, naming the file, the rule and the line. Without hadolint the
 * suite is skipped loudly, with the reason; STACKGEN_REQUIRE_HADOLINT=1 turns that skip into a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { findOnPath, runHadolint } from '../../../src/lint/dockerfile/hadolint.js';
import { detectKind } from '../../../src/lint/discover.js';
import { dockerfileRuleIds, lintDockerfile } from '../../../src/lint/dockerfile/lint.js';
import { render } from '../../../src/render/render.js';
import { fixtureSpec } from '../../helpers/fixture-spec.js';
import { loadFixtureExpectations } from '../../helpers/fixtures.js';
import { tempRepo } from '../../helpers/temp-repo.js';
import { materialize, SAMPLES } from '../../render/render-samples.js';

const hadolint = findOnPath('hadolint');
const required = process.env.STACKGEN_REQUIRE_HADOLINT === '1';
const reason = 'hadolint is not on PATH (it is neither on npm nor in Debian; install its release binary to run this comparison)';
if (!hadolint) console.warn(`\n⚠ SKIPPED: built-in Dockerfile rules vs hadolint — ${reason}\n`);

/** Rules both implement: hadolint's DL ids that stackgen has built in (DL1000 is a parse error, reported differently). */
const shared = new Set(dockerfileRuleIds().map((r) => r.id).filter((id) => id.startsWith('DL') && id !== 'DL1000'));

interface Rendered {
  name: string;
  files: { path: string; content: string }[];
}

async function renderedDockerfiles(): Promise<Rendered[]> {
  const out: Rendered[] = [];
  for (const fx of loadFixtureExpectations()) {
    const topology = await detect(fx.dir);
    if (topology.services.length === 0) continue;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-agree-'));
    fs.cpSync(fx.dir, root, { recursive: true });
    try {
      const spec = fixtureSpec(topology, fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
      const tree = await render(spec, { rootDir: root });
      out.push({ name: fx.name, files: tree.files().filter((f) => detectKind(f) === 'dockerfile') });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  for (const sample of SAMPLES) {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    out.push({ name: `sample ${sample.name}`, files: tree.files().filter((f) => detectKind(f) === 'dockerfile') });
  }
  return out;
}

describe('hadolint is available where required', () => {
  it.runIf(required)('STACKGEN_REQUIRE_HADOLINT=1: hadolint must be on PATH', () => {
    expect(hadolint, reason).not.toBeNull();
  });
});

describe.skipIf(!hadolint)(`built-in Dockerfile rules agree with hadolint${hadolint ? '' : ` (SKIPPED: ${reason})`}`, () => {
  it('on every Dockerfile stackgen renders', async () => {
    // An empty config file keeps hadolint from reading one from the working directory or $HOME.
    const config = path.join(tempRepo({ 'hadolint.yaml': 'ignored: []\n' }, 'sg-hl-'), 'hadolint.yaml');
    const disagreements: string[] = [];
    let compared = 0;
    for (const r of await renderedDockerfiles()) {
      for (const file of r.files) {
        const theirs = (await runHadolint(file, config)).filter((f) => shared.has(f.rule)).map((f) => `${f.rule}@${f.line}`);
        const ours = lintDockerfile(file).filter((f) => shared.has(f.rule)).map((f) => `${f.rule}@${f.line}`);
        compared++;
        const onlyTheirs = theirs.filter((x) => !ours.includes(x));
        const onlyOurs = ours.filter((x) => !theirs.includes(x));
        if (onlyTheirs.length) disagreements.push(`${r.name} ${file.path}: only hadolint reports ${onlyTheirs.join(', ')}`);
        if (onlyOurs.length) disagreements.push(`${r.name} ${file.path}: only stackgen reports ${onlyOurs.join(', ')}`);
      }
    }
    expect(compared).toBeGreaterThan(0);
    expect(disagreements).toEqual([]);
  }, 600_000);
});
