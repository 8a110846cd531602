/** The Dockerfile linter as the lint framework sees it: config lookup, built-in rules, then hadolint if installed. */
import fs from 'node:fs';
import path from 'node:path';
import { isStackgenError } from '../../errors.js';
import type { Finding, LintContext, LintFile, Linter, Severity } from '../types.js';
import { loadHadolintConfig, type HadolintConfig } from './config.js';
import { mergeFindings, runHadolint } from './hadolint.js';
import { lintDockerfile } from './lint.js';
import { BuildContext } from './build-context.js';
import { buildsOfDockerfile, type ComposeBuild } from './compose-builds.js';
import { buildModel } from './model.js';

export interface DockerfileLinterOptions {
  /** Flag `# syntax=` directives, which pull a frontend image (SG1005). Default false. */
  airGapped?: boolean;
  /** Rule ids to skip everywhere. Default none. */
  ignore?: readonly string[];
  /** PATH searched for hadolint; default `process.env.PATH`. */
  pathEnv?: string;
}

const CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml'];

/** The `.hadolint.y(a)ml` nearest to the Dockerfile among the linted files (hadolint looks in the working directory). */
export function findHadolintConfig(file: LintFile, files: readonly LintFile[]): LintFile | undefined {
  const candidates = files.filter((f) => CONFIG_NAMES.includes(path.posix.basename(f.path)));
  let dir = path.posix.dirname(file.path);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const hit = candidates.find((c) => path.posix.normalize(c.path) === path.posix.join(dir, name));
      if (hit) return hit;
    }
    const up = path.posix.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** hadolint's own findings, with the config's ignores and overrides applied again in case it ran without the file. */
function applyConfig(findings: Finding[], config: HadolintConfig | undefined, ignore: readonly string[]): Finding[] {
  return findings
    .filter((f) => !ignore.includes(f.rule) && !(config?.ignored.includes(f.rule) ?? false))
    .map((f) => {
      const sev = (['error', 'warning', 'info', 'style'] as Severity[]).find((s) => config?.override[s]?.includes(f.rule));
      return sev ? { ...f, severity: sev } : f;
    });
}

/**
 * The contexts the Dockerfile is built with: each compose build of it, else `--context`, else its own
 * folder. None when the lint has no disk root (in-memory files only), so the check is skipped.
 */
function buildContexts(file: LintFile, builds: readonly ComposeBuild[], ctx: LintContext): BuildContext[] {
  if (ctx.root === undefined) return [];
  const pending = new Map(ctx.files.map((f) => [path.posix.normalize(f.path), f.content]));
  const dirs = builds.length > 0 ? [...new Set(builds.map((b) => b.context))] : [ctx.contextDir ?? path.posix.dirname(file.path)];
  return dirs.map((dir) => new BuildContext({ dir, root: ctx.root!, pending, dockerfile: path.posix.normalize(file.path) }));
}

/** SG1008: a compose `build.target` that names no stage of the Dockerfile (`docker build --target` fails). */
function missingTargets(file: LintFile, builds: readonly ComposeBuild[]): Finding[] {
  const wanted = builds.filter((b) => b.target !== undefined);
  if (wanted.length === 0) return [];
  const model = buildModel(file.content.replace(/^\uFEFF/, ''));
  const stages = new Set(model.stages.map((s) => s.from.alias).filter((a): a is string => a !== null));
  return wanted
    .filter((b) => !stages.has(b.target!.toLowerCase()))
    .map((b) => ({
      file: b.compose,
      line: b.targetAt?.line ?? 1,
      column: b.targetAt?.column ?? 1,
      rule: 'SG1008',
      severity: 'error' as const,
      message: `service \`${b.service}\` builds target \`${b.target}\`, but ${file.path} has no stage named so (stages: ${[...stages].join(', ') || 'none'})`,
      tool: 'stackgen',
      fix: `Set \`target:\` to one of the Dockerfile's stage names, or name a stage \`${b.target}\` (\`FROM … AS ${b.target}\`).`,
    }));
}

export function createDockerfileLinter(options: DockerfileLinterOptions = {}): Linter {
  return {
    kind: 'dockerfile',
    async lint(file: LintFile, ctx: LintContext): Promise<Finding[]> {
      const cfgFile = findHadolintConfig(file, ctx.files);
      let config: HadolintConfig | undefined;
      if (cfgFile) {
        try {
          config = loadHadolintConfig(cfgFile.content, cfgFile.path);
        } catch (err) {
          if (!isStackgenError(err)) throw err;
          const loc = err.locations[0];
          return [
            {
              file: cfgFile.path,
              line: loc?.line ?? 1,
              column: loc?.column ?? 1,
              rule: 'SG1000',
              severity: 'error',
              message: err.message,
              tool: 'stackgen',
              fix: err.hint ?? 'Fix the hadolint configuration file.',
            },
          ];
        }
      }
      const ignore = options.ignore ?? [];
      const builds = buildsOfDockerfile(file.path, ctx.files);
      const builtin = lintDockerfile(file, { config, airGapped: options.airGapped, ignore, contexts: buildContexts(file, builds, ctx) });
      builtin.push(...missingTargets(file, builds).filter((f) => !ignore.includes(f.rule) && !(config?.ignored.includes(f.rule) ?? false)));
      if (!ctx.external) return builtin;
      const onDisk = cfgFile && fs.existsSync(cfgFile.path) ? cfgFile.path : undefined;
      const external = await runHadolint(file, onDisk, { pathEnv: options.pathEnv });
      return mergeFindings(builtin, applyConfig(external, config, ignore));
    },
  };
}

/** The default Dockerfile linter (not air-gapped). */
export const dockerfileLinter: Linter = createDockerfileLinter();
