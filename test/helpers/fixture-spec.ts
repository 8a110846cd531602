import { withSpecDefaults } from '../../src/spec/load.js';
import type { Topology } from '../../src/detect/types.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import type { Spec } from '../../src/spec/types.generated.js';

/** What `init --yes` writes for a fixture, resolved with the schema's defaults: the spec render and lint tests use. */
export function fixtureSpec(t: Topology, name: string): Spec {
  return withSpecDefaults(specFromTopology(t, { name }));
}
