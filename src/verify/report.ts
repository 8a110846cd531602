/** The verify report as a person reads it (a table), and as CI systems read it (JUnit XML). */
import type { VerifyReport } from './types.js';

const secs = (ms?: number) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)}s`);
const mb = (b?: number) => (b === undefined ? '—' : `${(b / 1e6).toFixed(0)} MB`);

export function formatReport(r: VerifyReport): string {
  const rows = [['service', 'kind', 'build', 'size', 'layers', 'cached', 'healthy after', 'status', 'probes']];
  for (const s of r.services) {
    const probes = s.probes.length ? s.probes.map((p) => `${p.ok ? 'ok' : 'FAIL'} ${p.name}${p.status ? ` ${p.status}` : ''}`).join('; ') : '—';
    // A job's or worker's role shows with its status: "completed (job)", "exited 3 (job)", "healthy (worker)".
    const status = `${s.health}${s.exitCode !== undefined ? ` ${s.exitCode}` : ''}${s.restarts ? `, restarted ${s.restarts}×` : ''}${s.role === 'job' || s.role === 'worker' ? ` (${s.role})` : ''}`;
    rows.push([s.name, s.kind, secs(s.build?.ms), mb(s.build?.sizeBytes), s.build ? String(s.build.layers) : '—', s.build ? `${s.build.cachedSteps}/${s.build.totalSteps}` : '—', secs(s.healthyAfterMs), status, probes]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const lines = rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  if (r.generatedEnv?.length) lines.push(`no .env in the checkout: throwaway values generated for this run (${r.generatedEnv.join(', ')})`);
  if (r.probeHost !== '127.0.0.1') lines.push(`remote engine: ports published and probed at ${r.probeHost}`);
  for (const c of r.checks) lines.push(`check ${c.ok ? 'ok' : 'FAIL'} ${c.name}${c.status ? ` → ${c.status}` : ''}${c.message ? ` (${c.message})` : ''}`);
  for (const s of r.services) {
    if (s.health === 'skipped') lines.push(`skipped ${s.name}: ${s.skippedReason ?? ''}`);
    if (s.healthOutput) lines.push(`\n${s.name}: last healthcheck: ${s.healthOutput}`);
    if (s.connectionError) lines.push(`\n${s.name}: cannot reach a backing service:\n  | ${s.connectionError}`);
    if (s.logsTail?.length) lines.push(`${s.name}: last ${s.logsTail.length} log lines:\n${s.logsTail.map((l) => `  | ${l}`).join('\n')}`);
  }
  lines.push('', r.ok ? `verified: every service healthy and every probe passed in ${secs(r.durationMs)}` : `FAILED: ${r.failure ?? 'see above'} (${secs(r.durationMs)})`);
  if (r.kept && r.stopCommand) lines.push(`The stack is still running (--keep). Stop it with:\n  ${r.stopCommand}`);
  return lines.join('\n');
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** One testcase per build, health wait, probe and check; failures carry the message and logs. */
export function toJUnit(r: VerifyReport): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  const tc = (name: string, ms: number | undefined, failure?: string, detail?: string, skip?: string) => {
    let body = '';
    if (skip) {
      skipped++;
      body = `<skipped message="${xml(skip)}"/>`;
    } else if (failure) {
      failures++;
      body = `<failure message="${xml(failure)}">${xml(detail ?? '')}</failure>`;
    }
    cases.push(`    <testcase classname="stackgen.verify.${xml(r.project)}" name="${xml(name)}" time="${((ms ?? 0) / 1000).toFixed(3)}">${body}</testcase>`);
  };
  for (const s of r.services) {
    if (s.health === 'skipped') {
      tc(`${s.name} healthy`, 0, undefined, undefined, s.skippedReason ?? 'skipped');
      continue;
    }
    if (s.build) tc(`${s.name} build`, s.build.ms);
    const healthy = s.health === 'healthy' || s.health === 'running' || s.health === 'completed';
    tc(`${s.name} healthy`, s.healthyAfterMs, healthy ? undefined : `${s.name} is ${s.health}`, [s.healthOutput, ...(s.logsTail ?? [])].filter(Boolean).join('\n'));
    if (s.connectionError) tc(`${s.name} reaches its backing services`, 0, `${s.name} cannot reach a backing service`, s.connectionError);
    for (const p of s.probes) tc(p.name, 0, p.ok ? undefined : p.message ?? 'failed', p.url);
  }
  for (const c of r.checks) tc(c.name, 0, c.ok ? undefined : c.message ?? 'failed', c.url);
  if (!r.ok && failures === 0) tc('verify', r.durationMs, r.failure ?? 'failed');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="stackgen verify" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${(r.durationMs / 1000).toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
