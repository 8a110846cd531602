/**
 * The Kubernetes tree: golden files for two fixtures, what each spec field turns into, and the
 * proof without a cluster: every overlay builds with `kubectl kustomize` and every object it yields
 * validates against the Kubernetes API schema with unknown fields refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { cpuQuantity, memoryQuantity, seconds } from '../../src/render/contexts/kubernetes.js';
import { lintFiles, lintTree } from '../../src/lint/index.js';
import { validateKubernetesObject } from '../../src/lint/kubernetes/schema.js';
import { render } from '../../src/render/render.js';
import { hasKubectl, k8sSpec, kustomize, renderK8s, writeKubernetes } from './helpers.js';

type Obj = Record<string, any>;

function objects(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o !== null);
}

function find(tree: Awaited<ReturnType<typeof renderK8s>>, file: string, kind: string, name?: string): Obj | undefined {
  const text = tree.read(file);
  if (text === undefined) return undefined;
  return objects(text).find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
}

const GOLDEN = [
  { fixture: 'node-express-pg-redis', k8s: { networkPolicy: true, jobs: { migrate: { service: 'node-express-pg-redis', command: 'node src/migrate.js', backoffLimit: 2 } } } },
  { fixture: 'python-django-postgres-celery', k8s: { liveness: true, ingress: { className: 'nginx', hosts: {}, tlsSecret: 'web-tls' } } },
];

describe('kubernetes tree', () => {
  for (const g of GOLDEN) {
    it(`golden: ${g.fixture}`, async () => {
      const tree = await renderK8s(g.fixture, g.k8s as never);
      const files = tree.listChanges().map((c) => c.path).filter((p) => p.startsWith('kubernetes/')).sort();
      expect(files.length).toBeGreaterThan(4);
      for (const f of files) await expect(tree.read(f)).toMatchFileSnapshot(`golden/${g.fixture}/${f.replace(/^kubernetes\//, '').replace(/^\./, 'dot.')}`);
    });

    it(`lints clean: ${g.fixture}`, async () => {
      const tree = await renderK8s(g.fixture, g.k8s as never);
      const findings = (await lintTree(tree)).findings.filter((f) => f.file.startsWith('kubernetes/'));
      expect(findings).toEqual([]);
    });
  }

  it('is rendered only when the spec asks for it', async () => {
    const { spec, dir } = await k8sSpec('node-express-pg-redis');
    delete spec.kubernetes;
    const tree = await render(spec, { rootDir: dir });
    expect(tree.listChanges().filter((c) => c.path.startsWith('kubernetes/'))).toEqual([]);
  });

  it('Pod Security restricted with the image UID, read-only root with emptyDir where compose has tmpfs, explicit probe timings', async () => {
    const tree = await renderK8s('node-express-pg-redis');
    const compose = objects(tree.read('compose.yaml')!)[0]!.services['node-express-pg-redis'];
    const d = find(tree, 'kubernetes/base/node-express-pg-redis.yaml', 'Deployment')!;
    const pod = d.spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(c.volumeMounts.map((m: Obj) => m.mountPath)).toEqual(compose.tmpfs);
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.livenessProbe).toBeUndefined();
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    const sa = find(tree, 'kubernetes/base/node-express-pg-redis.yaml', 'ServiceAccount')!;
    expect(sa.automountServiceAccountToken).toBe(false);
    const svc = find(tree, 'kubernetes/base/node-express-pg-redis.yaml', 'Service')!;
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('the UID is the image\'s: distroless Go runs as 65532, nginx-unprivileged as 101', async () => {
    const go = await renderK8s('go-stdlib-api');
    const name = Object.keys((await k8sSpec('go-stdlib-api')).spec.services)[0]!;
    expect(find(go, `kubernetes/base/${name}.yaml`, 'Deployment')!.spec.template.spec.securityContext.runAsUser).toBe(65532);
    const site = await renderK8s('static-site');
    const siteName = Object.keys((await k8sSpec('static-site')).spec.services)[0]!;
    expect(find(site, `kubernetes/base/${siteName}.yaml`, 'Deployment')!.spec.template.spec.securityContext.runAsUser).toBe(101);
  });

  it('liveness only when asked; HPA and PDB only above one replica; Ingress only for public services', async () => {
    const one = await renderK8s('node-express-pg-redis');
    expect(find(one, 'kubernetes/base/node-express-pg-redis.yaml', 'HorizontalPodAutoscaler')).toBeUndefined();
    expect(find(one, 'kubernetes/base/node-express-pg-redis.yaml', 'PodDisruptionBudget')).toBeUndefined();
    expect(find(one, 'kubernetes/base/node-express-pg-redis.yaml', 'Ingress')!.spec.rules[0].host).toBe('node-express-pg-redis.node-express-pg-redis.localhost');
    const three = await renderK8s('node-express-pg-redis', { liveness: true, maxReplicas: 10 }, (s) => {
      s.services['node-express-pg-redis']!.replicas = 3;
      s.services['node-express-pg-redis']!.publish = null;
    });
    const file = 'kubernetes/base/node-express-pg-redis.yaml';
    expect(find(three, file, 'HorizontalPodAutoscaler')!.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(find(three, file, 'PodDisruptionBudget')!.spec.minAvailable).toBe(2);
    expect(find(three, file, 'Deployment')!.spec.replicas).toBeUndefined();
    expect(find(three, file, 'Deployment')!.spec.template.spec.containers[0].livenessProbe.httpGet.port).toBe('http');
    expect(find(three, file, 'Ingress')).toBeUndefined();
    expect(three.read('kubernetes/base/network-policy.yaml')).toBeUndefined();
  });

  it('workers are Deployments without a Service; backing services StatefulSets with a claim, postgres data in a sub-folder', async () => {
    const tree = await renderK8s('python-django-postgres-celery');
    const { spec } = await k8sSpec('python-django-postgres-celery');
    const worker = Object.entries(spec.services).find(([, s]) => s.role === 'worker')![0];
    expect(find(tree, `kubernetes/base/${worker}.yaml`, 'Deployment')).toBeDefined();
    expect(find(tree, `kubernetes/base/${worker}.yaml`, 'Service')).toBeUndefined();
    const pgName = Object.entries(spec.backingServices).find(([, b]) => b.kind === 'postgres')![0];
    const sts = find(tree, `kubernetes/base/${pgName}.yaml`, 'StatefulSet')!;
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(find(tree, `kubernetes/base/${pgName}.yaml`, 'ConfigMap')!.data.PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    expect(sts.spec.template.spec.containers[0].readinessProbe.exec.command[0]).toBe('sh');
  });

  it('backing: external leaves the connection variables to the app\'s Secret; secrets: existing renders no generator', async () => {
    const tree = await renderK8s('node-express-pg-redis', { backing: 'external', secrets: 'existing' });
    expect(tree.read('kubernetes/base/postgres.yaml')).toBeUndefined();
    const example = tree.read('kubernetes/overlays/prod/secrets/node-express-pg-redis.env.example')!;
    expect(example).toMatch(/^DATABASE_URL=$/m);
    expect(example).toMatch(/^REDIS_URL=$/m);
    expect(tree.read('kubernetes/overlays/prod/kustomization.yaml')).not.toContain('secretGenerator');
    expect(tree.warnings.map((w) => w.message).join('\n')).toContain('kubernetes.backing: external');
  });

  it('lossy mappings are warnings naming the field', async () => {
    const tree = await renderK8s('node-express-pg-redis');
    const messages = tree.warnings.map((w) => w.message);
    expect(messages.some((m) => m.startsWith('kubernetes: services.node-express-pg-redis.publish: 3001'))).toBe(true);
  });

  it('a job service is a Job (no Service, probes or autoscaler) and a worker a Deployment without a Service; both build and validate', async () => {
    for (const [fixture, kind] of [['python-job', 'Job'], ['go-worker', 'Deployment']] as const) {
      const tree = await renderK8s(fixture, {}, (s) => {
        for (const svc of Object.values(s.services)) svc.replicas = 2;
      });
      const name = Object.keys((await k8sSpec(fixture)).spec.services)[0]!;
      const file = `kubernetes/base/${name}.yaml`;
      const workload = find(tree, file, kind, name);
      expect(workload, `${fixture}: ${kind}`).toBeDefined();
      expect(find(tree, file, 'Service', name), `${fixture}: no Service`).toBeUndefined();
      const container = (kind === 'Job' ? workload!.spec.template.spec : workload!.spec.template.spec).containers[0];
      if (kind === 'Job') {
        expect(workload!.spec.template.spec.restartPolicy).toBe('Never');
        expect(workload!.spec.backoffLimit).toBe(1);
        expect(container.readinessProbe ?? container.startupProbe).toBeUndefined();
        expect(find(tree, file, 'HorizontalPodAutoscaler')).toBeUndefined();
        expect(find(tree, file, 'PodDisruptionBudget')).toBeUndefined();
      }
      expect(container.securityContext.runAsNonRoot).toBe(true);
      if (!hasKubectl()) continue;
      const dir = writeKubernetes(tree);
      try {
        for (const o of objects(await kustomize(path.join(dir, 'kubernetes/overlays/dev')))) expect(await validateKubernetesObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('wires each app the way its code reads its backing services, as compose does: split variables, a password file, a host alias, no auth', async () => {
    const fixture = 'wiring-node-split-hardcoded';
    const { spec } = await k8sSpec(fixture);
    const app = Object.keys(spec.services)[0]!;
    expect(spec.services[app]!.wiring).toMatchObject({ DATABASE_HOST: 'postgres.host', DATABASE_PASSWORD: 'postgres.password-file' });
    expect(spec.backingServices.redis).toMatchObject({ aliases: ['cache'], auth: 'none' });
    const tree = await renderK8s(fixture);
    const file = `kubernetes/base/${app}.yaml`;
    const cm = find(tree, file, 'ConfigMap', `${app}-env`)!;
    expect(cm.data).toMatchObject({ DATABASE_HOST: 'postgres', DATABASE_PORT: '5432' });
    const pod = find(tree, file, 'Deployment', app)!.spec.template.spec;
    const mount = pod.containers[0].volumeMounts.find((m: Obj) => m.mountPath === '/run/secrets/postgres-password');
    expect(mount).toMatchObject({ subPath: 'postgres-password', readOnly: true });
    expect(pod.volumes.find((v: Obj) => v.name === mount.name).secret).toMatchObject({ secretName: 'postgres-secrets', items: [{ key: 'POSTGRES_PASSWORD', path: 'postgres-password' }] });
    expect(JSON.stringify(pod.containers[0].env ?? [])).not.toContain('PASSWORD)');
    expect(find(tree, 'kubernetes/base/redis.yaml', 'Service', 'cache')).toBeDefined();
    const redis = find(tree, 'kubernetes/base/redis.yaml', 'StatefulSet')!.spec.template.spec.containers[0];
    expect(JSON.stringify(redis)).not.toContain('requirepass');
    if (!hasKubectl()) return;
    const dir = writeKubernetes(tree);
    try {
      for (const o of objects(await kustomize(path.join(dir, 'kubernetes/overlays/dev')))) expect(await validateKubernetesObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('converts compose units to Kubernetes quantities', () => {
    expect(cpuQuantity('0.5')).toBe('500m');
    expect(cpuQuantity('1.0')).toBe('1');
    expect(cpuQuantity('2')).toBe('2');
    expect(cpuQuantity('0.25')).toBe('250m');
    expect(cpuQuantity('1.5')).toBe('1500m');
    expect(cpuQuantity('0.0001')).toBe('1m');
    expect(memoryQuantity('512M')).toBe('512Mi');
    expect(memoryQuantity('1g')).toBe('1Gi');
    expect(memoryQuantity('64k')).toBe('64Ki');
    expect(memoryQuantity('1048576')).toBe('1048576');
    expect(seconds('500ms')).toBe(1);
    expect(seconds('2m')).toBe(120);
  });
});

describe.skipIf(!hasKubectl() && process.env.CI !== 'true')('kubectl kustomize builds every overlay, and every object validates', () => {
  for (const g of [...GOLDEN, { fixture: 'node-express-pg-redis', k8s: { backing: 'external' } }]) {
    for (const overlay of ['dev', 'prod']) {
      it(`${g.fixture} ${JSON.stringify(g.k8s).slice(0, 40)}: ${overlay}`, async () => {
        const dir = writeKubernetes(await renderK8s(g.fixture, g.k8s as never));
        try {
          const built = await kustomize(path.join(dir, 'kubernetes/overlays', overlay));
          const objs = objects(built);
          expect(objs.length).toBeGreaterThan(5);
          for (const o of objs) {
            expect(o.metadata.namespace ?? 'cluster-scoped', `${o.kind}/${o.metadata.name}`).toMatch(overlay === 'prod' ? /^(python-django-postgres-celery|node-express-pg-redis)$/ : /-dev$/);
            expect(await validateKubernetesObject(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
          }
          // Generated Secrets carry data by design: every other rule holds on the built output.
          const findings = (await lintFiles([{ path: `built/${overlay}.yaml`, content: built }])).filter((f) => f.rule !== 'SG6015');
          expect(findings).toEqual([]);
          // The hash-suffixed generated Secret names reach the pods that use them.
          const secrets = objs.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name as string);
          if ((g.k8s as { backing?: string }).backing !== 'external') expect(secrets.every((n) => /-secrets-[a-z0-9]{10}$/.test(n))).toBe(true);
          expect(built).not.toMatch(/name: [a-z-]+-secrets\n/);
          if (overlay === 'prod') expect(built).toMatch(/image: registry\.example\.com\//);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  }

  it('a missing secrets/*.env stops the build with kustomize naming the file', async () => {
    const dir = writeKubernetes(await renderK8s('node-express-pg-redis'));
    try {
      fs.rmSync(path.join(dir, 'kubernetes/overlays/dev/secrets/postgres.env'));
      await expect(kustomize(path.join(dir, 'kubernetes/overlays/dev'))).rejects.toThrow(/postgres\.env/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
