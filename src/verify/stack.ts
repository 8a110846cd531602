/**
 * The first two stages of verify: load what was rendered (spec, compose file, image map, the
 * services this run starts) and lint it, so static errors stop the run before anything is built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StackgenError } from '../errors.js';
import { loadImageMap, mergeImageMaps, type ImageMap } from '../images/image-map.js';
import { lintPaths } from '../lint/index.js';
import { JOBS_PROFILE } from '../render/contexts/compose.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/types.generated.js';
import { buildOf } from './build.js';
import type { ComposeFile, ComposeService, ServiceReport, VerifyOptions } from './types.js';

export interface LoadedStack {
  root: string;
  spec: Spec;
  composeFile: string;
  compose: ComposeFile;
  imageMap: ImageMap;
  /** Compose profiles this run switches on (observability, proxy), as the spec asks. */
  profiles: string[];
  /** The services those profiles make active, in compose order. */
  active: Array<[string, ComposeService]>;
  /** Services left out on request. */
  skip: Set<string>;
}

export function loadStack(dir: string, options: VerifyOptions): LoadedStack {
  const root = path.resolve(dir);
  const specFile = path.resolve(options.spec ?? path.join(root, 'stackgen.yaml'));
  if (!fs.existsSync(specFile)) {
    throw new StackgenError('E_INPUT', `${specFile}: no stackgen.yaml`, { hint: 'Run `stackgen init` first.', locations: [{ file: specFile }] });
  }
  const { spec } = loadSpec(specFile);
  const composeFile = path.join(root, 'compose.yaml');
  if (!fs.existsSync(composeFile)) {
    throw new StackgenError('E_INPUT', `${composeFile}: the stack was never rendered`, { hint: 'Run `stackgen render` (or `stackgen init`) first.', locations: [{ file: composeFile }] });
  }
  const compose = (parseYaml(fs.readFileSync(composeFile, 'utf8')) ?? {}) as ComposeFile;
  const services = compose.services ?? {};
  const skip = new Set(options.skipServices ?? []);
  for (const s of skip) {
    if (!services[s]) throw new StackgenError('E_INPUT', `--skip-service ${s}: no such service in compose.yaml`, { hint: `Services: ${Object.keys(services).join(', ')}` });
  }
  const imageMap: ImageMap = mergeImageMaps(
    { ...(spec.images.mirror ? { mirror: spec.images.mirror } : {}), overrides: spec.images.overrides },
    options.imageMap ? loadImageMap(options.imageMap) : undefined,
  );
  // Jobs sit in the `jobs` profile (compose.yaml): verify runs them and waits for them to finish.
  const hasJobs = Object.values(spec.services).some((s) => s.role === 'job');
  const profiles = [...(spec.observability.prometheus || spec.observability.grafana ? ['observability'] : []), ...(spec.proxy.kind !== 'none' ? ['proxy'] : []), ...(hasJobs ? [JOBS_PROFILE] : [])];
  const active = Object.entries(services).filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)));
  return { root, spec, composeFile, compose, imageMap, profiles, active, skip };
}

/** Lint the rendered stack (compose files, observability, every built Dockerfile): errors stop here. */
export async function lintStack(stack: LoadedStack, options: VerifyOptions): Promise<void> {
  const { root, composeFile, spec } = stack;
  const targets = [composeFile, ...fs.readdirSync(root).filter((f) => /^compose\..+\.ya?ml$/.test(f)).map((f) => path.join(root, f))];
  const obsDir = path.join(root, 'observability');
  if (fs.existsSync(obsDir)) targets.push(obsDir);
  for (const svc of Object.values(stack.compose.services ?? {})) {
    const b = buildOf(svc);
    if (b) targets.push(path.join(root, b.context, b.dockerfile));
  }
  const lint = await lintPaths(targets, { external: true, airGapped: Boolean(spec.images.mirror || Object.keys(spec.images.overrides).length || options.imageMap) });
  const errors = lint.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new StackgenError('E_CHECK_FAILED', `lint found ${errors.length} error(s) in the rendered stack`, {
      hint: 'Fix them (or re-render) before verifying: `stackgen lint` shows them with code frames.',
      locations: errors.map((f) => ({ file: path.relative(process.cwd(), f.file) || f.file, line: f.line, column: f.column, message: `${f.rule} ${f.message}` })),
    });
  }
}

/** One report row per active service, before anything runs. */
export function serviceReports(stack: LoadedStack): Map<string, ServiceReport> {
  const reports = new Map<string, ServiceReport>();
  for (const [name, s] of stack.active) {
    const kind: ServiceReport['kind'] = buildOf(s) ? 'app' : name === 'prometheus' || name === 'grafana' ? 'observability' : s.profiles?.includes('proxy') ? 'proxy' : 'backing';
    const skipped = stack.skip.has(name);
    const role = stack.spec.services[name]?.role;
    reports.set(name, {
      name,
      kind,
      ...(kind === 'app' && role ? { role } : {}),
      image: s.image ?? '',
      health: skipped ? 'skipped' : 'not-started',
      probes: [],
      ...(skipped ? { skippedReason: name === 'grafana' ? 'skipped on request: Grafana image unavailable offline; its provisioning was checked statically by lint' : 'skipped on request (--skip-service)' } : {}),
    });
  }
  return reports;
}
