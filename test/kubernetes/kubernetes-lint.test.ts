/**
 * Each Kubernetes lint rule fires on a manifest that breaks it and names the line; the manifests
 * stackgen renders break none (kubernetes-render.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
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

describe('kubernetes lint rules', () => {
  it('the reference manifest has no finding', async () => {
    expect(await lint(GOOD)).toEqual([]);
  });

  // Each case breaks one thing and names the finding it expects (rule and message), so every branch
  // of every rule is shown to fire: a rule that fires for another reason does not pass a case.
  const cases: Array<{ rule: string; what: string; edit: (s: string) => string; message: RegExp; line?: number }> = [
    { rule: 'SG6000', what: 'YAML that does not parse', edit: (s) => s.replace('  name: web\nspec:', '  name: [web\nspec:'), message: /^invalid YAML/ },
    { rule: 'SG6000', what: 'a document that is not a mapping', edit: (s) => `${s}---\n- just\n- a list\n`, message: /must be a mapping with apiVersion and kind/ },
    { rule: 'SG6001', what: 'a value of the wrong type', edit: (s) => s.replace('containerPort: 8080', 'containerPort: eighty'), message: /does not match the Kubernetes API schema/, line: 21 },
    { rule: 'SG6002', what: 'an unknown (misspelt) field', edit: (s) => s.replace('          readinessProbe:', '          readinesProbe:'), message: /readinesProbe/, line: 22 },
    { rule: 'SG6003', what: 'a kind without a schema', edit: (s) => s.replace('apiVersion: v1\nkind: Service', 'apiVersion: example.com/v1\nkind: Widget'), message: /not checked against an API schema/ },
    { rule: 'SG6010', what: 'a selector that does not select the pod template', edit: (s) => s.replace('matchLabels: {app: web}', 'matchLabels: {app: api}'), message: /does not match its pod template's labels/, line: 7 },
    { rule: 'SG6010', what: 'a selector without matchLabels', edit: (s) => s.replace('    matchLabels: {app: web}', '    matchExpressions: [{key: app, operator: Exists}]'), message: /has no selector\.matchLabels/ },
    { rule: 'SG6011', what: 'a Service selecting no pod', edit: (s) => s.replace('  selector: {app: web}\n  ports', '  selector: {app: nothing}\n  ports'), message: /matches no pod template/ },
    { rule: 'SG6012', what: 'a Service targeting an undeclared named port', edit: (s) => s.replace('targetPort: http}', 'targetPort: metrics}'), message: /targetPort `metrics` is not a port/ },
    { rule: 'SG6012', what: 'a Service targeting an undeclared port number', edit: (s) => s.replace('targetPort: http}', 'targetPort: 9090}'), message: /targetPort 9090 is not a port/ },
    { rule: 'SG6013', what: 'a probe on an undeclared named port', edit: (s) => s.replace('port: http}', 'port: web}'), message: /readinessProbe uses port `web`/, line: 23 },
    { rule: 'SG6013', what: 'a probe on an undeclared port number', edit: (s) => s.replace('port: http}', 'port: 9000}'), message: /readinessProbe uses port 9000, which the container does not declare/, line: 23 },
    { rule: 'SG6014', what: 'a latest tag', edit: (s) => s.replace('web:1.2.3', 'web:latest'), message: /uses latest|has no tag/, line: 19 },
    { rule: 'SG6014', what: 'no tag at all', edit: (s) => s.replace('registry.example.com/web:1.2.3', 'registry.example.com:5000/web'), message: /has no tag/ },
    { rule: 'SG6015', what: 'a Secret with data', edit: (s) => `${s}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: aHVudGVyMg==}\n`, message: /a Secret with values in a file/, line: 41 },
    { rule: 'SG6015', what: 'a Secret with stringData', edit: (s) => `${s}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n`, message: /a Secret with values in a file/, line: 41 },
    { rule: 'SG6016', what: 'privilege escalation allowed', edit: (s) => s.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'), message: /does not set allowPrivilegeEscalation: false/ },
    { rule: 'SG6016', what: 'a privileged container', edit: (s) => s.replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: false\n            privileged: true'), message: /container web is privileged/ },
    { rule: 'SG6016', what: 'capabilities not dropped', edit: (s) => s.replace('capabilities: {drop: [ALL]}', 'capabilities: {drop: [NET_RAW]}'), message: /does not drop ALL capabilities/ },
    { rule: 'SG6016', what: 'a capability added back', edit: (s) => s.replace('capabilities: {drop: [ALL]}', 'capabilities: {drop: [ALL], add: [NET_BIND_SERVICE, SYS_ADMIN]}'), message: /adds SYS_ADMIN \(only NET_BIND_SERVICE is allowed\)/ },
    { rule: 'SG6016', what: 'no runAsNonRoot', edit: (s) => s.replace('        runAsNonRoot: true\n', ''), message: /does not set runAsNonRoot: true/ },
    { rule: 'SG6016', what: 'the pod running as root', edit: (s) => s.replace('runAsUser: 10001', 'runAsUser: 0'), message: /runAsUser 0 \(root\) is not allowed/, line: 15 },
    { rule: 'SG6016', what: 'a container running as root', edit: (s) => s.replace('            allowPrivilegeEscalation: false', '            runAsUser: 0\n            allowPrivilegeEscalation: false'), message: /container web runs as root/ },
    { rule: 'SG6016', what: 'no seccomp profile', edit: (s) => s.replace('        seccompProfile: {type: RuntimeDefault}\n', ''), message: /has no seccompProfile RuntimeDefault or Localhost/ },
    { rule: 'SG6016', what: 'hostNetwork', edit: (s) => s.replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostNetwork: true\n'), message: /hostNetwork is not allowed/ },
    { rule: 'SG6016', what: 'hostPID', edit: (s) => s.replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostPID: true\n'), message: /hostPID is not allowed/ },
    { rule: 'SG6016', what: 'hostIPC', edit: (s) => s.replace('      automountServiceAccountToken: false\n', '      automountServiceAccountToken: false\n      hostIPC: true\n'), message: /hostIPC is not allowed/ },
    { rule: 'SG6016', what: 'a hostPath volume', edit: (s) => s.replace('      containers:\n', '      volumes:\n        - {name: host, hostPath: {path: /var/run}}\n      containers:\n'), message: /hostPath volumes are not allowed/ },
    { rule: 'SG6017', what: 'a writable root filesystem', edit: (s) => s.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'), message: /can write to its root filesystem/ },
    { rule: 'SG6018', what: 'a mounted service account token', edit: (s) => s.replace('      automountServiceAccountToken: false\n', ''), message: /mounts a service account token/ },
  ];
  for (const c of cases) {
    it(`${c.rule}: ${c.what}`, async () => {
      const findings = await lint(c.edit(GOOD));
      const hit = findings.find((f) => f.rule === c.rule && c.message.test(f.message));
      expect(hit, `${c.rule} /${c.message.source}/ among ${JSON.stringify(findings.map((f) => [f.rule, f.message]))}`).toBeDefined();
      if (c.line !== undefined) expect(hit!.line).toBe(c.line);
      for (const f of findings) expect(f.fix ?? f.message).toBeTruthy();
    });
  }

  it('every semantic rule the linter has is triggered by a case above', async () => {
    const source = fs.readFileSync(path.resolve('src/lint/kubernetes/index.ts'), 'utf8');
    const defined = [...new Set(source.match(/'SG60\d\d'/g)!.map((r) => r.slice(1, -1)))].sort();
    const covered = new Set([...cases.map((c) => c.rule), 'SG6020']);
    expect(defined.filter((r) => !covered.has(r))).toEqual([]);
    expect(defined.length).toBeGreaterThanOrEqual(14);
  });

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
