/**
 * Kubernetes objects checked against the Kubernetes API's OpenAPI schemas, offline. The schemas come
 * compiled from the npm package kubernetes-models (one validator per kind, Kubernetes 1.30+ API).
 * Those validators, like the OpenAPI documents they are built from, accept fields they do not know
 * (a misspelt `readinessProbes:` passes, and the API server would drop it with a warning), so a
 * strict pass follows: every key of every mapping is replaced, one at a time, by a value no schema
 * accepts, and a key whose replacement raises no error at its own path is one the schema does not
 * describe. Every property of the Kubernetes API has a type, so this finds exactly the keys an
 * `additionalProperties: false` schema would refuse; free-form maps (labels, ConfigMap data) type
 * their values and so are known.
 */

export interface SchemaIssue {
  /** JSON path inside the object. */
  path: Array<string | number>;
  message: string;
  /** `schema`: the value breaks the API schema; `unknown-field`: the schema has no such field; `unknown-kind`: no schema for this apiVersion/kind. */
  kind: 'schema' | 'unknown-field' | 'unknown-kind';
}

interface ModelClass {
  new (data: never): { validate(): void };
}

/**
 * The kinds validated, each loaded on first use (the package has one module per kind). Custom
 * resources and other kinds are reported as unchecked.
 */
const KINDS: Readonly<Record<string, () => Promise<ModelClass>>> = {
  'v1/ConfigMap': () => import('kubernetes-models/v1/ConfigMap').then((m) => m.ConfigMap as unknown as ModelClass),
  'v1/Secret': () => import('kubernetes-models/v1/Secret').then((m) => m.Secret as unknown as ModelClass),
  'v1/Service': () => import('kubernetes-models/v1/Service').then((m) => m.Service as unknown as ModelClass),
  'v1/ServiceAccount': () => import('kubernetes-models/v1/ServiceAccount').then((m) => m.ServiceAccount as unknown as ModelClass),
  'v1/Pod': () => import('kubernetes-models/v1/Pod').then((m) => m.Pod as unknown as ModelClass),
  'v1/PersistentVolumeClaim': () => import('kubernetes-models/v1/PersistentVolumeClaim').then((m) => m.PersistentVolumeClaim as unknown as ModelClass),
  'v1/Namespace': () => import('kubernetes-models/v1/Namespace').then((m) => m.Namespace as unknown as ModelClass),
  'v1/LimitRange': () => import('kubernetes-models/v1/LimitRange').then((m) => m.LimitRange as unknown as ModelClass),
  'v1/ResourceQuota': () => import('kubernetes-models/v1/ResourceQuota').then((m) => m.ResourceQuota as unknown as ModelClass),
  'v1/Endpoints': () => import('kubernetes-models/v1/Endpoints').then((m) => m.Endpoints as unknown as ModelClass),
  'v1/PersistentVolume': () => import('kubernetes-models/v1/PersistentVolume').then((m) => m.PersistentVolume as unknown as ModelClass),
  'apps/v1/Deployment': () => import('kubernetes-models/apps/v1/Deployment').then((m) => m.Deployment as unknown as ModelClass),
  'apps/v1/StatefulSet': () => import('kubernetes-models/apps/v1/StatefulSet').then((m) => m.StatefulSet as unknown as ModelClass),
  'apps/v1/DaemonSet': () => import('kubernetes-models/apps/v1/DaemonSet').then((m) => m.DaemonSet as unknown as ModelClass),
  'apps/v1/ReplicaSet': () => import('kubernetes-models/apps/v1/ReplicaSet').then((m) => m.ReplicaSet as unknown as ModelClass),
  'batch/v1/Job': () => import('kubernetes-models/batch/v1/Job').then((m) => m.Job as unknown as ModelClass),
  'batch/v1/CronJob': () => import('kubernetes-models/batch/v1/CronJob').then((m) => m.CronJob as unknown as ModelClass),
  'autoscaling/v2/HorizontalPodAutoscaler': () => import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').then((m) => m.HorizontalPodAutoscaler as unknown as ModelClass),
  'networking.k8s.io/v1/Ingress': () => import('kubernetes-models/networking.k8s.io/v1/Ingress').then((m) => m.Ingress as unknown as ModelClass),
  'networking.k8s.io/v1/NetworkPolicy': () => import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').then((m) => m.NetworkPolicy as unknown as ModelClass),
  'networking.k8s.io/v1/IngressClass': () => import('kubernetes-models/networking.k8s.io/v1/IngressClass').then((m) => m.IngressClass as unknown as ModelClass),
  'policy/v1/PodDisruptionBudget': () => import('kubernetes-models/policy/v1/PodDisruptionBudget').then((m) => m.PodDisruptionBudget as unknown as ModelClass),
  'rbac.authorization.k8s.io/v1/Role': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/Role').then((m) => m.Role as unknown as ModelClass),
  'rbac.authorization.k8s.io/v1/RoleBinding': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding').then((m) => m.RoleBinding as unknown as ModelClass),
  'rbac.authorization.k8s.io/v1/ClusterRole': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole').then((m) => m.ClusterRole as unknown as ModelClass),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': () => import('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding').then((m) => m.ClusterRoleBinding as unknown as ModelClass),
  'storage.k8s.io/v1/StorageClass': () => import('kubernetes-models/storage.k8s.io/v1/StorageClass').then((m) => m.StorageClass as unknown as ModelClass),
  'scheduling.k8s.io/v1/PriorityClass': () => import('kubernetes-models/scheduling.k8s.io/v1/PriorityClass').then((m) => m.PriorityClass as unknown as ModelClass),
};


interface AjvError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword: string;
}

const models = new Map<string, Promise<ModelClass | null>>();

function modelFor(apiVersion: string, kind: string): Promise<ModelClass | null> {
  const key = `${apiVersion}/${kind}`;
  let hit = models.get(key);
  if (!hit) {
    const load = Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
    hit = load ? load() : Promise.resolve(null);
    models.set(key, hit);
  }
  return hit;
}

function errorsOf(model: ModelClass, value: unknown): AjvError[] {
  try {
    new model(value as never).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    return errors;
  }
}

function pointer(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function parsePointer(p: string): Array<string | number> {
  if (p === '') return [];
  return p.slice(1).split('/').map((s) => {
    const t = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^[0-9]+$/.test(t) ? Number(t) : t;
  });
}

/** Every mapping in a value, with its path. */
function mappings(value: unknown, at: Array<string | number> = []): Array<{ at: Array<string | number>; node: Record<string, unknown> }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => mappings(v, [...at, i]));
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    return [{ at, node }, ...Object.entries(node).flatMap(([k, v]) => mappings(v, [...at, k]))];
  }
  return [];
}

/** A value no property schema accepts: not a string, number, boolean, array, object or null. */
const POISON = Symbol('not-a-value');

/** Issues of one Kubernetes object (a parsed YAML document). */
export async function validateKubernetesObject(obj: Record<string, unknown>): Promise<SchemaIssue[]> {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const model = await modelFor(apiVersion, kind);
  if (!model) return [{ path: ['kind'], message: `no Kubernetes API schema for ${apiVersion || '(no apiVersion)'} ${kind || '(no kind)'}`, kind: 'unknown-kind' }];
  const issues: SchemaIssue[] = errorsOf(model, obj).map((e) => ({
    path: parsePointer(e.instancePath),
    message: `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
    kind: 'schema' as const,
  }));
  // The strict pass, on an object the schema accepts (errors elsewhere would hide the probe's).
  if (issues.length > 0) return issues;
  const unknown: string[] = [];
  for (const { at, node } of mappings(obj)) {
    // Below an unknown field everything is unknown: one finding, at the field.
    if (unknown.some((u) => pointer(at) === u || pointer(at).startsWith(`${u}/`))) continue;
    for (const key of Object.keys(node)) {
      const copy = structuredClone(obj) as Record<string, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const p of at) parent = parent[p] as Record<string | number, unknown>;
      parent[key] = POISON;
      const here = pointer([...at, key]);
      if (!errorsOf(model, copy).some((e) => e.instancePath === here || e.instancePath.startsWith(`${here}/`))) {
        issues.push({ path: [...at, key], message: `${pointer(at) || '/'}: unknown field \`${key}\``, kind: 'unknown-field' });
        unknown.push(here);
      }
    }
  }
  return issues;
}
