/**
 * Crystal (shard.yml, Shards). Kemal and Lucky apps listen on 3000 unless the source sets a port
 * (`Kemal.run 8080`, `Kemal.config.port = 8080`, `settings.port = 8080`). The binary is the first
 * `targets:` entry, built with `crystal build --release`; a shard without targets or `main` is a library.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { type Candidate, inDir, type Provider } from '../provider.js';
import { exeName, healthRoute, lineOf, manifestProvider, openCandidate, pinRuntime, portHit, reEscape, sourcesUnder } from './others-util.js';

const WEB: ReadonlyArray<{ dep: string; usage: RegExp; port: number }> = [
  { dep: 'kemal', usage: /\bKemal\.run\b|require\s+"kemal"/, port: 3000 },
  { dep: 'lucky', usage: /\bLucky::|AppServer/, port: 3000 },
  { dep: 'amber', usage: /\bAmber::/, port: 3000 },
  { dep: 'athena', usage: /\bATH\.run\b|Athena::/, port: 3000 },
  { dep: 'grip', usage: /\bGrip::/, port: 3000 },
  { dep: 'marten', usage: /\bMarten\./, port: 8000 },
];

export const crystalProvider: Provider = manifestProvider('crystal', 'shard.yml', describe);

function describe(source: SourceView, dir: string): Candidate {
  const { c, facts, manifest } = openCandidate(source, dir, { manifest: 'shard.yml', language: 'crystal', packageManager: 'shards', lockfile: 'shard.lock' });
  const raw = source.readYaml<Record<string, unknown>>(manifest).value;
  const shard = raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  if (typeof shard.name === 'string') c.name = shard.name;

  const declared = typeof shard.crystal === 'string' || typeof shard.crystal === 'number' ? String(shard.crystal) : undefined;
  pinRuntime(source, c, 'crystal', [[declared, () => ({ file: manifest, ...lineOf(source, manifest, /^crystal\s*:/), signal: `crystal: ${declared}` })]]);

  const deps = Object.keys(obj(shard.dependencies));
  for (const d of deps) {
    const kind = backingFromDependency('shards', d);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s+${reEscape(d)}\\s*:`)), signal: `shard \`${d}\`` } });
  }

  const targets = obj(shard.targets);
  const [targetName, targetDef] = Object.entries(targets)[0] ?? [];
  const mainFile = targetDef && typeof obj(targetDef).main === 'string' ? inDir(dir, obj(targetDef).main as string) : undefined;
  const srcFiles = sourcesUnder(source, dir, ['.cr'], ['src', 'config']);
  const main = mainFile && source.has(mainFile) ? mainFile : undefined;
  c.commands.install = 'shards install --production';
  if (!targetName || !main) {
    c.role = 'library';
    return c;
  }
  const bin = exeName(targetName);
  facts.push({ file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s+${reEscape(targetName)}\\s*:`)), signal: `target \`${targetName}\` (${path.posix.relative(dir, main)})`, kind: 'entrypoint' });
  c.commands.build = `crystal build --release --no-debug ${path.posix.relative(dir, main)} -o bin/${bin}`;
  c.commands.start = `./bin/${bin}`;

  const web = WEB.find((w) => deps.includes(w.dep));
  if (!web) {
    c.role = 'worker';
    return c;
  }
  facts.push({ file: manifest, ...lineOf(source, manifest, new RegExp(`^\\s+${web.dep}\\s*:`)), signal: `shard \`${web.dep}\``, kind: 'framework' });
  const used = srcFiles.map((f) => ({ f, line: source.lineOf(f, web.usage) })).find((x) => x.line);
  if (used) facts.push({ file: used.f, line: used.line!, signal: `uses ${web.dep}`, kind: 'usage' });
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, srcFiles, [
    /\bKemal\.run\s*\(?\s*(\d{2,5})/,
    /\bKemal\.config\.port\s*=\s*(\d{2,5})/,
    /\bsettings\.port\s*=\s*(?:ENV\[[^\]]+\]\??\.try\(&\.to_i\)\s*\|\|\s*)?(\d{2,5})/,
    /\bport\s*[:=]\s*(?:ENV\.fetch\(\s*"PORT"\s*,\s*"?)?(\d{2,5})/,
  ]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else {
    c.port = web.port;
    facts.push({ file: manifest, signal: `${web.dep} default port ${web.port}`, kind: 'heuristic' });
  }
  return c;
}

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
