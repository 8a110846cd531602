/**
 * compose.yaml (production-like), compose.dev.yaml (hot reload), compose.test.yaml (tmpfs data and
 * a test runner), and the proxy's route file when a proxy is configured.
 */
import type { Artifact, OutputFile } from '../artifact.js';
import { composeContext } from '../contexts/compose.js';

export const composeArtifact: Artifact = {
  name: 'compose',
  files(input, engine) {
    const ctx = composeContext(input.spec, input.rootDir, input.imageMap);
    const out: OutputFile[] = [{ path: 'compose.yaml', content: engine.render('compose/compose.yaml.njk', ctx) }];
    // Override files with nothing to override are not rendered (compose v1 even rejects an empty one).
    if (ctx.services.some((s) => s.hasDevTarget)) out.push({ path: 'compose.dev.yaml', content: engine.render('compose/compose.dev.yaml.njk', ctx) });
    if (ctx.testRunners.length > 0 || ctx.backing.some((b) => b.dataDir !== null)) {
      out.push({ path: 'compose.test.yaml', content: engine.render('compose/compose.test.yaml.njk', ctx) });
    }
    if (ctx.proxy?.kind === 'caddy') out.push({ path: 'proxy/Caddyfile', content: engine.render('compose/proxy/Caddyfile.njk', ctx) });
    if (ctx.proxy?.kind === 'traefik') out.push({ path: 'proxy/traefik/dynamic.yml', content: engine.render('compose/proxy/traefik-dynamic.yml.njk', ctx) });
    return out;
  },
};
