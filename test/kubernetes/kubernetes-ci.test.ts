/**
 * The rendered GitHub workflow gains a job that builds and validates every Kubernetes overlay, and an
 * optional kind deployment started by hand; a spec without Kubernetes output gets neither. The
 * workflow still passes actionlint (lintTree runs it).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintTree } from '../../src/lint/index.js';
import { k8sSpec, renderK8s } from './helpers.js';
import { render } from '../../src/render/render.js';

describe('CI for the Kubernetes target', () => {
  it('builds every overlay, lints the built objects, and deploys to kind only when started by hand', async () => {
    const tree = await renderK8s('python-django-postgres-celery');
    const wf = parse(tree.read('.github/workflows/docker.yml')!) as { jobs: Record<string, { needs?: string; if?: string; steps: Array<{ run?: string; env?: Record<string, string> }>; env?: Record<string, string> }> };
    const k = wf.jobs.kubernetes!;
    expect(k.needs).toBe('lint');
    const script = k.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('kubectl kustomize "$overlay"');
    expect(script).toContain('lint --config');
    const kind = wf.jobs['kind-deploy']!;
    expect(kind.if).toBe("${{ github.event_name == 'workflow_dispatch' }}");
    expect(kind.env!.NAMESPACE).toBe('python-django-postgres-celery-dev');
    // One build for the web service and its Celery worker, tagged as the dev overlay names both images.
    const builds = kind.steps.filter((s) => s.env?.TAGS);
    expect(builds.map((s) => s.env!.TAGS)).toEqual(['python-django-postgres-celery-python-django-postgres-celery:local\npython-django-postgres-celery-python-django-postgres-celery-worker:local']);
    const findings = (await lintTree(tree)).findings.filter((f) => f.file.startsWith('.github/'));
    expect(findings).toEqual([]);
  });

  it('no kubernetes block, no Kubernetes jobs', async () => {
    const { spec, dir } = await k8sSpec('python-django-postgres-celery');
    delete spec.kubernetes;
    const wf = parse((await render(spec, { rootDir: dir })).read('.github/workflows/docker.yml')!) as { jobs: Record<string, unknown> };
    expect(Object.keys(wf.jobs)).not.toContain('kubernetes');
    expect(Object.keys(wf.jobs)).not.toContain('kind-deploy');
  });
});
