/**
 * Kubernetes manifests (any YAML whose documents have `apiVersion` and `kind`) and Kustomize
 * kustomization files. Each object is validated against the Kubernetes API schema with unknown
 * fields refused (./schema.ts), then the semantic rules a schema cannot express: selectors that
 * select the pod template, Services and probes that name ports the containers declare, pinned image
 * tags, no Secret values in files, and the fields of Pod Security "restricted".
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Finding, LintContext, LintFile, Linter, Severity } from '../types.js';
import { positionOf, type ParsedYaml } from '../yaml-position.js';
import { validateKubernetesObject } from './schema.js';

type Obj = Record<string, unknown>;
type Path = Array<string | number>;

export interface KubeDocument {
  y: ParsedYaml;
  obj: Obj;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every document of a multi-document YAML file, with positions; parse errors as SG6000 findings. */
export function parseKubernetesFile(file: LintFile): { docs: KubeDocument[]; errors: Finding[] } {
  const lines = new LineCounter();
  const docs: KubeDocument[] = [];
  const errors: Finding[] = [];
  for (const doc of parseAllDocuments(file.content, { lineCounter: lines, uniqueKeys: true, prettyErrors: true })) {
    for (const e of doc.errors) {
      errors.push({ file: file.path, line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1, rule: 'SG6000', severity: 'error', message: `invalid YAML: ${e.message.split('\n')[0]}`, tool: 'stackgen', fix: 'Fix the YAML syntax at this position.' });
    }
    if (doc.errors.length > 0) continue;
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) continue;
    const y: ParsedYaml = { doc, lines, value, errors: [] };
    if (!isObj(value)) {
      errors.push({ file: file.path, ...positionOf(y, []), rule: 'SG6000', severity: 'error', message: 'a Kubernetes manifest document must be a mapping with apiVersion and kind', tool: 'stackgen' });
      continue;
    }
    docs.push({ y, obj: value });
  }
  return { docs, errors };
}

/** The pod template of a workload (and where it sits), or null for other kinds. */
export function podTemplate(obj: Obj): { at: Path; template: Obj } | null {
  const spec = isObj(obj.spec) ? obj.spec : null;
  if (!spec) return null;
  switch (obj.kind) {
    case 'Pod':
      return { at: [], template: { metadata: obj.metadata, spec } };
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return isObj(spec.template) ? { at: ['spec', 'template'], template: spec.template } : null;
    case 'CronJob': {
      const job = isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) ? spec.jobTemplate.spec : null;
      return job && isObj(job.template) ? { at: ['spec', 'jobTemplate', 'spec', 'template'], template: job.template } : null;
    }
    default:
      return null;
  }
}

function labelsOf(template: Obj): Record<string, string> {
  const meta = isObj(template.metadata) ? template.metadata : {};
  return isObj(meta.labels) ? (meta.labels as Record<string, string>) : {};
}

function selects(selector: Record<string, unknown>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

interface ContainerInfo {
  at: Path;
  c: Obj;
}

function containersOf(template: Obj, base: Path): ContainerInfo[] {
  const spec = isObj(template.spec) ? template.spec : {};
  return [
    ...arr(spec.initContainers).map((c, i) => ({ at: [...base, 'spec', 'initContainers', i], c: c as Obj })),
    ...arr(spec.containers).map((c, i) => ({ at: [...base, 'spec', 'containers', i], c: c as Obj })),
  ].filter((x) => isObj(x.c));
}

function declaredPorts(containers: ContainerInfo[]): { names: Set<string>; numbers: Set<number> } {
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const { c } of containers) {
    for (const p of arr(c.ports)) {
      if (!isObj(p)) continue;
      if (typeof p.name === 'string') names.add(p.name);
      if (typeof p.containerPort === 'number') numbers.add(p.containerPort);
    }
  }
  return { names, numbers };
}

/** An image reference with neither a digest nor a tag other than `latest`. */
export function unpinnedImage(image: string): boolean {
  if (image.includes('@')) return false;
  const last = image.split('/').pop()!;
  const colon = last.lastIndexOf(':');
  return colon === -1 || last.slice(colon + 1) === 'latest';
}

type Add = (at: Path, rule: string, severity: Severity, message: string, fix: string, key?: boolean) => void;

/** Pod Security "restricted" (Kubernetes' Pod Security Standards), as this pod spec states it. */
function checkRestricted(add: Add, template: Obj, base: Path): void {
  const spec = isObj(template.spec) ? template.spec : {};
  const podSc = isObj(spec.securityContext) ? spec.securityContext : {};
  const sAt = [...base, 'spec'];
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[host] === true) add([...sAt, host], 'SG6016', 'error', `Pod Security restricted: ${host} is not allowed`, `Remove ${host}.`);
  }
  arr(spec.volumes).forEach((v, i) => {
    if (isObj(v) && v.hostPath !== undefined) add([...sAt, 'volumes', i, 'hostPath'], 'SG6016', 'error', 'Pod Security restricted: hostPath volumes are not allowed', 'Use an emptyDir, a ConfigMap/Secret or a PersistentVolumeClaim.');
  });
  if (podSc.runAsUser === 0) add([...sAt, 'securityContext', 'runAsUser'], 'SG6016', 'error', 'Pod Security restricted: runAsUser 0 (root) is not allowed', "Run as the image's numeric non-root UID.");
  const podSeccomp = isObj(podSc.seccompProfile) ? podSc.seccompProfile.type : undefined;
  for (const { at, c } of containersOf(template, base)) {
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    const scAt = [...at, 'securityContext'];
    const name = typeof c.name === 'string' ? c.name : String(at.at(-1));
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) add(scAt, 'SG6016', 'error', `Pod Security restricted: container ${name} does not set runAsNonRoot: true (pod or container)`, 'Set securityContext.runAsNonRoot: true and a numeric runAsUser.');
    if (sc.runAsUser === 0) add([...scAt, 'runAsUser'], 'SG6016', 'error', `Pod Security restricted: container ${name} runs as root (runAsUser 0)`, "Run as the image's numeric non-root UID.");
    if (sc.allowPrivilegeEscalation !== false) add(scAt, 'SG6016', 'error', `Pod Security restricted: container ${name} does not set allowPrivilegeEscalation: false`, 'Set securityContext.allowPrivilegeEscalation: false.');
    if (sc.privileged === true) add([...scAt, 'privileged'], 'SG6016', 'error', `Pod Security restricted: container ${name} is privileged`, 'Remove privileged: true.');
    const caps = isObj(sc.capabilities) ? sc.capabilities : {};
    if (!arr(caps.drop).includes('ALL')) add(scAt, 'SG6016', 'error', `Pod Security restricted: container ${name} does not drop ALL capabilities`, 'Set securityContext.capabilities.drop: [ALL].');
    const added = arr(caps.add).filter((x) => x !== 'NET_BIND_SERVICE');
    if (added.length > 0) add([...scAt, 'capabilities', 'add'], 'SG6016', 'error', `Pod Security restricted: container ${name} adds ${added.join(', ')} (only NET_BIND_SERVICE is allowed)`, 'Remove the added capabilities.');
    const seccomp = isObj(sc.seccompProfile) ? sc.seccompProfile.type : podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(scAt, 'SG6016', 'error', `Pod Security restricted: container ${name} has no seccompProfile RuntimeDefault or Localhost (pod or container)`, 'Set securityContext.seccompProfile.type: RuntimeDefault.');
    if (sc.readOnlyRootFilesystem !== true) add(scAt, 'SG6017', 'warning', `container ${name} can write to its root filesystem`, 'Set readOnlyRootFilesystem: true and mount an emptyDir where the app writes.');
  }
  if (spec.automountServiceAccountToken !== false) add(sAt, 'SG6018', 'warning', 'the pod mounts a service account token it may not need', 'Set automountServiceAccountToken: false unless the app calls the Kubernetes API.');
}

function checkPorts(add: Add, template: Obj, base: Path): void {
  const containers = containersOf(template, base);
  const { names } = declaredPorts(containers);
  for (const { at, c } of containers) {
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const p = isObj(c[probe]) ? c[probe] : null;
      if (!p) continue;
      for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
        const h = isObj(p[handler]) ? p[handler] : null;
        if (!h) continue;
        const own = declaredPorts([{ at, c }]);
        if (typeof h.port === 'string' && !own.names.has(h.port)) {
          add([...at, probe, handler, 'port'], 'SG6013', 'error', `${probe} uses port \`${h.port}\`, which the container does not declare (declared: ${[...own.names].join(', ') || 'none'})`, 'Name the port in the container\'s ports, or probe a declared one.');
        } else if (typeof h.port === 'number' && own.numbers.size > 0 && !own.numbers.has(h.port)) {
          add([...at, probe, handler, 'port'], 'SG6013', 'warning', `${probe} uses port ${h.port}, which the container does not declare`, 'Probe a declared, named port.');
        }
      }
    }
  }
  void names;
}

async function lintDocument(file: LintFile, d: KubeDocument, siblings: KubeDocument[], ctx: LintContext, out: Finding[]): Promise<void> {
  const add: Add = (at, rule, severity, message, fix, key = false) => out.push({ file: file.path, ...positionOf(d.y, at, key), rule, severity, message, tool: 'stackgen', fix });
  const obj = d.obj;
  if (obj.kind === 'Kustomization') {
    checkKustomization(file, obj, add, ctx);
    return;
  }
  for (const issue of await validateKubernetesObject(obj)) {
    if (issue.kind === 'unknown-kind') add(issue.path, 'SG6003', 'warning', `${issue.message}: not checked against an API schema`, 'Check the apiVersion and kind (custom resources are not validated offline).');
    else if (issue.kind === 'unknown-field') add(issue.path, 'SG6002', 'error', `${String(obj.kind)}: ${issue.message}; the API server drops fields it does not know`, 'Fix the field name (see kubectl explain) or remove it.', true);
    else add(issue.path, 'SG6001', 'error', `${String(obj.kind)} does not match the Kubernetes API schema: ${issue.message}`, 'Fix the value to the type the API expects (kubectl explain shows each field).');
  }

  const pt = podTemplate(obj);
  if (pt) {
    const spec = obj.spec as Obj;
    if (obj.kind !== 'Pod' && obj.kind !== 'Job' && obj.kind !== 'CronJob') {
      const match = isObj(spec.selector) && isObj(spec.selector.matchLabels) ? spec.selector.matchLabels : null;
      if (!match) add(['spec', 'selector'], 'SG6010', 'error', `${String(obj.kind)} has no selector.matchLabels`, 'Select the pod template by its labels.');
      else if (!selects(match, labelsOf(pt.template))) add(['spec', 'selector', 'matchLabels'], 'SG6010', 'error', `${String(obj.kind)} selector ${JSON.stringify(match)} does not match its pod template's labels`, 'Make the selector a subset of spec.template.metadata.labels (the API server rejects the object otherwise).');
    }
    for (const { at, c } of containersOf(pt.template, pt.at)) {
      if (typeof c.image === 'string' && unpinnedImage(c.image)) add([...at, 'image'], 'SG6014', 'error', `image \`${c.image}\` has no tag or uses latest`, 'Pin a version tag (or a digest), e.g. with the overlay\'s images: newTag.');
    }
    checkPorts(add, pt.template, pt.at);
    checkRestricted(add, pt.template, pt.at);
  }

  if (obj.kind === 'Secret' && (isObj(obj.data) && Object.keys(obj.data).length > 0 || isObj(obj.stringData) && Object.keys(obj.stringData).length > 0)) {
    add([isObj(obj.data) && Object.keys(obj.data).length > 0 ? 'data' : 'stringData'], 'SG6015', 'error', 'a Secret with values in a file: anyone who can read the repository can read them', 'Generate it from an untracked env file (kustomize secretGenerator) or reference a Secret created in the cluster.');
  }

  if (obj.kind === 'Service') {
    const spec = isObj(obj.spec) ? obj.spec : {};
    const sel = isObj(spec.selector) ? spec.selector : null;
    const templates = siblings.map((s) => podTemplate(s.obj)).filter((t): t is NonNullable<typeof t> => t !== null);
    if (sel && templates.length > 0) {
      const targets = templates.filter((t) => selects(sel, labelsOf(t.template)));
      if (targets.length === 0) add(['spec', 'selector'], 'SG6011', 'error', `Service selector ${JSON.stringify(sel)} matches no pod template in ${path.posix.dirname(file.path)}`, "Use the workload's pod labels as the Service's selector.");
      else {
        const { names, numbers } = declaredPorts(targets.flatMap((t) => containersOf(t.template, t.at)));
        arr(spec.ports).forEach((p, i) => {
          if (!isObj(p)) return;
          const tp = p.targetPort ?? p.port;
          if (typeof tp === 'string' && !names.has(tp)) add(['spec', 'ports', i, 'targetPort'], 'SG6012', 'error', `Service targetPort \`${tp}\` is not a port the selected containers declare (declared: ${[...names].join(', ') || 'none'})`, 'Target a named container port.');
          if (typeof tp === 'number' && !numbers.has(tp)) add(['spec', 'ports', i, 'targetPort'], 'SG6012', 'error', `Service targetPort ${tp} is not a port the selected containers declare`, 'Target a declared container port, by name.');
        });
      }
    }
  }
}

function checkKustomization(file: LintFile, obj: Obj, add: Add, ctx: LintContext): void {
  const dir = path.posix.dirname(file.path);
  const known = new Set(ctx.files.map((f) => path.posix.normalize(f.path)));
  const exists = (rel: string) => {
    const p = path.posix.normalize(path.posix.join(dir, rel));
    if (known.has(p) || [...known].some((k) => k.startsWith(`${p}/`))) return true;
    return ctx.root !== undefined && fs.existsSync(path.resolve(ctx.root, p));
  };
  arr(obj.resources).forEach((r, i) => {
    if (typeof r === 'string' && !/^[a-z]+:\/\//.test(r) && !exists(r)) add(['resources', i], 'SG6020', 'error', `resource \`${r}\` does not exist (relative to ${dir})`, 'Fix the path; kustomize resolves resources relative to the kustomization file.');
  });
}

export const kubernetesLinter: Linter = {
  kind: 'kubernetes',
  async lint(file, ctx) {
    const { docs, errors } = parseKubernetesFile(file);
    const out: Finding[] = [...errors];
    // Services select pods from any manifest of the same folder (one workload per file).
    const dir = path.posix.dirname(file.path);
    const siblings = ctx.files
      .filter((f) => f.path !== file.path && path.posix.dirname(f.path) === dir && /\.ya?ml$/.test(f.path))
      .flatMap((f) => parseKubernetesFile(f).docs);
    for (const d of docs) await lintDocument(file, d, [...docs, ...siblings], ctx, out);
    return out;
  },
};
