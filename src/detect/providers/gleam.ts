/**
 * Gleam (gleam.toml). Web apps use mist, usually through wisp; the port is the one passed to
 * `mist.port(…)` (8000 in the wisp guides), else mist's own default, 4000. An app ships as an
 * Erlang shipment, whose entrypoint script runs it; a package without a `main` is a library.
 */
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { type Candidate, type Provider } from '../provider.js';
import { healthRoute, lineOf, manifestProvider, openCandidate, pinRuntime, portHit, sourcesUnder } from './others-util.js';

const WEB_DEPS = ['wisp', 'mist', 'glen', 'lustre_http'];

export const gleamProvider: Provider = manifestProvider('gleam', 'gleam.toml', describe);

function describe(source: SourceView, dir: string): Candidate {
  const { c, facts, manifest } = openCandidate(source, dir, { manifest: 'gleam.toml', language: 'gleam', packageManager: 'gleam', lockfile: 'manifest.toml' });
  const parsed = source.readToml<Record<string, unknown>>(manifest).value ?? {};
  if (typeof parsed.name === 'string') c.name = parsed.name;

  const declared = typeof parsed.gleam === 'string' ? parsed.gleam : undefined;
  pinRuntime(source, c, 'gleam', [[declared, () => ({ file: manifest, ...lineOf(source, manifest, /^\s*gleam\s*=/), signal: `gleam = "${declared}"` })]]);

  const deps = { ...table(parsed.dependencies) };
  for (const name of Object.keys(deps)) {
    const kind = backingFromDependency('gleam', name);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s*${name}\\s*=`)), signal: `dependency \`${name}\`` } });
  }
  const web = WEB_DEPS.find((d) => d in deps);
  if (web) facts.push({ file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s*${web}\\s*=`)), signal: `dependency \`${web}\``, kind: 'framework' });

  const srcFiles = sourcesUnder(source, dir, ['.gleam'], ['src']);
  const main = srcFiles.map((f) => ({ f, line: source.lineOf(f, /^\s*pub\s+fn\s+main\s*\(/) })).find((x) => x.line !== undefined);
  const target = typeof parsed.target === 'string' ? parsed.target : 'erlang';
  c.commands.install = 'gleam deps download';
  if (!main) {
    c.role = 'library';
    return c;
  }
  facts.push({ file: main.f, line: main.line!, signal: '`pub fn main()`', kind: 'entrypoint' });
  if (target === 'javascript') {
    c.commands.build = 'gleam build --target javascript';
    c.commands.start = `gleam run --target javascript`;
  } else {
    c.commands.build = 'gleam export erlang-shipment';
    c.commands.start = './build/erlang-shipment/entrypoint.sh run';
  }
  const usage = source.lineOf(main.f, /\bmist\.(start|new)|\bwisp_mist\.handler|\bwisp\./);
  if (usage) facts.push({ file: main.f, line: usage, signal: 'starts a mist HTTP server', kind: 'usage' });
  if (!web && !usage) {
    c.role = 'worker';
    return c;
  }
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, srcFiles, [/\bmist\.port\(\s*(\d{2,5})\s*\)/, /\bport\s*:\s*(\d{2,5})\b/, /\bint\.parse\([^)]*\)\s*\|>\s*result\.unwrap\(\s*(\d{2,5})\s*\)/, /result\.unwrap\(\s*(\d{2,5})\s*\)/]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else {
    // mist.new() listens on 4000 unless `mist.port(…)` says otherwise.
    c.port = 4000;
    facts.push({ file: manifest, signal: `${web ?? 'mist'} without an explicit port: mist's default 4000`, kind: 'heuristic' });
  }
  return c;
}

function table(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
