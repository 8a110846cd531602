/** Which orchestrator targets a spec asks for, beside compose (always rendered). */
import type { Spec } from '../../spec/types.generated.js';

/** Whether the spec asks for Kubernetes output: a `kubernetes` block, or `kubernetes` in a `targets` list. */
export function wantsKubernetes(spec: Spec): boolean {
  return spec.kubernetes !== undefined || spec.targets.includes('kubernetes');
}
