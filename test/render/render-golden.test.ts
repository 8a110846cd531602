import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { render } from '../../src/render/render.js';
import { goldenPath, SAMPLE_FULL_FILES, structureText } from './golden-structure.js';
import { materialize, SAMPLES } from './render-samples.js';

const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

describe.each(SAMPLES)('rendered tree of $name', (sample) => {
  it('matches its golden files: the template-specific files in full, the rest as a structure summary', async () => {
    const { root, spec } = materialize(sample);
    const files = (await render(spec, { rootDir: root })).files();
    // The summary lists every file, so one that appears or disappears shows in the diff.
    await expect(structureText(files)).toMatchFileSnapshot(`golden/structure/samples/${sample.name}.json`);
    const full = files.filter((f) => SAMPLE_FULL_FILES.test(f.path));
    expect(full.length, 'each sample pins at least one template in full').toBeGreaterThan(0);
    for (const f of full) await expect(f.content).toMatchFileSnapshot(`golden/${sample.name}/${goldenPath(f.path)}`);
    // A golden nothing produces any more is obsolete: delete it (`-u` does not remove files).
    const dir = path.join(GOLDEN_DIR, sample.name);
    const present = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    expect(present.sort(), `obsolete goldens under ${dir}`).toEqual(full.map((f) => goldenPath(f.path)).sort());
  });

  it('renders valid YAML and JSON, and the same bytes twice', async () => {
    const { root, spec } = materialize(sample);
    const a = (await render(spec, { rootDir: root })).files();
    const b = (await render(spec, { rootDir: root })).files();
    expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
    for (const [i, f] of a.entries()) {
      if (f.path !== '.env') expect(b[i]!.content, f.path).toBe(f.content);
      if (/\.ya?ml$/.test(f.path)) {
        for (const doc of parseAllDocuments(f.content)) expect(doc.errors, f.path).toEqual([]);
      }
      if (f.path.endsWith('.json')) expect(() => JSON.parse(f.content), f.path).not.toThrow();
    }
  });
});

describe('rendered stacks are safe by construction', () => {
  it.each(SAMPLES)('$name: credentials only as ${VAR} from .env, every variable declared in .env.example', async (sample) => {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    const example = tree.read('.env.example')!;
    const declared = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const env = tree.read('.env')!;
    for (const name of declared) expect(env, name).toMatch(new RegExp(`^${name}=.+$`, 'm'));
    for (const [, name, value] of env.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm) as Iterable<[string, string, string]>) {
      if (/PASSWORD|SECRET|KEY/.test(name)) expect(value.length, name).toBeGreaterThanOrEqual(32);
    }
    for (const f of ['compose.yaml', 'compose.dev.yaml', 'compose.test.yaml']) {
      const text = tree.files().find((e) => e.path === f)?.content;
      if (text === undefined) continue;
      for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) expect(declared.has(m[1]!), `${f}: \${${m[1]}}`).toBe(true);
      const doc = parseYaml(text) as { services?: Record<string, { environment?: Record<string, string>; secrets?: string[] }>; secrets?: Record<string, { environment?: string; file?: string }> };
      for (const [svc, s] of Object.entries(doc.services ?? {})) {
        for (const [k, v] of Object.entries(s.environment ?? {})) {
          // A secret file the service mounts, whose value compose reads from a variable in .env.
          const file = /^\/run\/secrets\/(.+)$/.exec(String(v));
          if (/(PASSWORD|SECRET|_KEY)_{1,2}FILE$/.test(k)) {
            expect(file, `${f} ${svc}.${k}`).not.toBeNull();
            expect(s.secrets, `${f} ${svc}.secrets`).toContain(file![1]);
            expect(declared.has(doc.secrets?.[file![1]!]?.environment ?? ''), `${f} secrets.${file![1]}`).toBe(true);
          } else if (/PASSWORD|SECRET|_KEY$/.test(k)) expect(String(v), `${f} ${svc}.${k}`).toMatch(/^\$\{[A-Z_0-9]+\}$/);
        }
      }
    }
    // The generated secrets appear in .env only.
    const secrets = [...env.matchAll(/^[A-Z_0-9]*(?:PASSWORD|SECRET|KEY)[A-Z_0-9]*=(.+)$/gm)].map((m) => m[1]!);
    for (const file of tree.files()) if (file.path !== '.env') for (const s of secrets) expect(file.content.includes(s), file.path).toBe(false);
  });

  it.each(SAMPLES)('$name: every service drops all capabilities (adding back only narrow ones), has no-new-privileges and CPU, memory and process limits', async (sample) => {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    const doc = parseYaml(tree.read('compose.yaml')!) as {
      services: Record<string, { cap_drop?: string[]; cap_add?: string[]; security_opt?: string[]; deploy?: { resources?: { limits?: { cpus?: string; memory?: string; pids?: number } } } }>;
    };
    const narrow = new Set(['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'NET_BIND_SERVICE']);
    for (const [name, s] of Object.entries(doc.services)) {
      expect(s.cap_drop, name).toEqual(['ALL']);
      for (const c of s.cap_add ?? []) expect(narrow.has(c), `${name} cap_add ${c}`).toBe(true);
      expect(s.security_opt, name).toContain('no-new-privileges:true');
      const limits = s.deploy?.resources?.limits;
      expect(Number(limits?.cpus), `${name} cpus`).toBeGreaterThan(0);
      expect(limits?.memory, `${name} memory`).toMatch(/^\d+[KMG]$/);
      expect(limits?.pids, `${name} pids`).toBeGreaterThan(0);
    }
  });

  it.each(SAMPLES)('$name: compose dependencies exist and healthy-conditions have healthchecks; ports only on 127.0.0.1', async (sample) => {
    const { root, spec } = materialize(sample);
    const tree = await render(spec, { rootDir: root });
    const doc = parseYaml(tree.read('compose.yaml')!) as {
      services: Record<string, { depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; ports?: string[]; networks?: string[] }>;
      networks: Record<string, { internal?: boolean }>;
    };
    for (const [name, s] of Object.entries(doc.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(doc.services[dep], `${name} → ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(doc.services[dep]!.healthcheck, `${dep} healthcheck`).toBeDefined();
      }
      const acme = spec.proxy.tls === 'acme' && (name === 'traefik' || name === 'caddy');
      for (const p of s.ports ?? []) if (!acme) expect(p, name).toMatch(/^127\.0\.0\.1:/);
      // A service that publishes must sit on a network that is not internal.
      if ((s.ports ?? []).length > 0) expect((s.networks ?? []).some((n) => !doc.networks[n]?.internal), name).toBe(true);
    }
  });
});
