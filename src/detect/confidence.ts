import type { EvidenceKind, Fact } from './provider.js';

/**
 * How strongly one piece of evidence supports "this service exists and is described right".
 * Pieces combine as independent signals: confidence = 1 − Π(1 − weight), so no single weak hint
 * can reach certainty and every added piece of evidence raises it.
 */
export const EVIDENCE_WEIGHTS: Readonly<Record<EvidenceKind, number>> = {
  manifest: 0.5,
  lockfile: 0.2,
  framework: 0.25,
  usage: 0.25,
  entrypoint: 0.2,
  start: 0.2,
  port: 0.1,
  version: 0.05,
  dockerfile: 0.2,
  compose: 0.15,
  heuristic: 0.1,
  backing: 0,
};

/** Confidence in [0, 0.99], two decimals. Repeated evidence of one kind counts once per distinct signal. */
export function confidenceOf(facts: readonly Fact[]): number {
  const seen = new Set<string>();
  let doubt = 1;
  for (const f of facts) {
    const key = `${f.kind}\u0000${f.signal}`;
    if (seen.has(key)) continue;
    seen.add(key);
    doubt *= 1 - EVIDENCE_WEIGHTS[f.kind];
  }
  return Math.min(0.99, Math.round((1 - doubt) * 100) / 100);
}
