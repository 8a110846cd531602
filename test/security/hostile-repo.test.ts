/**
 * A repository nobody here wrote: text that detect reads (a Vite `outDir`, a start script, an Astro
 * output folder) carries line breaks, backslashes and path escapes. `init --yes` must still write a
 * valid spec, the values that cannot be data are dropped with a warning naming their file and line,
 * and nothing from the repository becomes a Dockerfile instruction.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { render } from '../../src/render/render.js';
import { validateSpec } from '../../src/spec/load.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import { tempRepo } from '../helpers/temp-repo.js';

let root: string;
function write(files: Record<string, string>): void {
  root = tempRepo(files, 'stackgen-hostile-');
}

async function initYes() {
  const topology = await detect(root);
  const validation = validateSpec(specFromTopology(topology, { name: 'hostile' }), { baseDir: root });
  return { topology, validation };
}

describe('hostile repository text that detect reads', () => {
  it('a Vite outDir with a line break is dropped with a warning naming vite.config.ts; the site is left out (saying what to set) and the spec of the rest validates', async () => {
    write({
      'web/package.json': JSON.stringify({ name: 'spa', scripts: { build: 'vite build' }, devDependencies: { vite: '^6.0.0' } }),
      'web/package-lock.json': '{"lockfileVersion":3}',
      'web/index.html': '<!doctype html>',
      'web/vite.config.ts': "export default { build: { outDir: 'dist\\nUSER root\\nRUN touch /pwned' } };\n",
      'api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } }),
      'api/package-lock.json': '{"lockfileVersion":3}',
      'api/server.js': "const express = require('express');\nexpress().listen(3000);\n",
    });
    const { topology, validation } = await initYes();
    // The build writes where the config says, so guessing `dist` would ship an empty image, and a
    // static build without staticDir is a spec init would refuse: the site is not a service.
    expect(topology.services.map((s) => s.name)).toEqual(['api']);
    const warning = topology.warnings.find((w) => w.message.includes('output folder'));
    expect(warning?.file).toBe('web/vite.config.ts');
    expect(warning?.message).toContain('USER root');
    expect(topology.warnings.find((w) => w.file === 'web')?.message).toMatch(/^spa: left out: .*staticDir/);
    expect(validation.errors).toEqual([]);
  });

  it('a start script that ends in a backslash or carries a line break is dropped; the rest of the service stays', async () => {
    write({
      'package.json': JSON.stringify({ name: 'api', main: 'server.js', scripts: { start: 'node server.js\nUSER root', build: 'tsc \\' }, dependencies: { express: '^4.21.0' } }),
      'package-lock.json': '{"lockfileVersion":3}',
      'server.js': "const express = require('express');\nexpress().listen(3000);\n",
    });
    const { topology, validation } = await initYes();
    const api = topology.services[0]!;
    expect(api.commands.start).toBeNull();
    // npm runs the build script itself: the script's text never reaches the Dockerfile.
    expect(api.commands.build).toBe('npm run build');
    expect(api.port).toBe(3000);
    const messages = topology.warnings.filter((w) => w.file === 'package.json').map((w) => w.message);
    expect(messages.some((m) => m.includes('start command') && m.includes('USER root'))).toBe(true);
    expect(validation.errors).toEqual([]);
    const dockerfile = (await render(validation.spec!, { rootDir: root })).read('Dockerfile')!;
    const instructions = DockerfileParser.parse(dockerfile).getInstructions();
    expect(instructions.filter((i) => i.getKeyword() === 'USER').map((i) => i.getArgumentsContent())).not.toContain('root');
    // The script is npm's to run, not inlined into CMD.
    expect(instructions.filter((i) => i.getKeyword() === 'CMD').at(-1)!.getArgumentsContent()).toBe('["npm","start"]');
  });

  it('an output folder that climbs out of the service is dropped', async () => {
    write({
      'package.json': JSON.stringify({ name: 'site', scripts: { build: 'astro build' }, dependencies: { astro: '^5.0.0' } }),
      'package-lock.json': '{"lockfileVersion":3}',
      'astro.config.mjs': "export default { outDir: '../../../etc' };\n",
    });
    const { topology, validation } = await initYes();
    expect(topology.services).toEqual([]);
    expect(topology.warnings.some((w) => w.file === 'astro.config.mjs' && w.line === 1 && w.message.includes('"../../../etc"') && w.message.includes('outside the repository'))).toBe(true);
    // Nothing to run: init stops before writing ("nothing to containerise"), never with a refused spec.
    expect(validation.errors.map((e) => e.message)).toEqual(['needs at least one service']);
  });
});
