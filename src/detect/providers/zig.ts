/**
 * Zig (build.zig, with build.zig.zon for package metadata). `b.addExecutable(.{ .name = "…" })`
 * names the binary `zig build` installs to zig-out/bin; `.minimum_zig_version` in build.zig.zon is
 * the toolchain pin. A server (std.http.Server, zap, httpz, or any listen on an address) gets the
 * port written next to its address; a build without an executable is a library.
 */
import type { SourceView } from '../../source/source-view.js';
import { type Candidate, inDir, type Provider } from '../provider.js';
import { exeName, healthRoute, lineOf, manifestProvider, openCandidate, pinRuntime, portHit, sourcesUnder } from './others-util.js';

export const zigProvider: Provider = manifestProvider('zig', 'build.zig', describe);

function describe(source: SourceView, dir: string): Candidate {
  const { c, facts, manifest: build } = openCandidate(source, dir, { manifest: 'build.zig', language: 'zig' });
  const zon = inDir(dir, 'build.zig.zon');
  const buildText = source.readText(build) ?? '';
  const zonText = source.has(zon) ? (source.readText(zon) ?? '') : '';
  const pkgName = /^\s*\.name\s*=\s*(?:"([^"]+)"|\.@?"?([A-Za-z0-9_]+)"?)/m.exec(zonText);
  if (pkgName) c.name = pkgName[1] ?? pkgName[2];
  if (zonText) facts.push({ file: zon, signal: 'build.zig.zon', kind: 'lockfile' });

  const minimum = /\.minimum_zig_version\s*=\s*"([^"]+)"/.exec(zonText)?.[1];
  pinRuntime(source, c, 'zig', [[minimum, () => ({ file: zon, ...lineOf(source, zon, /minimum_zig_version/), signal: `.minimum_zig_version = "${minimum}"` })]]);

  // The executable's name sits a few lines below `addExecutable(` in a struct literal.
  const addExe = buildText.indexOf('addExecutable(');
  const exe = addExe >= 0 ? /\.name\s*=\s*"([^"]+)"/.exec(buildText.slice(addExe, addExe + 600))?.[1] : undefined;
  c.commands.install = zonText.includes('.dependencies') && /\.url\s*=/.test(zonText) ? 'zig build --fetch' : null;
  c.commands.build = 'zig build -Doptimize=ReleaseSafe';
  if (!exe) {
    c.role = 'library';
    return c;
  }
  facts.push({ file: build, ...lineOf(source, build, 'addExecutable('), signal: `executable \`${exe}\``, kind: 'entrypoint' });
  c.commands.start = `./zig-out/bin/${exeName(exe)}`;
  const srcFiles = sourcesUnder(source, dir, ['.zig'], ['src', '']).filter((f) => f !== build);
  const server = srcFiles.map((f) => ({ f, line: source.lineOf(f, /std\.http\.Server|\bzap\.|httpz\.|\.listen\(|parseIp4?\(|tokamak|jetzig/) })).find((x) => x.line);
  if (!server) {
    c.role = 'worker';
    return c;
  }
  facts.push({ file: server.f, line: server.line!, signal: 'listens for HTTP', kind: 'usage' });
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, srcFiles, [
    /parseIp4?\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/,
    /resolveIp\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/,
    /\.port\s*=\s*(\d{2,5})\b/,
    /\bport\s*:\s*u16\s*=\s*(\d{2,5})\b/,
    /\bPORT\b[^\d\n]*(\d{4,5})/,
  ]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else if (/jetzig/.test(buildText + zonText)) {
    c.port = 8080;
    facts.push({ file: build, signal: 'jetzig default port 8080', kind: 'heuristic' });
  }
  return c;
}
