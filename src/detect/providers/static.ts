/**
 * Plain static sites: a folder with an `index.html` (or a Cloud Foundry `Staticfile`) that no
 * ecosystem claims. `public/index.html` makes the parent the site with staticDir "public". An
 * index.html under a folder that holds (or sits below) another ecosystem's manifest is that app's
 * template or asset, not a site; a `docs/` site counts only when the repository has nothing else.
 * The port is left to the renderer, which picks the web server.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact, type Provider } from '../provider.js';
import { upTo } from '../readers.js';
import { anyEcosystemManifest, ecosystemManifestAbove, lineOf, namesIn } from './others-util.js';

/** Folders whose index.html is build output, generated reports or server-side templates. */
const NOT_A_SITE = new Set([
  'templates', 'views', 'layouts', 'partials', 'static', 'assets', 'resources', 'htmlcov', '_site',
  'storybook-static', 'node_modules', 'bower_components', 'jspm_packages', 'lib', 'src', 'test-results', 'playwright-report', 'report', 'reports',
]);

const SERVES = /^(start|run|serve|server|entrypoint)\.sh$|^Dockerfile$|^Dockerfile\.[^/]+$|\.Dockerfile$/;

export const staticProvider: Provider = {
  name: 'static',
  detect(source: SourceView): Candidate[] {
    const sites = new Map<string, { staticDir: string; index: string }>();
    const staticfiles = source.manifests('Staticfile');
    for (const f of staticfiles) {
      const dir = path.posix.dirname(f);
      const root = /^\s*root\s*:\s*(\S+)/m.exec(source.readText(f) ?? '')?.[1]?.replace(/^\.\/|\/$/g, '') ?? '.';
      sites.set(dir, { staticDir: root || '.', index: inDir(inDir(dir, root || '.'), 'index.html') });
    }
    const indexes = source.manifests('index.html');
    const others = anyEcosystemManifest(source);
    for (const f of indexes) {
      let dir = path.posix.dirname(f);
      let staticDir = '.';
      if (path.posix.basename(dir) === 'public') {
        staticDir = 'public';
        dir = path.posix.dirname(dir);
      }
      // Only the top of a site: `blog/index.html` under a site is a page of it.
      if (upTo(dir).some((d) => sites.has(d))) continue;
      const segs = (staticDir === 'public' ? dir : path.posix.dirname(f)).split('/');
      if (segs.some((s) => NOT_A_SITE.has(s))) continue;
      if (ecosystemManifestAbove(source, dir)) continue;
      // A folder above with a start script or Dockerfile serves these files itself.
      if (upTo(dir).slice(1).some((d) => namesIn(source, d).some((x) => SERVES.test(x)))) continue;
      if (/^docs?(\/|$)/.test(dir) && others.length > 0) continue;
      // A PHP or server-side page next to index.html means the folder is an app, not a site.
      if (namesIn(source, dir).some((x) => /^(server|app|main|index)\.(py|rb|js|mjs|ts)$/.test(x) && isServerScript(source, inDir(dir, x)))) continue;
      sites.set(dir, { staticDir, index: f });
    }
    return [...sites.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([dir, s]) => describe(source, dir, s.staticDir, s.index, staticfiles.includes(inDir(dir, 'Staticfile'))));
  },
};

/** A JS file that starts a server (listen/http.createServer) is an app entry, not a browser script. */
function isServerScript(source: SourceView, file: string): boolean {
  if (!/\.(m?js|ts)$/.test(file)) return true;
  const t = source.readText(file) ?? '';
  return /\brequire\(\s*['"](http|express|net)['"]\)|\.listen\(\s*\d|createServer\(/.test(t);
}

function describe(source: SourceView, dir: string, staticDir: string, index: string, staticfile: boolean): Candidate {
  const facts: Fact[] = [];
  if (staticfile) facts.push({ file: inDir(dir, 'Staticfile'), signal: 'Staticfile', kind: 'manifest' });
  if (source.has(index)) {
    const title = /<title>([^<]{1,80})<\/title>/i.exec(source.readText(index) ?? '')?.[1]?.trim();
    facts.push({ file: index, ...lineOf(source, index, /<html|<!doctype/i), signal: title ? `index.html "${title}"` : 'index.html', kind: 'entrypoint' });
  }
  const siteDir = inDir(dir, staticDir);
  const assets = source.under(siteDir).filter((f) => /\.(css|js|html?)$/i.test(f) && f !== index);
  const css = assets.find((f) => f.endsWith('.css'));
  if (css) facts.push({ file: css, signal: 'stylesheet', kind: 'heuristic' });
  if (assets.length > 0) facts.push({ file: siteDir, signal: `${assets.length + 1} web files, no build step`, kind: 'heuristic' });
  return candidate({ path: dir, language: 'static', role: 'static', staticDir, facts });
}
