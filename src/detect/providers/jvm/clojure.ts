/**
 * Clojure: Leiningen (`project.clj`) and the Clojure CLI (`deps.edn`). Both are read with regular
 * expressions over the EDN text, enough for coordinates, `:main`, `:ring` and `:port` settings.
 * A project is an application when it names a main namespace, a Ring handler or an uberjar build.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact } from '../../provider.js';
import type { Framework } from '../../types.js';
import { dependencyBacking, jdkPin, type JvmDep } from './frameworks.js';
import { portValue } from './util.js';
import { lineIn, sourceTexts } from '../../readers.js';

const SERVER = /^(ring\/ring-jetty-adapter|ring\/ring-core|ring|compojure|http-kit|metosin\/reitit.*|reitit.*|io\.pedestal\/.*|yada|aleph|info\.sunng\/ring-jetty9-adapter|ring\/ring-defaults)$/;
const LUMINUS = /^(luminus\/.*|luminus-.*|luminus)$/;

export function detectClojure(source: SourceView): Candidate[] {
  const out: Candidate[] = [];
  for (const file of source.manifests('project.clj')) out.push(lein(source, path.posix.dirname(file), file));
  for (const file of source.manifests('deps.edn')) {
    const dir = path.posix.dirname(file);
    // A Leiningen project that also has deps.edn is described once, by Leiningen.
    if (out.some((c) => c.path === dir)) continue;
    out.push(cli(source, dir, file));
  }
  return out;
}

function depsIn(text: string, file: string, re: RegExp): JvmDep[] {
  const out: JvmDep[] = [];
  text.split('\n').forEach((l, i) => {
    for (const m of l.matchAll(re)) {
      const coord = m[1]!;
      if (!out.some((d) => d.coord === coord)) out.push({ coord, file, line: i + 1 });
    }
  });
  return out;
}

function framework(deps: JvmDep[], facts: Fact[]): { framework: Framework | null; web: boolean } {
  const lum = deps.find((d) => LUMINUS.test(d.coord));
  if (lum) {
    facts.push({ file: lum.file, ...(lum.line ? { line: lum.line } : {}), signal: `dependency \`${lum.coord}\``, kind: 'framework' });
    return { framework: 'luminus', web: true };
  }
  const ring = deps.find((d) => SERVER.test(d.coord));
  if (ring) {
    facts.push({ file: ring.file, ...(ring.line ? { line: ring.line } : {}), signal: `dependency \`${ring.coord}\``, kind: 'framework' });
    return { framework: 'ring', web: true };
  }
  return { framework: null, web: false };
}

/** `:port 3000` in the project, config EDN files or sources; `(or (env :port) 3000)` style defaults too. */
function port(source: SourceView, dir: string, first: Array<{ file: string; text: string }>): { port: number; fact: Fact } | undefined {
  const configs = ['env/prod/resources/config.edn', 'resources/config.edn', 'config.edn', 'env/dev/resources/config.edn', 'dev-config.edn', 'resources/system.edn', 'resources/config/config.edn']
    .map((f) => inDir(dir, f))
    .filter((f) => source.has(f));
  const srcs = source.glob(['src/**/*.{clj,cljc}'], dir);
  const texts = [...first, ...sourceTexts(source, configs), ...sourceTexts(source, srcs, 80)];
  const res = [/:port\s+(\d{2,5})\b/, /:(?:http-)?port\)?\s*"?(\d{4,5})"?\)/, /"PORT"\)?\s*"?(\d{4,5})/];
  for (const re of res) {
    for (const { file, text } of texts) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const p = portValue(re.exec(lines[i] ?? '')?.[1] ?? '');
        if (p) return { port: p, fact: { file, line: i + 1, signal: lines[i]!.trim().slice(0, 120), kind: 'port' } };
      }
    }
  }
  return undefined;
}

/** A health route in Compojure (`(GET "/health" …)`) or Reitit (`["/healthz" …]`) source. */
function health(source: SourceView, dir: string): { path: string; fact: Fact } | undefined {
  for (const { file, text } of sourceTexts(source, source.glob(['src/**/*.{clj,cljc}'], dir), 80)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /(?:\(GET\s+|\[\s*)"(\/(?:health|healthz|healthcheck|_health|ping|status))"/.exec(lines[i] ?? '');
      if (m?.[1]) return { path: m[1], fact: { file, line: i + 1, signal: `health route ${m[1]}`, kind: 'usage' } };
    }
  }
  return undefined;
}

function finish(source: SourceView, c: Candidate, fw: { framework: Framework | null; web: boolean }, app: boolean, first: Array<{ file: string; text: string }>): Candidate {
  const pin = jdkPin(source, c.path);
  if (pin) {
    c.runtimeVersion = pin.version;
    c.facts.push(pin.fact);
  }
  if (!app) {
    c.role = 'library';
    return c;
  }
  const p = port(source, c.path, first);
  c.role = fw.web || p ? 'web' : 'worker';
  if (c.role === 'web') {
    c.port = p?.port ?? 3000;
    if (p) c.facts.push(p.fact);
    const h = health(source, c.path);
    if (h) {
      c.healthPath = h.path;
      c.facts.push(h.fact);
    }
  }
  return c;
}

function lein(source: SourceView, dir: string, file: string): Candidate {
  const text = source.readText(file) ?? '';
  const head = /\(defproject\s+(?:([\w.-]+)\/)?([\w.-]+)\s+"([^"]+)"/.exec(text);
  const name = head?.[2];
  const version = head?.[3];
  const facts: Fact[] = [{ file, signal: 'project.clj', kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'clojure', packageManager: 'leiningen', facts, ...(name ? { name } : {}) });
  const deps = depsIn(text, file, /\[\s*([\w.-]+(?:\/[\w.-]+)?)\s+"[^"]+"/g);
  const fw = framework(deps, facts);
  const mainNs = /:main\s+(?:\^:skip-aot\s+|\^\{[^}]*\}\s+)?([\w.-]+)/.exec(text)?.[1];
  const handler = /:ring\s*\{[^}]*:handler\s+([\w.\-/]+)/.exec(text)?.[1];
  if (mainNs) facts.push({ file, ...(lineIn(text, /:main\s/) ? { line: lineIn(text, /:main\s/)! } : {}), signal: `:main ${mainNs}`, kind: 'entrypoint' });
  else if (handler) facts.push({ file, ...(lineIn(text, /:handler\s/) ? { line: lineIn(text, /:handler\s/)! } : {}), signal: `:ring :handler ${handler}`, kind: 'entrypoint' });
  c.framework = fw.framework;
  c.backing = dependencyBacking(deps, 'clojars');
  const uberName = /:uberjar-name\s+"([^"]+)"/.exec(text)?.[1];
  const jar = `target/uberjar/${uberName ?? `${name ?? path.posix.basename(dir)}-${version ?? '0.1.0-SNAPSHOT'}-standalone.jar`}`;
  const ringOnly = !mainNs && handler !== undefined;
  c.commands = { install: 'lein deps', build: ringOnly ? 'lein ring uberjar' : 'lein uberjar', start: `java -jar ${jar}` };
  return finish(source, c, fw, mainNs !== undefined || handler !== undefined, [{ file, text }]);
}

function cli(source: SourceView, dir: string, file: string): Candidate {
  const text = source.readText(file) ?? '';
  const facts: Fact[] = [{ file, signal: 'deps.edn', kind: 'manifest' }];
  const buildFile = inDir(dir, 'build.clj');
  const build = source.readText(buildFile) ?? '';
  const lib = /\(def\s+lib\s+'(?:([\w.-]+)\/)?([\w.-]+)\)/.exec(build);
  const version = /\(def\s+version\s+"([^"]+)"\)/.exec(build)?.[1];
  const name = lib?.[2];
  const c = candidate({ path: dir, language: 'clojure', packageManager: 'clojure-cli', facts, ...(name ? { name } : {}) });
  const deps = depsIn(text, file, /([\w.-]+\/[\w.-]+|[a-z][\w.-]*)\s*\{\s*:(?:mvn\/version|git\/url|git\/tag|git\/sha|sha|local\/root)/g);
  const fw = framework(deps, facts);
  c.framework = fw.framework;
  c.backing = dependencyBacking(deps, 'clojars');
  // An alias whose :main-opts run a namespace (`-m app.core`) is how the authors start it.
  const alias = /:([\w.-]+)\s*\{[^{}]*:main-opts\s*\[\s*"-m"\s*"([\w.-]+)"/.exec(text);
  const uber = /\(b\/uber\b/.test(build) && /:build\s*\{/.test(text);
  const uberFile = /\(def\s+uber-file\s+"([^"]+)"\)/.exec(build)?.[1] ??
    (/\(def\s+uber-file\s+\(format\s+"target\/%s-%s-standalone\.jar"\s+\(name\s+lib\)\s+version\)\)/.test(build) && name && version ? `target/${name}-${version}-standalone.jar` : undefined) ??
    (/\(def\s+uber-file\s+\(format\s+"target\/%s-standalone\.jar"\s+\(name\s+lib\)\)\)/.test(build) && name ? `target/${name}-standalone.jar` : undefined);
  if (alias) facts.push({ file, ...(lineIn(text, new RegExp(`:${alias[1]!.replace(/[.-]/g, '\\$&')}\\s*\\{`)) ? { line: lineIn(text, new RegExp(`:${alias[1]!.replace(/[.-]/g, '\\$&')}\\s*\\{`))! } : {}), signal: `alias :${alias[1]} runs -m ${alias[2]}`, kind: 'entrypoint' });
  if (uber) facts.push({ file: buildFile, ...(lineIn(build, /\(b\/uber\b/) ? { line: lineIn(build, /\(b\/uber\b/)! } : {}), signal: 'tools.build uber', kind: 'entrypoint' });
  c.commands = {
    install: 'clojure -P',
    build: uber ? 'clojure -T:build uber' : null,
    start: uber && uberFile ? `java -jar ${uberFile}` : alias ? `clojure -M:${alias[1]}` : null,
  };
  return finish(source, c, fw, uber || alias !== null, [{ file, text }]);
}
