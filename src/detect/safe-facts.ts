/**
 * Repository text is someone else's data. Every string detect reads out of a repository's files
 * and hands on (commands, folders, paths, versions) must fit the spec field it will fill, by the
 * same pattern the spec's schema holds; one that does not — a `vite.config.ts` outDir with a line
 * break, a start script ending in a backslash — is dropped with a warning naming the file and line
 * it came from, so `init --yes` writes a valid spec and nothing from the repository can become a
 * Dockerfile instruction or a YAML key.
 */
import { specSchema } from '../spec/schema.js';
import type { Fact } from './provider.js';
import type { Service, TopologyWarning } from './types.js';

const defs = specSchema.$defs as Record<string, { pattern: string; maxLength?: number }>;

function matcher(def: string): (value: string) => boolean {
  const { pattern, maxLength } = defs[def]!;
  const re = new RegExp(pattern, 'u');
  return (value) => re.test(value) && (maxLength === undefined || value.length <= maxLength);
}

const IS = { command: matcher('command'), folder: matcher('folder'), urlPath: matcher('urlPath'), version: matcher('version'), envName: matcher('envName') };

/** The fact behind a value: the one of the expected kind that quotes it, else the first of that kind. */
function sourceOf(facts: readonly Fact[], kinds: readonly Fact['kind'][], value: string): Fact | undefined {
  const firstLine = value.split(/[\r\n]/)[0]!.trim();
  const ofKind = facts.filter((f) => kinds.includes(f.kind));
  return ofKind.find((f) => firstLine !== '' && f.signal.includes(firstLine)) ?? ofKind[0] ?? facts[0];
}

/** Drops, in place, each value of `service` the spec could not hold, and says so. */
export function dropUnsafeFacts(service: Service, facts: readonly Fact[], warnings: TopologyWarning[]): void {
  const drop = (field: string, value: string, kinds: readonly Fact['kind'][], why: string): void => {
    const fact = sourceOf(facts, kinds, value);
    const where = fact ? { file: fact.file, ...(fact.line === undefined ? {} : { line: fact.line }) } : { file: service.path };
    warnings.push({ ...where, message: `${service.name}: ignored ${field} ${JSON.stringify(value)} read from the repository: ${why}; set it in stackgen.yaml if it is right` });
  };
  for (const key of ['install', 'build', 'start'] as const) {
    const cmd = service.commands[key];
    if (cmd !== null && !IS.command(cmd)) {
      drop(`the ${key} command`, cmd, ['start', 'manifest'], 'a command is one line, with no control characters and no trailing backslash');
      service.commands[key] = null;
    }
  }
  if (service.staticDir !== undefined && !IS.folder(service.staticDir)) {
    drop('the output folder', service.staticDir, ['framework', 'heuristic', 'manifest'], "a folder is a relative path inside the service, without '..' or unusual characters");
    delete service.staticDir;
  }
  if (service.dockerBuild !== undefined && !IS.folder(service.dockerBuild.context)) {
    drop('the build context', service.dockerBuild.context, ['compose', 'heuristic'], "a folder is '.' or a relative path inside the repository, without '..' or unusual characters");
    delete service.dockerBuild;
  }
  if (service.healthPath !== null && !IS.urlPath(service.healthPath.startsWith('/') ? service.healthPath : `/${service.healthPath}`)) {
    drop('the health path', service.healthPath, ['usage', 'heuristic'], 'a health path is made of URL characters only');
    service.healthPath = null;
  }
  if (service.metricsPath !== undefined && !IS.urlPath(service.metricsPath.startsWith('/') ? service.metricsPath : `/${service.metricsPath}`)) {
    drop('the metrics path', service.metricsPath, ['usage', 'framework'], 'a metrics path is made of URL characters only');
    delete service.metricsPath;
  }
  if (service.portEnv !== undefined && !IS.envName(service.portEnv)) {
    drop('the port variable', service.portEnv, ['port'], 'an environment variable name is letters, digits and _ only');
    delete service.portEnv;
  }
  if (service.runtimeVersion !== null && !IS.version(service.runtimeVersion)) {
    drop('the runtime version', service.runtimeVersion, ['version'], 'a version is letters, digits and ._+- only');
    service.runtimeVersion = null;
  }
}

/** A backing service's version read from the repository (a compose image tag, a dependency pin). */
export function safeVersion(version: string | undefined): string | undefined {
  return version !== undefined && IS.version(version) ? version : undefined;
}
