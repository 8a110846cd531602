/**
 * How `verify --target kubernetes` judges each workload of a built overlay, without Docker: the
 * Celery worker (a Deployment with no port that no Service selects) is a worker, the web service and
 * the backing StatefulSets serve, a kubernetes.jobs entry is a Job; and the Job controller's backoff.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { jobBackoffMs, podRole } from '../../src/verify/kubernetes.js';
import { hasKubectl, kustomize, renderK8s, writeKubernetes } from './helpers.js';

describe.runIf(hasKubectl())('verify --target kubernetes: the role of each workload', () => {
  it('worker, serving or job, from what the built overlay says', async () => {
    const tree = await renderK8s('python-django-postgres-celery', { jobs: { migrate: { service: 'python-django-postgres-celery', command: 'python manage.py migrate', backoffLimit: 1 } } });
    const dir = writeKubernetes(tree);
    const objects = parseAllDocuments(await kustomize(`${dir}/kubernetes/overlays/dev`)).map((d) => d.toJS() as Record<string, any>);
    const services = objects.filter((o) => o.kind === 'Service');
    const roles = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}:${podRole(o, services)}`).sort();
    expect(roles).toEqual([
      'Deployment/python-django-postgres-celery-worker:worker',
      'Deployment/python-django-postgres-celery:serving',
      'Job/migrate:job',
      'StatefulSet/postgres:serving',
      'StatefulSet/redis:serving',
    ]);
    // A Deployment a Service selects serves even without a declared port; an empty selector selects nothing.
    const worker = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'python-django-postgres-celery-worker')!;
    const labels = worker.spec.template.metadata.labels as Record<string, string>;
    expect(podRole(worker, [{ kind: 'Service', spec: { selector: labels } }])).toBe('serving');
    expect(podRole(worker, [{ kind: 'Service', spec: { selector: {} } }])).toBe('worker');
  });
});

it("the Job controller's backoff: 10 s, doubling, at most six minutes", () => {
  expect([1, 2, 3, 4, 5, 6, 7].map(jobBackoffMs)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000]);
});
