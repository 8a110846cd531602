/**
 * Every variable a Dockerfile template reads is a key its typed context builds, and every
 * template-specific value (`x`) a context builds is read: found by parsing the templates (all
 * branches, the layouts they extend and the partials they include), not by whichever golden
 * happens to render a branch. The contexts are built for every sample and fixture service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { mergeImageMaps } from '../../src/images/image-map.js';
import { IGNORE_FAMILY } from '../../src/render/artifacts/dockerfile.js';
import { BUILTIN_TEMPLATES_DIR } from '../../src/render/engine.js';
import { render } from '../../src/render/render.js';
import { dockerfileContext, type DockerfileContext } from '../../src/render/contexts/dockerfile.js';
import { serviceModels, type TemplateName } from '../../src/render/contexts/service.js';
import type { Spec, SpecInput } from '../../src/spec/types.generated.js';
import { withSpecDefaults as specFromValue } from '../../src/spec/load.js';
import { fixtureSpec } from '../helpers/fixture-spec.js';
import { renderableFixtures } from '../helpers/fixtures.js';
import { TemplateReader, missingKeys, type Reference } from '../helpers/template-references.js';
import { tempRepo } from '../helpers/temp-repo.js';
import { SAMPLES, materialize } from './render-samples.js';

const TEMPLATES = fs
  .readdirSync(path.join(BUILTIN_TEMPLATES_DIR, 'dockerfile'))
  .filter((d) => !d.startsWith('_'))
  .sort() as TemplateName[];
const reader = new TemplateReader(BUILTIN_TEMPLATES_DIR);

/** Every template a Dockerfile context renders: the Dockerfile, its .dockerignore and the files beside it. */
function referencesOf(template: TemplateName): Reference[] {
  const files = [`dockerfile/${template}/Dockerfile.njk`, `dockerignore/${IGNORE_FAMILY[template]}.njk`];
  if (template === 'static') files.push('dockerfile/static/nginx.conf.njk');
  if (template === 'go' || template === 'rust') files.push('dockerfile/_partials/healthcheck.go.njk');
  return files.flatMap((f) => reader.references(f));
}

/** The .dockerignore render adds the Dockerfile's path to the context. */
const withIgnoreKeys = (ctx: DockerfileContext) => ({ ...ctx, dockerfile: 'Dockerfile' });

const contexts = new Map<TemplateName, DockerfileContext[]>();

function addContexts(spec: Spec, root: string): void {
  for (const m of serviceModels(spec, root)) {
    if (m.template === null) continue;
    contexts.set(m.template, [...(contexts.get(m.template) ?? []), dockerfileContext(spec, m, root, mergeImageMaps())]);
  }
}

beforeAll(async () => {
  for (const sample of SAMPLES) {
    const { root, spec } = materialize(sample);
    addContexts(spec, root);
  }
  for (const fx of renderableFixtures()) {
    const spec = fixtureSpec(await detect(fx.dir), fx.name.replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, 'x').slice(0, 63));
    addContexts(spec, fx.dir);
  }
}, 300_000);

describe('Dockerfile template contexts', () => {
  it('every template has a context built from a sample or fixture', () => {
    expect(TEMPLATES.length).toBeGreaterThan(10);
    expect(TEMPLATES.filter((t) => !contexts.has(t))).toEqual([]);
  });

  it.each(TEMPLATES)('%s: every variable the templates read is in its context', (template) => {
    const refs = referencesOf(template);
    expect(refs.length).toBeGreaterThan(10);
    // A context type may be a union (static: with or without a build stage): a read is missing when
    // no variant has it.
    const perContext = (contexts.get(template) ?? []).map((c) => new Set(missingKeys(refs, withIgnoreKeys(c))));
    const missing = [...(perContext[0] ?? [])].filter((k) => perContext.every((s) => s.has(k)));
    expect(missing, `templates of ${template} read keys its context does not build`).toEqual([]);
  });

  it.each(TEMPLATES)('%s: every value of `x` is read by a template', (template) => {
    const read = new Set(referencesOf(template).filter((r) => r[0] === 'x' && r.length > 1).map((r) => r[1]));
    const built = new Set((contexts.get(template) ?? []).flatMap((c) => Object.keys(c.x)));
    expect([...built].filter((k) => !read.has(k)), `${template}: x keys no template reads (drop them from its context module)`).toEqual([]);
  });
});

describe('the template reader', () => {
  it('follows extends and includes, lets a child block replace the layout one, and skips names the template binds', () => {
    const dir = tempRepo({
      'layout.njk': '{% block a %}{{ layoutOnly }}{% endblock %}{% block b %}{{ kept.value }}{% endblock %}{% include "part.njk" %}',
      'part.njk': '{% for f in files %}{{ f.name }} {{ loop.index }}{% endfor %}{{ caExport("X") | trim }}',
      'child.njk': '{% extends "layout.njk" %}{% block a %}{% set local = 1 %}{{ local }}{{ x.install.cache if x.pm else "" }}{% endblock %}',
    }, 'stackgen-refs-');
    const refs = new TemplateReader(dir).references('child.njk').map((r) => r.join('.'));
    expect([...new Set(refs)].sort()).toEqual(['caExport', 'files', 'kept.value', 'x.install.cache', 'x.pm']);
  });

  it('reports a read the context does not build, down to the first missing key', () => {
    const dir = tempRepo({ 'missing.njk': '{{ service.name }} {{ x.pm }} {{ x.install.cache }} {{ x.list.length }} {{ x.absent.deeper }}' }, 'stackgen-refs-');
    const refs = new TemplateReader(dir).references('missing.njk');
    expect(missingKeys(refs, { service: { name: 'api' }, x: { pm: 'npm', install: {}, list: [] } })).toEqual(['x.absent', 'x.install.cache']);
  });

  it('catches a key dropped from a real context: node without x.pnpmVersion', () => {
    const node = contexts.get('node')!.find((c): c is Extract<DockerfileContext, { template: 'node' }> => c.template === 'node')!;
    const { pnpmVersion: _dropped, ...x } = node.x;
    expect(missingKeys(referencesOf('node'), withIgnoreKeys({ ...node, x } as unknown as DockerfileContext))).toEqual(['x.pnpmVersion']);
  });
});

describe('the Dockerfile layout', () => {
  it('is one template a user folder can shadow: an edited layout reaches every built-in template that extends it', async () => {
    const builtin = fs.readFileSync(path.join(BUILTIN_TEMPLATES_DIR, 'dockerfile/_layouts/app.njk'), 'utf8');
    const root = tempRepo({
      'app.py': '',
      'templates/dockerfile/_layouts/app.njk': builtin.replace('{% block cmd %}', '# site policy: runtime reviewed\n{% block cmd %}'),
      'go/main.go': 'package main\n\nfunc main() {}\n',
      'go/go.mod': 'module example.com/api\n\ngo 1.22\n',
    }, 'stackgen-layout-');
    const spec = specFromValue({
      version: 1,
      name: 'layout',
      services: { py: { path: '.', language: 'python', port: 8000 }, go: { path: 'go', language: 'go', port: 8080 } },
      observability: { prometheus: false, grafana: false },
    } satisfies SpecInput);
    const tree = await render(spec, { rootDir: root, templateDirs: [path.join(root, 'templates')] });
    for (const file of ['Dockerfile', 'go/Dockerfile']) {
      const lines = tree.read(file)!.split('\n');
      // The line lands right before the start command, in the runtime stage.
      expect(lines[lines.findIndex((l) => l === '# site policy: runtime reviewed') + 1], file).toMatch(/^(CMD|ENTRYPOINT) \[/);
    }
  });
});
