/**
 * The builds compose files declare (`services.<name>.build`), so the Dockerfile linter knows each
 * Dockerfile's build context and the stages compose asks for (`target:`).
 */
import path from 'node:path';
import { detectKind } from '../discover.js';
import type { LintFile } from '../types.js';
import { isRecord, parseYaml, positionOf } from '../yaml-position.js';

export interface ComposeBuild {
  /** The compose file, as linted. */
  compose: string;
  service: string;
  /** The build context folder, posix, as linted paths spell it. */
  context: string;
  /** The Dockerfile, posix, as linted paths spell it. */
  dockerfile: string;
  target?: string;
  /** Where `target:` sits in the compose file. */
  targetAt?: { line: number; column: number };
}

const cache = new Map<string, ComposeBuild[]>();

/** A context compose cannot resolve to a local folder: a URL, a git remote, or a variable. */
const isRemoteOrVariable = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith('git@') || s.includes('$');

function buildsOf(file: LintFile): ComposeBuild[] {
  const key = `${file.path}\0${file.content}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const out: ComposeBuild[] = [];
  const y = parseYaml(file, 'SG2000');
  const services = isRecord(y.value) && isRecord(y.value.services) ? y.value.services : {};
  const dir = path.posix.dirname(file.path.replace(/\\/g, '/'));
  for (const [service, def] of Object.entries(services)) {
    const build = isRecord(def) ? def.build : undefined;
    const spec = typeof build === 'string' ? { context: build } : isRecord(build) ? build : undefined;
    if (!spec || typeof spec.dockerfile_inline === 'string') continue;
    const context = typeof spec.context === 'string' ? spec.context : '.';
    const dockerfile = typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile';
    if (isRemoteOrVariable(context) || dockerfile.includes('$')) continue;
    const ctxPath = path.posix.normalize(path.posix.join(dir, context));
    const target = typeof spec.target === 'string' && !spec.target.includes('$') ? spec.target : undefined;
    out.push({
      compose: file.path,
      service,
      context: ctxPath,
      dockerfile: path.posix.normalize(path.posix.isAbsolute(dockerfile) ? dockerfile : path.posix.join(ctxPath, dockerfile)),
      ...(target ? { target, targetAt: positionOf(y, ['services', service, 'build', 'target']) } : {}),
    });
  }
  if (cache.size > 200) cache.clear();
  cache.set(key, out);
  return out;
}

/** Every compose build, among the linted files, that builds `dockerfile`. */
export function buildsOfDockerfile(dockerfile: string, files: readonly LintFile[]): ComposeBuild[] {
  const want = path.posix.normalize(dockerfile.replace(/\\/g, '/'));
  return files.filter((f) => detectKind(f) === 'compose').flatMap(buildsOf).filter((b) => b.dockerfile === want);
}
