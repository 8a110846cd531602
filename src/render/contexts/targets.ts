/** Which orchestrator targets a spec asks for, beside compose (always rendered). */
import type { Spec } from '../../spec/types.generated.js';

/** Whether the spec asks for Kubernetes output: a `kubernetes` block, or `kubernetes` in a `targets` list. */
export function wantsKubernetes(spec: Spec): boolean {
  const targets = (spec as { targets?: unknown }).targets;
  return spec.kubernetes !== undefined || (Array.isArray(targets) && targets.includes('kubernetes'));
}
