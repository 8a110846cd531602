/**
 * The rendered GitHub workflow and GitLab pipeline gain a job that builds and validates every
 * Kubernetes overlay, and an optional kind deployment started by hand; a spec without Kubernetes
 * output gets neither. The workflow still passes actionlint (lintTree runs it); the GitLab scripts
 * parse with sh -n and pass shellcheck (as sh) when it is on PATH.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintTree } from '../../src/lint/index.js';
import { k8sSpec, renderK8s } from './helpers.js';
import { render } from '../../src/render/render.js';
import { KUBE_TOOLS } from '../../src/render/contexts/ci.js';
import { tempRepo } from '../helpers/temp-repo.js';

interface GlJob {
  stage?: string;
  image?: string;
  extends?: string | string[];
  needs?: string[];
  rules?: Array<{ if?: string; when?: string; allow_failure?: boolean }>;
  variables?: Record<string, string>;
  before_script?: unknown[];
  script?: unknown[];
  after_script?: unknown[];
}

/** A job's shell, as GitLab runs it: before_script then script in one shell (nested anchor lists flattened). */
const shellOf = (job: GlJob) => [...(job.before_script ?? []), ...(job.script ?? [])].flat(10) as string[];

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

describe('GitLab CI for the Kubernetes target', () => {
  const gitlab = (spec: { ci: { provider: string } }) => {
    spec.ci.provider = 'gitlab';
  };

  it('builds and lints every overlay in the lint stage, and deploys to kind only on a pipeline started by hand or as a manual job', async () => {
    const tree = await renderK8s('python-django-postgres-celery', {}, gitlab);
    expect(tree.read('.github/workflows/docker.yml')).toBeUndefined();
    const gl = parse(tree.read('.gitlab-ci.yml')!) as Record<string, GlJob>;

    // kubectl: the pinned release, checked against its published SHA-256.
    expect(gl['.kubectl']!.variables).toEqual({ KUBECTL_VERSION: KUBE_TOOLS.kubectl });
    const install = shellOf(gl['.kubectl']!).join('\n');
    expect(install).toContain('"https://dl.k8s.io/release/$KUBECTL_VERSION/bin/linux/$arch/kubectl"');
    expect(install).toContain('| sha256sum -c -');

    const k = gl.kubernetes!;
    expect(k.stage).toBe('lint');
    expect(k.extends).toBe('.kubectl');
    expect(k.image).toMatch(/^docker:28\.5\.1-cli/);
    const script = shellOf(k).join('\n');
    expect(script).toContain('for overlay in kubernetes/overlays/*/; do');
    expect(script).toContain('kubectl kustomize "$overlay" > "$out/kubernetes-$(basename "$overlay").yaml"');
    expect(script).toContain('npx --yes "$STACKGEN" lint --config "$out/kubernetes-lint.yaml" "$out"/kubernetes-*.yaml');

    const kind = gl['kind-deploy']!;
    expect(kind.stage).toBe('verify');
    expect(kind.extends).toEqual(['.docker', '.kubectl']);
    expect(kind.needs).toEqual(['kubernetes']);
    expect(kind.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "web"' }, { when: 'manual', allow_failure: true }]);
    // Spec values only as variables; one build for the web service and its Celery worker, tagged as the dev overlay names both images.
    expect(kind.variables).toEqual({
      KIND_VERSION: KUBE_TOOLS.kind,
      NAMESPACE: 'python-django-postgres-celery-dev',
      KUBECONFIG: '$CI_PROJECT_DIR/.kube/config',
      CONTEXT_1: '.',
      BUILD_FLAGS_1: "--file Dockerfile --target runtime --tag python-django-postgres-celery-python-django-postgres-celery:local --tag python-django-postgres-celery-python-django-postgres-celery-worker:local",
      IMAGES_1: 'python-django-postgres-celery-python-django-postgres-celery:local python-django-postgres-celery-python-django-postgres-celery-worker:local',
    });
    const deploy = shellOf(kind).join('\n');
    expect(deploy).toContain('kind create cluster --name stackgen --config kind.yaml --wait 180s');
    expect(deploy).toContain('certSANs: [docker]');
    expect(deploy).toContain('eval "set -- $BUILD_FLAGS_1"');
    expect(deploy).toContain('DOCKER_BUILDKIT=1 docker build "$@" "$CONTEXT_1"');
    expect(deploy).toContain('eval "set -- $IMAGES_1" && kind load docker-image --name stackgen "$@"');
    expect(deploy).toContain('kubectl apply -k kubernetes/overlays/dev');
    expect(deploy).toContain('kubectl -n "$NAMESPACE" wait --for=condition=Available deployment --all --timeout=300s');
    expect((kind.after_script ?? []).join('\n')).toContain('"$CI_JOB_STATUS" = failed');
    // Publishing does not wait for the optional deployment.
    for (const [name, job] of Object.entries(gl)) if (name.startsWith('publish:')) expect(job.needs).not.toContain('kind-deploy');

    const findings = (await lintTree(tree)).findings.filter((f) => f.file === '.gitlab-ci.yml');
    expect(findings).toEqual([]);
  });

  it('every script of the Kubernetes jobs parses with sh -n, and passes shellcheck as sh when it is on PATH', async () => {
    const gl = parse((await renderK8s('python-django-postgres-celery', {}, gitlab)).read('.gitlab-ci.yml')!) as Record<string, GlJob>;
    const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
    for (const name of ['kubernetes', 'kind-deploy']) {
      const sh = shellOf(gl[name]!).join('\n');
      const r = spawnSync('sh', ['-n'], { input: sh, encoding: 'utf8' });
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      if (shellcheck) {
        // GitLab sets the job's variables in the environment: SC2154 (unassigned) does not apply; the
        // shared wait-for-docker loop (.docker) counts with a variable it never reads: SC2034.
        const c = spawnSync('shellcheck', ['-s', 'sh', '-e', 'SC2154,SC2034', '-'], { input: sh, encoding: 'utf8' });
        expect(c.stdout, `${name}:\n${sh}`).toBe('');
      }
    }
  });

  it('the generated secrets step fills only empty KEY= lines, with random values', async () => {
    const gl = parse((await renderK8s('python-django-postgres-celery', {}, gitlab)).read('.gitlab-ci.yml')!) as Record<string, GlJob>;
    const step = shellOf(gl['kind-deploy']!).find((l) => l.includes('secrets/*.env.example'))!;
    const dir = tempRepo({ 'kubernetes/overlays/dev/secrets/postgres.env.example': '# postgres (in-cluster): the password =\nPOSTGRES_PASSWORD=\nPOSTGRES_USER=app\n' }, 'sg-gl-secrets-');
    const r = spawnSync('sh', ['-c', step], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = fs.readFileSync(path.join(dir, 'kubernetes/overlays/dev/secrets/postgres.env'), 'utf8').split('\n');
    expect(out[0]).toBe('# postgres (in-cluster): the password =');
    expect(out[1]).toMatch(/^POSTGRES_PASSWORD=[0-9a-f]{36}$/);
    expect(out[2]).toBe('POSTGRES_USER=app');
  });

  it('no kubernetes block, no Kubernetes jobs', async () => {
    const { spec, dir } = await k8sSpec('python-django-postgres-celery');
    delete spec.kubernetes;
    spec.ci.provider = 'gitlab';
    const gl = parse((await render(spec, { rootDir: dir })).read('.gitlab-ci.yml')!) as Record<string, unknown>;
    for (const job of ['kubernetes', 'kind-deploy', '.kubectl']) expect(Object.keys(gl)).not.toContain(job);
  });
});
