/**
 * Kubernetes (kubernetes/): a Kustomize base, one file per workload, and dev/prod overlays with
 * secretGenerators reading untracked env files. Rendered when the spec has a `kubernetes` block
 * (or names kubernetes among its targets). Lossy mappings from the compose model become warnings
 * on the tree.
 */
import type { Artifact, OutputFile } from '../artifact.js';
import type { RenderInput } from '../artifact.js';
import { kubernetesContext, wantsKubernetes, type KubernetesContext } from '../contexts/kubernetes.js';

/** One context per render input: `files` and `warnings` both need it. */
const contexts = new WeakMap<RenderInput, KubernetesContext>();
function contextOf(input: RenderInput): KubernetesContext {
  let ctx = contexts.get(input);
  if (!ctx) {
    ctx = kubernetesContext(input.spec, input.rootDir, input.imageMap);
    contexts.set(input, ctx);
  }
  return ctx;
}

export const KUBERNETES_DIR = 'kubernetes';
export const KUBERNETES_OVERLAYS = ['dev', 'prod'] as const;

export const kubernetesArtifact: Artifact = {
  name: 'kubernetes',
  files(input, engine): OutputFile[] {
    if (!wantsKubernetes(input.spec)) return [];
    const ctx = contextOf(input);
    const base = `${KUBERNETES_DIR}/base`;
    const out: OutputFile[] = [
      { path: `${KUBERNETES_DIR}/.gitignore`, content: engine.render('kubernetes/gitignore.njk', ctx) },
      { path: `${base}/kustomization.yaml`, content: engine.render('kubernetes/base/kustomization.yaml.njk', ctx) },
    ];
    for (const w of ctx.apps) out.push({ path: `${base}/${w.name}.yaml`, content: engine.render('kubernetes/base/app.yaml.njk', { ...ctx, w }) });
    for (const w of ctx.backing) out.push({ path: `${base}/${w.name}.yaml`, content: engine.render('kubernetes/base/backing.yaml.njk', { ...ctx, w }) });
    for (const w of ctx.jobs) out.push({ path: `${base}/${w.name}.job.yaml`, content: engine.render('kubernetes/base/job.yaml.njk', { ...ctx, w }) });
    if (ctx.networkPolicy) out.push({ path: `${base}/network-policy.yaml`, content: engine.render('kubernetes/base/network-policy.yaml.njk', ctx) });
    for (const overlay of KUBERNETES_OVERLAYS) {
      const dir = `${KUBERNETES_DIR}/overlays/${overlay}`;
      const namespace = overlay === 'prod' ? ctx.namespace : `${ctx.namespace}-${overlay}`;
      out.push({ path: `${dir}/kustomization.yaml`, content: engine.render('kubernetes/overlays/kustomization.yaml.njk', { ...ctx, overlay, namespace }) });
      for (const s of ctx.secrets) out.push({ path: `${dir}/${s.file}.example`, content: engine.render('kubernetes/overlays/secrets.env.example.njk', { ...ctx, s }) });
    }
    return out;
  },
  warnings(input) {
    return wantsKubernetes(input.spec) ? contextOf(input).warnings : [];
  },
};
