import { describe, expect, it } from 'vitest';
import { toJUnit } from '../../src/verify/report.js';
import type { VerifyReport } from '../../src/verify/verify.js';

const report: VerifyReport = {
  ok: false,
  project: 'stackgen-verify-demo-abc',
  durationMs: 4200,
  kept: false,
  probeHost: '127.0.0.1',
  skipped: [{ name: 'grafana', reason: 'image unavailable offline, provisioning checked statically' }],
  checks: [{ name: 'check api GET /items', url: 'http://127.0.0.1:1/items', ok: false, status: 500, message: 'expected 200, got 500 <oops & "quotes">' }],
  services: [
    { name: 'api', kind: 'app', image: 'demo-api:verify-abc', health: 'healthy', healthyAfterMs: 1500, build: { ms: 900, image: 'demo-api:verify-abc', sizeBytes: 5e7, layers: 9, cachedSteps: 3, totalSteps: 8 }, probes: [{ name: 'api GET /healthz', url: 'http://127.0.0.1:1/healthz', ok: true, status: 200 }] },
    { name: 'worker', kind: 'app', image: 'demo-worker:verify-abc', health: 'unhealthy', healthOutput: 'curl: (7) refused', logsTail: ['boom \u0001 <stack>'], build: { ms: 800, image: 'demo-worker:verify-abc', sizeBytes: 4e7, layers: 8, cachedSteps: 0, totalSteps: 8 }, probes: [] },
    { name: 'grafana', kind: 'observability', image: 'grafana/grafana:10', health: 'skipped', skippedReason: 'image unavailable offline, provisioning checked statically', probes: [] },
  ],
};

/** A small well-formedness check: every tag closes in order, attributes are quoted, no raw `<` or `&`. */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:lt|gt|amp|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (m.index !== consumed) return false;
    consumed = re.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!(?:lt|gt|amp|quot|apos);)/.test(m[5])) return false;
      continue;
    }
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[4]) stack.push(m[2]!);
  }
  return consumed === body.length && stack.length === 0;
}

describe('JUnit output', () => {
  const xml = toJUnit(report);
  it('is well-formed XML even with markup and control characters in logs and messages', () => {
    expect(wellFormed(xml)).toBe(true);
    expect(xml).not.toMatch(/\u0001/);
  });
  it('has one testcase per build, health wait, probe and check, with the right failure and skip counts', () => {
    const cases = xml.match(/<testcase /g) ?? [];
    // api: build, healthy, 1 probe; worker: build, healthy; grafana: skipped; 1 check
    expect(cases).toHaveLength(7);
    expect(xml).toMatch(/tests="7" failures="2" skipped="1"/);
    expect(xml).toContain('name="worker healthy"');
    expect(xml).toContain('curl: (7) refused');
    expect(xml).toContain('&lt;oops &amp; &quot;quotes&quot;&gt;');
  });
});
