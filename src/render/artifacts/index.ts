/**
 * Every artifact `render` runs, in order. Add an artifact by adding one line here.
 */
import type { Artifact } from '../artifact.js';
import { ciArtifact } from './ci.js';
import { composeArtifact } from './compose.js';
import { dockerfileArtifact } from './dockerfile.js';
import { docsArtifact } from './docs.js';
import { envArtifact } from './env.js';
import { kubernetesArtifact } from './kubernetes.js';
import { observabilityArtifact } from './observability.js';
import { swarmArtifact } from './swarm.js';

export const ARTIFACTS: readonly Artifact[] = [
  dockerfileArtifact,
  composeArtifact,
  swarmArtifact,
  envArtifact,
  observabilityArtifact,
  kubernetesArtifact,
  ciArtifact,
  docsArtifact,
];
