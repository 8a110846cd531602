/**
 * Which linter a file goes to (by name first, then by a look at its content), and the walk that turns
 * the paths a user passes into lint files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StackgenError } from '../errors.js';
import type { ArtifactKind, LintFile } from './types.js';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor', 'target', 'dist', '.venv', '__pycache__']);
/** Files a linter may read as context (hadolint config, .env for compose interpolation) though nothing lints them. */
const CONTEXT_FILES = new Set(['.hadolint.yaml', '.hadolint.yml', '.env', '.env.example']);
const MAX_BYTES = 2 * 1024 * 1024;

export function isDockerfileName(base: string): boolean {
  return base === 'Dockerfile' || base.endsWith('.Dockerfile') || base.endsWith('.dockerfile') || base.startsWith('Dockerfile.');
}

export function isComposeName(base: string): boolean {
  return /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(base);
}

/**
 * A Kubernetes manifest or kustomization: top-level `apiVersion` and a capitalised `kind` in a
 * document (Grafana provisioning has `apiVersion` but no `kind`).
 */
export function isKubernetesManifest(content: string): boolean {
  return /^apiVersion\s*:/m.test(content) && /^kind\s*:\s*["']?[A-Z]/m.test(content);
}

/** The artifact kind of a file, or undefined when no linter takes it. */
export function detectKind(file: LintFile): ArtifactKind | undefined {
  const p = file.path.replace(/\\/g, '/');
  const base = path.posix.basename(p);
  if (isDockerfileName(base)) return 'dockerfile';
  if (isComposeName(base)) return 'compose';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github-workflow';
  if (base === '.gitlab-ci.yml' || base === '.gitlab-ci.yaml') return 'gitlab-ci';
  if (base.endsWith('.json')) {
    if (/(^|\/)(grafana|dashboards?)\//.test(p)) return 'grafana-dashboard';
    return /"panels"\s*:/.test(file.content) ? 'grafana-dashboard' : undefined;
  }
  if (!/\.ya?ml$/.test(base)) return undefined;
  // Grafana provisioning first: its datasource file is often called prometheus.yml.
  if (/(^|\/)provisioning\/(datasources|dashboards|plugins|alerting|notifiers)\//.test(p)) return 'grafana-provisioning';
  if (isKubernetesManifest(file.content)) return 'kubernetes';
  if (/^prometheus(\.[\w-]+)?\.ya?ml$/.test(base) || /^\s*scrape_configs\s*:/m.test(file.content)) return 'prometheus-config';
  if (/^\s*groups\s*:/m.test(file.content) && /^\s*-?\s*(alert|record)\s*:/m.test(file.content)) return 'prometheus-rules';
  if (/^\s*(datasources|providers|deleteDatasources)\s*:/m.test(file.content) && /^\s*apiVersion\s*:/m.test(file.content)) return 'grafana-provisioning';
  return undefined;
}

export function isContextFile(p: string): boolean {
  return CONTEXT_FILES.has(path.posix.basename(p.replace(/\\/g, '/')));
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function readText(abs: string): string | undefined {
  const st = fs.statSync(abs);
  if (!st.isFile() || st.size > MAX_BYTES) return undefined;
  const buf = fs.readFileSync(abs);
  if (buf.includes(0)) return undefined;
  return buf.toString('utf8');
}

/**
 * Reads every lintable (and context) file under the given paths. A directory is walked (skipping
 * node_modules, .git and other vendored folders); a file is linted whatever its name says, when it has a kind.
 * Paths in the result are as the user wrote them (posix), so findings point where the user looked;
 * relative ones are read from `base` (default: the working directory).
 */
export function collectFiles(paths: readonly string[], base = process.cwd()): LintFile[] {
  const out = new Map<string, LintFile>();
  for (const given of paths) {
    const onDisk = path.resolve(base, given);
    let st: fs.Stats;
    try {
      st = fs.statSync(onDisk);
    } catch (cause) {
      throw new StackgenError('E_INPUT', `${given}: no such file or folder`, { locations: [{ file: given }], cause, hint: 'Pass files or folders to lint.' });
    }
    if (st.isFile()) {
      const content = readText(onDisk);
      if (content !== undefined) out.set(toPosix(given), { path: toPosix(given), content });
      continue;
    }
    walk(onDisk, given, out);
  }
  return [...out.values()];
}

function walk(dir: string, shown: string, out: Map<string, LintFile>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(abs, path.join(shown, e.name), out);
      continue;
    }
    if (!e.isFile()) continue;
    const rel = toPosix(path.normalize(path.join(shown, e.name)));
    const probe: LintFile = { path: rel, content: '' };
    const byName = isContextFile(rel) || /\.(ya?ml|json)$/.test(e.name) || isDockerfileName(e.name);
    if (!byName) continue;
    const content = readText(abs);
    if (content === undefined) continue;
    probe.content = content;
    if (isContextFile(rel) || detectKind(probe)) out.set(rel, probe);
  }
}
