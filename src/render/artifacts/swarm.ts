/**
 * compose.swarm.yaml: the same stack for `docker stack deploy`, rendered when the spec's targets
 * include swarm. Its lossy mappings (what Swarm cannot express as compose does) are render warnings.
 */
import type { Artifact } from '../artifact.js';
import { SWARM_FILE, swarmContext, swarmWarnings } from '../contexts/swarm.js';

export const swarmArtifact: Artifact = {
  name: 'swarm',
  files(input, engine) {
    if (!input.spec.targets.includes('swarm')) return [];
    return [{ path: SWARM_FILE, content: engine.render('swarm/compose.swarm.yaml.njk', swarmContext(input.spec, input.rootDir, input.imageMap)) }];
  },
  warnings(input) {
    return swarmWarnings(input.spec);
  },
};
