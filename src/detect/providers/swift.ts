/**
 * Swift (Package.swift, SwiftPM). The first line's `swift-tools-version` is the toolchain the
 * package needs. An `.executableTarget` (or `.executable` product) is what runs; Vapor serves on
 * 8080 unless `app.http.server.configuration.port` says otherwise, and runs as `App serve`.
 * Hummingbird serves on 8080 too. A package without an executable is a library.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { type Candidate, inDir, type Provider } from '../provider.js';
import { exeName, firstVersion, healthRoute, manifestProvider, openCandidate, pinRuntime, portHit, sourcesUnder } from './others-util.js';

export const swiftProvider: Provider = manifestProvider('swift', 'Package.swift', describe);

function describe(source: SourceView, dir: string): Candidate {
  const { c, facts, manifest } = openCandidate(source, dir, { manifest: 'Package.swift', language: 'swift', packageManager: 'swiftpm', lockfile: 'Package.resolved' });
  const text = source.readText(manifest) ?? '';
  const lines = text.split(/\r?\n/);
  const at = (re: RegExp) => {
    const i = lines.findIndex((l) => re.test(l));
    return i >= 0 ? { line: i + 1 } : {};
  };
  const name = /Package\s*\(\s*name\s*:\s*"([^"]+)"/.exec(text)?.[1];
  if (name) c.name = name;

  const tools = /swift-tools-version\s*:\s*(\d+(?:\.\d+){0,2})/.exec(lines[0] ?? '')?.[1];
  const swiftVersionFile = inDir(dir, '.swift-version');
  const fileVersion = source.has(swiftVersionFile) ? firstVersion(source.readText(swiftVersionFile)) : undefined;
  pinRuntime(source, c, 'swift', [
    [fileVersion, () => ({ file: swiftVersionFile, line: 1, signal: `.swift-version ${fileVersion}` })],
    [tools, () => ({ file: manifest, line: 1, signal: `swift-tools-version:${tools}` })],
  ]);

  // `.package(url: "https://github.com/vapor/vapor.git", from: "4.0.0")` → "vapor".
  const deps: Array<{ name: string; line: number }> = [];
  lines.forEach((l, i) => {
    if (/^\s*\/\//.test(l)) return;
    for (const m of l.matchAll(/\.package\s*\(\s*(?:name\s*:\s*"[^"]*"\s*,\s*)?(?:url|path)\s*:\s*"([^"]+)"/g)) {
      const dep = path.posix.basename(m[1]!.replace(/\/+$/, '')).replace(/\.git$/, '');
      deps.push({ name: dep, line: i + 1 });
    }
  });
  for (const d of deps) {
    const kind = backingFromDependency('swift', d.name);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file: manifest, line: d.line, signal: `package \`${d.name}\`` } });
  }

  const exe = /\.executableTarget\s*\(\s*name\s*:\s*"([^"]+)"/.exec(text) ?? /\.executable\s*\(\s*name\s*:\s*"([^"]+)"/.exec(text);
  const mainSwift = source.glob(['Sources/*/main.swift', 'Sources/*/entrypoint.swift', 'Sources/*/App.swift'], dir)[0];
  const target = exe?.[1] ?? (mainSwift ? path.posix.basename(path.posix.dirname(mainSwift)) : undefined);
  c.commands.install = 'swift package resolve';
  if (!target) {
    c.role = 'library';
    return c;
  }
  const bin = exeName(target);
  facts.push(exe ? { file: manifest, ...at(/\.executable(Target)?\s*\(/), signal: `executable \`${target}\``, kind: 'entrypoint' } : { file: mainSwift!, signal: `${path.posix.basename(mainSwift!)} in ${target}`, kind: 'entrypoint' });
  c.commands.build = `swift build -c release --product ${bin}`;
  const srcFiles = sourcesUnder(source, dir, ['.swift'], ['Sources']);
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const vapor = deps.find((d) => d.name.toLowerCase() === 'vapor');
  const hummingbird = deps.find((d) => d.name.toLowerCase() === 'hummingbird');
  if (vapor) {
    c.framework = 'vapor';
    facts.push({ file: manifest, line: vapor.line, signal: 'package `vapor`', kind: 'framework' });
    const used = srcFiles.map((f) => ({ f, line: source.lineOf(f, /import\s+Vapor\b/) })).find((x) => x.line);
    if (used) facts.push({ file: used.f, line: used.line!, signal: '`import Vapor`', kind: 'usage' });
    const port = portHit(source, srcFiles, [/\.http\.server\.configuration\.port\s*=\s*(?:Environment\.get\("PORT"\)\.flatMap\(Int\.init\)\s*\?\?\s*)?(\d{2,5})/, /--port\s+(\d{2,5})/]);
    c.port = port?.port ?? 8080;
    facts.push(port?.fact ?? { file: manifest, signal: 'Vapor default port 8080', kind: 'heuristic' });
    c.commands.start = `./.build/release/${bin} serve --env production --hostname 0.0.0.0 --port ${c.port}`;
    return c;
  }
  c.commands.start = `./.build/release/${bin}`;
  if (hummingbird) {
    facts.push({ file: manifest, line: hummingbird.line, signal: 'package `hummingbird`', kind: 'framework' });
    const port = portHit(source, srcFiles, [/\bport\s*:\s*(\d{2,5})\b/, /port\s*:\s*Int\s*=\s*(\d{2,5})/, /\bport\s*=\s*(\d{2,5})\b/]);
    c.port = port?.port ?? 8080;
    facts.push(port?.fact ?? { file: manifest, signal: 'Hummingbird default port 8080', kind: 'heuristic' });
    return c;
  }
  const port = portHit(source, srcFiles, [/\bport\s*[:=]\s*(\d{2,5})\b/, /bind\(host:\s*"[^"]*",\s*port:\s*(\d{2,5})/]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else c.role = 'worker';
  return c;
}
