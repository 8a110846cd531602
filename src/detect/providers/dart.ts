/**
 * Dart (pubspec.yaml, pub). Servers built on shelf (and dart_frog, which generates a shelf server)
 * are compiled ahead of time with `dart compile exe` and listen on the port passed to `serve(…)` or
 * read from `PORT`, 8080 by convention. The SDK constraint (`environment: sdk:`) is the runtime pin.
 * Flutter apps with a web/ folder build to static files; other Flutter apps and packages without a
 * `bin/` entry are not services.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { type Candidate, inDir, type Provider } from '../provider.js';
import { healthRoute, lineOf, manifestProvider, openCandidate, pinRuntime, portHit, reEscape, sourcesUnder } from './others-util.js';

const SERVER_DEPS = ['shelf', 'shelf_router', 'dart_frog', 'alfred', 'conduit', 'angel3_framework', 'serverpod', 'relic'];

export const dartProvider: Provider = manifestProvider('dart', 'pubspec.yaml', describe);

function describe(source: SourceView, dir: string): Candidate {
  const { c, facts, manifest } = openCandidate(source, dir, { manifest: 'pubspec.yaml', language: 'dart', packageManager: 'pub', lockfile: 'pubspec.lock' });
  const raw = source.readYaml<Record<string, unknown>>(manifest).value;
  const pub = obj(raw);
  if (typeof pub.name === 'string') c.name = pub.name;

  const sdk = obj(pub.environment).sdk;
  pinRuntime(source, c, 'dart', [[typeof sdk === 'string' ? sdk : undefined, () => ({ file: manifest, ...lineOf(source, manifest, /^\s+sdk\s*:/), signal: `environment: sdk: ${String(sdk)}` })]]);

  const deps = Object.keys(obj(pub.dependencies));
  for (const d of deps) {
    const kind = backingFromDependency('pub', d);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s+${reEscape(d)}\\s*:`)), signal: `dependency \`${d}\`` } });
  }
  c.commands.install = 'dart pub get';

  if (deps.includes('flutter')) {
    c.commands.install = 'flutter pub get';
    if (source.has(inDir(dir, 'web/index.html'))) {
      c.role = 'static';
      c.staticDir = 'build/web';
      c.commands.build = 'flutter build web --release';
      facts.push({ file: inDir(dir, 'web/index.html'), signal: 'Flutter web target', kind: 'entrypoint' });
    } else c.role = 'library';
    return c;
  }

  const frog = deps.includes('dart_frog');
  const binFiles = sourcesUnder(source, dir, ['.dart'], ['bin']);
  const entry = frog ? undefined : (['bin/server.dart', `bin/${String(pub.name ?? '')}.dart`, 'bin/main.dart'].map((f) => inDir(dir, f)).find((f) => source.has(f)) ?? binFiles[0]);
  const srcFiles = sourcesUnder(source, dir, ['.dart'], ['bin', 'lib', 'routes']);
  if (frog) {
    facts.push({ file: manifest, ...lineOf(source, manifest, /^\s+dart_frog\s*:/), signal: 'dependency `dart_frog`', kind: 'framework' });
    if (source.isDir(inDir(dir, 'routes'))) facts.push({ file: inDir(dir, 'routes'), signal: 'dart_frog routes/', kind: 'entrypoint' });
    c.commands.build = 'dart pub global activate dart_frog_cli && dart pub global run dart_frog_cli:dart_frog build && dart compile exe build/bin/server.dart -o build/bin/server';
    c.commands.start = 'build/bin/server';
  } else if (entry) {
    const rel = path.posix.relative(dir, entry);
    const out = rel.replace(/\.dart$/, '');
    facts.push({ file: entry, ...lineOf(source, entry, /\bmain\s*\(/), signal: `entry ${rel}`, kind: 'entrypoint' });
    c.commands.build = `dart compile exe ${rel} -o ${out}`;
    c.commands.start = `./${out}`;
  } else {
    c.role = 'library';
    return c;
  }

  const server = SERVER_DEPS.find((d) => deps.includes(d));
  const usage = srcFiles.map((f) => ({ f, line: source.lineOf(f, /\b(shelf_io\.serve|serve\s*\(|HttpServer\.bind)\b/) })).find((x) => x.line);
  if (server && !frog) facts.push({ file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s+${server}\\s*:`)), signal: `dependency \`${server}\``, kind: 'framework' });
  if (usage) facts.push({ file: usage.f, line: usage.line!, signal: 'starts an HTTP server', kind: 'usage' });
  if (!server && !usage) {
    c.role = 'worker';
    return c;
  }
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, srcFiles, [
    /Platform\.environment\[\s*['"]PORT['"]\s*\]\s*\?\?\s*['"](\d{2,5})['"]/,
    /\bserve\s*\([^)]*,\s*(\d{2,5})\s*\)/,
    /HttpServer\.bind\([^,]+,\s*(\d{2,5})/,
    /\bport\s*[:=]\s*(\d{2,5})\b/,
  ]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else {
    c.port = 8080;
    facts.push({ file: manifest, signal: `${frog ? 'dart_frog' : (server ?? 'dart:io')} default port 8080`, kind: 'heuristic' });
  }
  return c;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
