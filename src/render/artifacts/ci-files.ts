/**
 * Where each provider's pipeline is written. Its own module so the CLI's output helpers can name
 * the files without loading the render engine.
 */
export const CI_FILES = { github: '.github/workflows/docker.yml', gitlab: '.gitlab-ci.yml' } as const;
