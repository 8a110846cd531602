/**
 * README.Docker.md: how to run, configure and troubleshoot the rendered stack. Ports come from the
 * compose context so the table always matches compose.yaml.
 */
import type { Artifact, OutputFile, RenderInput } from '../artifact.js';
import { ciContext } from '../contexts/ci.js';
import { CI_FILES } from './ci.js';
import { composeContext } from '../contexts/compose.js';

/** Languages with a metrics snippet in the template; others fall back to a generic pointer. */
const SNIPPET_LANGS = ['node', 'python', 'java', 'go', 'dotnet'] as const;

function snippetLang(language: string): string | null {
  if (language === 'kotlin' || language === 'scala') return 'java';
  if (language === 'bun' || language === 'deno') return 'node';
  return (SNIPPET_LANGS as readonly string[]).includes(language) ? language : null;
}

export const docsArtifact: Artifact = {
  name: 'docs',
  files(input: RenderInput, engine): OutputFile[] {
    const { spec } = input;
    const compose = composeContext(spec, input.rootDir, input.imageMap);
    const services = Object.entries(spec.services)
      .map(([name, s]) => ({ name, language: s.language, port: s.port, publish: s.publish, metrics: s.metrics ? `${s.metrics.path} on ${s.metrics.port ?? s.port}` : null }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const backing = Object.entries(spec.backingServices)
      .map(([name, b]) => ({ name, kind: b.kind }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const snippets = [...new Set(services.map((s) => snippetLang(s.language)).filter((l): l is string => l !== null))].sort();
    const provider = spec.ci.provider;
    const ci = provider === 'none' ? null : ciContext(spec, input.rootDir, input.imageMap);
    const ctx = {
      project: spec.name,
      ci: provider !== 'none' && ci && ci.images.length > 0
        ? {
            provider,
            file: CI_FILES[provider],
            images: ci.images.map((i) => (provider === 'gitlab' ? i.gitlabImage : i.repository)),
            scanPlatform: ci.scanPlatform,
            platforms: ci.platforms,
            sizeBudgetMB: ci.sizeBudgetMB,
            scan: ci.scan.enabled,
            severities: ci.scan.severities,
            sbom: ci.sbom,
            branch: ci.branch,
            secrets: ci.registry === null
              ? null
              : provider === 'gitlab'
                ? `masked CI/CD variables REGISTRY_USERNAME and REGISTRY_PASSWORD (a push token for ${ci.loginHost})`
                : ci.githubToken
                  ? `nothing: the job token pushes to ${ci.loginHost}; allow the repository to write the package`
                  : `repository secrets REGISTRY_USERNAME and REGISTRY_PASSWORD (a push token for ${ci.loginHost})`,
          }
        : null,
      services,
      backing,
      snippets,
      prometheus: compose.prometheus,
      grafana: compose.grafana,
      proxy: spec.proxy.kind === 'none' ? null : { kind: spec.proxy.kind, domains: spec.proxy.domains },
      caBundle: spec.build.caBundle,
      testRunners: compose.testRunners.map((t) => t.name),
      jobs: compose.services.filter((s) => s.role === 'job').map((s) => s.name),
      workers: compose.services.filter((s) => s.role === 'worker').map((s) => s.name),
    };
    return [{ path: 'README.Docker.md', content: engine.render('docs/README.Docker.md.njk', ctx) }];
  },
};
