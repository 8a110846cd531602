/**
 * CI: a GitHub Actions workflow or a GitLab pipeline (`ci.provider`) that lints the stack, builds,
 * measures and scans every image, runs `stackgen verify`, and publishes on the release branch and
 * v* tags. `ci.provider: none` renders nothing.
 */
import type { Artifact, OutputFile } from '../artifact.js';
import { ciContext } from '../contexts/ci.js';

import { CI_FILES } from './ci-files.js';

export { CI_FILES };

export const ciArtifact: Artifact = {
  name: 'ci',
  files(input, engine): OutputFile[] {
    const { spec } = input;
    if (spec.ci.provider === 'none') return [];
    const ctx = ciContext(spec, input.rootDir, input.imageMap);
    if (ctx.images.length === 0) return [];
    if (spec.ci.provider === 'gitlab') return [{ path: CI_FILES.gitlab, content: engine.render('ci/gitlab-ci.yml.njk', ctx) }];
    return [{ path: CI_FILES.github, content: engine.render('ci/github/workflows/docker.yml.njk', ctx) }];
  },
};
