/**
 * Dockerfiles and .dockerignore files, one per application service (none when the spec keeps the
 * user's own Dockerfile), plus the files a template needs next to it (nginx.conf, the health probe).
 */
import { StackgenError } from '../../errors.js';
import { hasUnsafeChars } from '../../safe-text.js';
import type { Artifact, OutputFile } from '../artifact.js';
import { dockerfileContext } from '../contexts/dockerfile.js';
import { join, userFileText } from '../contexts/repo.js';
import { serviceModels, type TemplateName } from '../contexts/service.js';

/** The .dockerignore template each Dockerfile template uses (templates/dockerignore/<family>.njk). */
export const IGNORE_FAMILY: Record<TemplateName, string> = {
  node: 'node',
  bun: 'node',
  deno: 'node',
  static: 'static',
  python: 'python',
  go: 'go',
  rust: 'rust',
  'java-maven': 'java',
  'java-gradle': 'java',
  ruby: 'ruby',
  php: 'php',
  dotnet: 'dotnet',
  elixir: 'elixir',
  generic: 'generic',
};

/**
 * A Dockerfile is one instruction per line, so no value may carry a line break (or a character that
 * hides one): spec values are refused by the schema already, and this holds the boundary for what
 * render reads from the repository itself (file names, manifests). Multi-line shell snippets are the
 * templates' own text, never context values.
 */
function assertSingleLines(value: unknown, where: string): void {
  if (typeof value === 'string') {
    if (hasUnsafeChars(value) || value.endsWith('\\')) {
      throw new StackgenError('E_INVALID', `${where}: ${JSON.stringify(value)} would break out of its Dockerfile line (a line break, a control character or a trailing backslash)`, {
        hint: 'Remove the line break or control character from that value (or rename the file it comes from).',
        locations: [{ file: 'stackgen.yaml', path: where }],
      });
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => assertSingleLines(v, `${where}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertSingleLines(v, `${where}.${k}`);
}

/**
 * The .dockerignore for a build context. The repository's own (one stackgen did not write) stays the
 * user's: the rules stackgen's would add that it lacks (secrets, credentials, dependencies, build
 * output) are appended under one comment, an edit the diff shows, rather than a conflict that stops
 * `init` on a repository that only ever had a `.dockerignore`. What the user's lines exclude that a
 * Dockerfile copies is lint's to report (SG1006 names the rule and its line).
 */
function ignoreFile(rootDir: string, file: string, rendered: string): OutputFile {
  const existing = userFileText(rootDir, file);
  if (existing === undefined) return { path: file, content: rendered };
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = rendered.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !have.has(l.trim()));
  if (missing.length === 0) return { path: file, content: existing, owner: 'user' };
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return { path: file, content: `${existing}${sep}\n# Added by stackgen: keep secrets, credentials, dependencies and build output out of the image build.\n${missing.join('\n')}\n`, owner: 'user' };
}

export const dockerfileArtifact: Artifact = {
  name: 'dockerfile',
  files(input, engine) {
    const out: OutputFile[] = [];
    const models = serviceModels(input.spec, input.rootDir);
    const kept = new Map<string, string>();
    for (const [name, s] of Object.entries(input.spec.services)) if ('path' in s.dockerfile) kept.set(s.dockerfile.path, name);
    for (const m of models) {
      const owner = m.template === null ? undefined : kept.get(join(m.dir, 'Dockerfile'));
      if (owner !== undefined) {
        throw new StackgenError('E_INVALID', `services.${m.name} would render ${join(m.dir, 'Dockerfile')}, the Dockerfile services.${owner} keeps as its own`, {
          hint: `Give services.${m.name} its own \`dockerfile.path\` too, or move services.${owner}'s Dockerfile.`,
          locations: [{ file: 'stackgen.yaml', path: `services.${m.name}.dockerfile` }],
        });
      }
    }
    for (const m of models) {
      if (m.template === null) continue;
      const ctx = dockerfileContext(input.spec, m, input.rootDir, input.imageMap);
      assertSingleLines(ctx, `services.${m.name}`);
      // Workspace services build from the workspace root: the Dockerfile stays in the service folder.
      const contextDir = m.context === '.' ? '.' : m.context.slice(2);
      out.push({ path: join(m.dir, 'Dockerfile'), content: engine.render(`dockerfile/${m.template}/Dockerfile.njk`, ctx) });
      out.push(ignoreFile(input.rootDir, join(contextDir, '.dockerignore'), engine.render(`dockerignore/${IGNORE_FAMILY[m.template]}.njk`, { ...ctx, dockerfile: m.dockerfile })));
      if (m.template === 'static') out.push({ path: join(m.dir, 'nginx.conf'), content: engine.render('dockerfile/static/nginx.conf.njk', ctx) });
      if (m.template === 'go' || m.template === 'rust') {
        out.push({ path: join(m.dir, '.stackgen/healthcheck/main.go'), content: engine.render('dockerfile/_partials/healthcheck.go.njk', ctx) });
      }
    }
    // Two workspace services share one build context: one .dockerignore.
    const seen = new Set<string>();
    return out.filter((f) => (seen.has(f.path) ? false : (seen.add(f.path), true)));
  },
};
