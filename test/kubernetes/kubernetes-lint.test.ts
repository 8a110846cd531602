/**
 * Each Kubernetes lint rule fires on a manifest that breaks it and names the line; the manifests
 * stackgen renders break none (kubernetes-render.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../src/lint/index.js';
import { validateKubernetesObject } from '../../src/lint/kubernetes/schema.js';

/** A Deployment that passes every rule; each case below breaks one thing in it. */
const GOOD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          ports:
            - {name: http, containerPort: 8080}
          readinessProbe:
            httpGet: {path: /health, port: http}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
`;

async function lint(content: string, path = 'k8s/web.yaml', more: Array<{ path: string; content: string }> = []) {
  return lintFiles([{ path, content }, ...more]);
}

function rules(findings: Awaited<ReturnType<typeof lint>>): string[] {
  return findings.map((f) => f.rule);
}

describe('kubernetes lint rules', () => {
  it('the reference manifest has no finding', async () => {
    expect(await lint(GOOD)).toEqual([]);
  });

  const cases: Array<{ rule: string; what: string; edit: (s: string) => string; line?: number }> = [
    { rule: 'SG6000', what: 'YAML that does not parse', edit: (s) => s.replace('  name: web\nspec:', '  name: [web\nspec:') },
    { rule: 'SG6001', what: 'a value of the wrong type', edit: (s) => s.replace('containerPort: 8080', 'containerPort: eighty'), line: 21 },
    { rule: 'SG6002', what: 'an unknown (misspelt) field', edit: (s) => s.replace('          readinessProbe:', '          readinesProbe:'), line: 22 },
    { rule: 'SG6003', what: 'a kind without a schema', edit: (s) => s.replace('apiVersion: v1\nkind: Service', 'apiVersion: example.com/v1\nkind: Widget') },
    { rule: 'SG6010', what: 'a selector that does not select the pod template', edit: (s) => s.replace('matchLabels: {app: web}', 'matchLabels: {app: api}'), line: 7 },
    { rule: 'SG6011', what: 'a Service selecting no pod', edit: (s) => s.replace('  selector: {app: web}\n  ports', '  selector: {app: nothing}\n  ports') },
    { rule: 'SG6012', what: 'a Service targeting an undeclared port', edit: (s) => s.replace('targetPort: http}', 'targetPort: metrics}') },
    { rule: 'SG6013', what: 'a probe on an undeclared port', edit: (s) => s.replace('port: http}', 'port: web}'), line: 23 },
    { rule: 'SG6014', what: 'a latest tag', edit: (s) => s.replace('web:1.2.3', 'web:latest'), line: 19 },
    { rule: 'SG6014', what: 'no tag at all', edit: (s) => s.replace('registry.example.com/web:1.2.3', 'registry.example.com:5000/web') },
    { rule: 'SG6015', what: 'a Secret with data', edit: (s) => `${s}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: aHVudGVyMg==}\n` },
    { rule: 'SG6016', what: 'privilege escalation allowed', edit: (s) => s.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true') },
    { rule: 'SG6016', what: 'capabilities not dropped', edit: (s) => s.replace('capabilities: {drop: [ALL]}', 'capabilities: {drop: [NET_RAW]}') },
    { rule: 'SG6016', what: 'no runAsNonRoot', edit: (s) => s.replace('        runAsNonRoot: true\n', '') },
    { rule: 'SG6016', what: 'no seccomp profile', edit: (s) => s.replace('        seccompProfile: {type: RuntimeDefault}\n', '') },
    { rule: 'SG6016', what: 'hostNetwork', edit: (s) => s.replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n') },
    { rule: 'SG6017', what: 'a writable root filesystem', edit: (s) => s.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false') },
    { rule: 'SG6018', what: 'a mounted service account token', edit: (s) => s.replace('      automountServiceAccountToken: false\n', '') },
  ];
  for (const c of cases) {
    it(`${c.rule}: ${c.what}`, async () => {
      const findings = await lint(c.edit(GOOD));
      expect(rules(findings)).toContain(c.rule);
      if (c.line !== undefined) expect(findings.find((f) => f.rule === c.rule)!.line).toBe(c.line);
      for (const f of findings) expect(f.fix ?? f.message).toBeTruthy();
    });
  }

  it('SG6020: a kustomization resource that does not exist', async () => {
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - web.yaml\n  - missing.yaml\n';
    const findings = await lint(kustomization, 'k8s/kustomization.yaml', [{ path: 'k8s/web.yaml', content: GOOD }]);
    expect(findings.filter((f) => f.file === 'k8s/kustomization.yaml').map((f) => [f.rule, f.line])).toEqual([['SG6020', 5]]);
  });

  it('a Service is matched against workloads in the other files of its folder', async () => {
    const [deployment, service] = GOOD.split('---\n');
    expect(await lint(service!, 'k8s/svc.yaml', [{ path: 'k8s/deploy.yaml', content: deployment! }])).toEqual([]);
  });
});

describe('strict schema validation', () => {
  it('refuses a field the API does not have, at any depth, and accepts free-form maps', async () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'any/label': 'v' }, annotaions: { a: 'b' } },
      data: { ANY_KEY: 'v' },
      extra: true,
    };
    const issues = await validateKubernetesObject(obj);
    expect(issues.map((i) => [i.kind, i.path.join('.')])).toEqual([
      ['unknown-field', 'extra'],
      ['unknown-field', 'metadata.annotaions'],
    ]);
  });

  it('reports schema errors with their path', async () => {
    const issues = await validateKubernetesObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } });
    expect(issues).toContainEqual(expect.objectContaining({ kind: 'schema', path: ['spec', 'replicas'] }));
  });
});
