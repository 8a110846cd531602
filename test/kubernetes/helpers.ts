import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { run } from '../helpers/run.js';
import { detect } from '../../src/detect/detect.js';
import { render } from '../../src/render/render.js';
import type { Kubernetes, Spec } from '../../src/spec/types.generated.js';
import type { VirtualTree } from '../../src/tree/virtual-tree.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { tempRepo } from '../helpers/temp-repo.js';

export const DEFAULT_K8S: Kubernetes = {
  namespace: null,
  backing: 'statefulset',
  storage: { size: '1Gi', className: null },
  ingress: { className: null, hosts: {}, tlsSecret: null },
  secrets: 'generate',
  networkPolicy: false,
  liveness: false,
  maxReplicas: null,
  jobs: {},
};

/** The spec `init --yes` writes for a fixture, with a kubernetes block. */
export async function k8sSpec(fixture: string, k: Partial<Kubernetes> = {}, edit: (s: Spec) => void = () => {}): Promise<{ spec: Spec; dir: string }> {
  const dir = path.resolve('fixtures', fixture);
  const spec = fixtureSpec(await detect(dir), fixture);
  spec.kubernetes = { ...structuredClone(DEFAULT_K8S), ...k };
  edit(spec);
  return { spec, dir };
}

export async function renderK8s(fixture: string, k: Partial<Kubernetes> = {}, edit: (s: Spec) => void = () => {}): Promise<VirtualTree> {
  const { spec, dir } = await k8sSpec(fixture, k, edit);
  return render(spec, { rootDir: dir });
}

/** The tree's kubernetes/ files written to a fresh folder, with throwaway values in every secrets/*.env the overlays read. */
export function writeKubernetes(tree: VirtualTree): string {
  const files: Record<string, string> = {};
  for (const c of tree.listChanges()) {
    if (!c.path.startsWith('kubernetes/')) continue;
    const text = tree.read(c.path)!;
    files[c.path] = text;
    if (c.path.endsWith('.env.example')) {
      files[c.path.replace(/\.example$/, '')] = text.replace(/^([A-Z_][A-Z0-9_]*)=$/gm, (_, k: string) => `${k}=test-${k.toLowerCase()}`);
    }
  }
  return tempRepo(files, 'stackgen-k8s-');
}

export function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `kubectl kustomize` of one overlay: the YAML a cluster would receive; rejects with kubectl's stderr. */
export async function kustomize(dir: string): Promise<string> {
  const r = await run('kubectl', ['kustomize', dir]);
  if (r.code !== 0) throw new Error(`kubectl kustomize ${dir}: ${r.stderr}`);
  return r.stdout;
}
