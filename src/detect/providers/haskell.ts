/**
 * Haskell: a package is a `*.cabal` file or an hpack `package.yaml`; Stack drives the build when a
 * `stack.yaml` sits in the package's folder or above it (its `resolver`/`snapshot` is the pin),
 * else cabal-install (`tested-with: GHC == …` is the pin). An `executable` stanza is what runs.
 * Scotty, Warp, Servant, Yesod and Spock apps listen on the port passed in source; Scotty and
 * Yesod apps default to 3000, Warp-based ones to 8080.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type Candidate, type Fact, type Provider } from '../provider.js';
import { upTo } from '../readers.js';
import { exeName, firstVersion, healthRoute, lineOf, pinFact, portHit, runtimePin, sourcesUnder } from './others-util.js';

const WEB: ReadonlyArray<{ dep: string; port: number }> = [
  { dep: 'scotty', port: 3000 },
  { dep: 'yesod', port: 3000 },
  { dep: 'yesod-core', port: 3000 },
  { dep: 'Spock', port: 8080 },
  { dep: 'servant-server', port: 8080 },
  { dep: 'ihp', port: 8000 },
  { dep: 'warp', port: 8080 },
  { dep: 'snap-server', port: 8000 },
  { dep: 'wai', port: 8080 },
];

export const haskellProvider: Provider = {
  name: 'haskell',
  detect(source: SourceView): Candidate[] {
    const dirs = new Set<string>();
    for (const f of source.manifests(['package.yaml'])) dirs.add(path.posix.dirname(f));
    for (const f of source.glob('**/*.cabal')) if (source.manifests(path.posix.basename(f)).includes(f)) dirs.add(path.posix.dirname(f));
    // package.yaml is hpack only when Haskell is around it (a cabal file or a stack.yaml at or above).
    const out: Candidate[] = [];
    for (const d of [...dirs].sort()) {
      const cabal = source.glob('*.cabal', d)[0];
      const stack = stackYaml(source, d);
      if (!cabal && !stack) continue;
      out.push(describe(source, d, cabal, stack));
    }
    return out;
  },
};

interface Pkg {
  name?: string;
  executables: Array<{ name: string; line?: number }>;
  deps: Array<{ name: string; line?: number }>;
  ghc?: { version: string; line?: number };
}

function stackYaml(source: SourceView, dir: string): string | undefined {
  return upTo(dir).map((d) => inDir(d, 'stack.yaml')).find((f) => source.has(f));
}

/** The package stanza fields a build needs, read line by line (cabal's syntax has no JS parser). */
function readCabal(text: string): Pkg {
  const pkg: Pkg = { executables: [], deps: [] };
  const lines = text.split(/\r?\n/);
  let inDeps = false;
  let stanza = '';
  lines.forEach((raw, i) => {
    const l = raw.replace(/--.*$/, '');
    if (/^\S/.test(l)) {
      inDeps = false;
      const st = /^(executable|library|test-suite|benchmark|foreign-library|common)\b\s*(\S*)/i.exec(l);
      if (st) {
        stanza = st[1]!.toLowerCase();
        if (stanza === 'executable' && st[2]) pkg.executables.push({ name: st[2], line: i + 1 });
        return;
      }
      const name = /^name\s*:\s*(\S+)/i.exec(l);
      if (name) pkg.name = name[1];
      const tw = /^tested-with\s*:\s*(?:GHC\s*==\s*)?([\d.]+)/i.exec(l);
      if (tw?.[1]) pkg.ghc = { version: tw[1], line: i + 1 };
      return;
    }
    const bd = /^\s+build-depends\s*:\s*(.*)$/i.exec(l);
    if (bd) {
      inDeps = stanza !== 'test-suite' && stanza !== 'benchmark';
      if (inDeps) addDeps(pkg, bd[1]!, i + 1);
      return;
    }
    if (/^\s+[A-Za-z-]+\s*:/.test(l)) {
      inDeps = false;
      return;
    }
    if (inDeps) addDeps(pkg, l, i + 1);
  });
  return pkg;
}

function addDeps(pkg: Pkg, list: string, line: number): void {
  for (const part of list.split(',')) {
    const name = /^\s*([A-Za-z][A-Za-z0-9-]*)/.exec(part)?.[1];
    if (name && !pkg.deps.some((d) => d.name === name)) pkg.deps.push({ name, line });
  }
}

/** hpack's package.yaml: `dependencies` at the top and in each `executables.<name>`. */
function readHpack(source: SourceView, file: string): Pkg {
  const pkg: Pkg = { executables: [], deps: [] };
  const v = source.readYaml<Record<string, unknown>>(file).value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return pkg;
  if (typeof v.name === 'string') pkg.name = v.name;
  const addList = (list: unknown) => {
    const items = Array.isArray(list) ? list : typeof list === 'string' ? [list] : list && typeof list === 'object' ? Object.keys(list) : [];
    for (const it of items) {
      const name = typeof it === 'string' ? /^\s*([A-Za-z][A-Za-z0-9-]*)/.exec(it)?.[1] : undefined;
      if (name && !pkg.deps.some((d) => d.name === name)) pkg.deps.push({ name, ...lineOf(source, file, new RegExp(`^\\s*-?\\s*${name}\\b`)) });
    }
  };
  addList(v.dependencies);
  const exes = v.executables && typeof v.executables === 'object' ? (v.executables as Record<string, unknown>) : {};
  for (const [name, def] of Object.entries(exes)) {
    pkg.executables.push({ name, ...lineOf(source, file, new RegExp(`^\\s+${name}\\s*:`)) });
    if (def && typeof def === 'object') addList((def as Record<string, unknown>).dependencies);
  }
  if (v.executable && typeof v.executable === 'object') pkg.executables.push({ name: pkg.name ?? 'app' });
  return pkg;
}

function describe(source: SourceView, dir: string, cabal: string | undefined, stack: string | undefined): Candidate {
  const hpack = inDir(dir, 'package.yaml');
  const manifest = cabal ?? hpack;
  const facts: Fact[] = [{ file: manifest, signal: path.posix.basename(manifest), kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'haskell', packageManager: stack ? 'stack' : 'cabal', facts });
  const fromCabal = cabal ? readCabal(source.readText(cabal) ?? '') : undefined;
  const fromHpack = source.has(hpack) ? readHpack(source, hpack) : undefined;
  const pkg: Pkg = fromHpack && (!fromCabal || fromCabal.executables.length === 0) ? { ...fromHpack, ghc: fromCabal?.ghc } : (fromCabal ?? fromHpack ?? { executables: [], deps: [] });
  const depFile = pkg === fromCabal || !fromHpack ? manifest : hpack;
  if (pkg.name) c.name = pkg.name;
  if (stack) {
    facts.push({ file: stack, signal: 'stack.yaml', kind: 'manifest' });
    const lock = inDir(path.posix.dirname(stack), 'stack.yaml.lock');
    if (source.has(lock)) facts.push({ file: lock, signal: 'stack.yaml.lock', kind: 'lockfile' });
  } else if (source.has(inDir(dir, 'cabal.project.freeze'))) facts.push({ file: inDir(dir, 'cabal.project.freeze'), signal: 'cabal.project.freeze', kind: 'lockfile' });

  const pin = runtimePin(source, dir, ['ghc', 'haskell']);
  const resolver = stack ? /^(?:resolver|snapshot)\s*:\s*['"]?([^\s'"#]+)/m.exec(source.readText(stack) ?? '')?.[1] : undefined;
  if (pin && firstVersion(pin.version)) {
    c.runtimeVersion = firstVersion(pin.version)!;
    facts.push(pinFact(pin, `ghc ${pin.version}`));
  } else if (resolver) {
    c.runtimeVersion = resolver;
    facts.push({ file: stack!, ...lineOf(source, stack!, /^(resolver|snapshot)\s*:/), signal: `resolver ${resolver}`, kind: 'version' });
  } else if (pkg.ghc) {
    c.runtimeVersion = pkg.ghc.version;
    facts.push({ file: cabal!, ...(pkg.ghc.line ? { line: pkg.ghc.line } : {}), signal: `tested-with: GHC == ${pkg.ghc.version}`, kind: 'version' });
  }

  for (const d of pkg.deps) {
    const kind = backingFromDependency('hackage', d.name);
    if (kind && !c.backing.some((b) => b.kind === kind)) c.backing.push({ kind, evidence: { file: depFile, ...(d.line ? { line: d.line } : {}), signal: `build-depends \`${d.name}\`` } });
  }

  const exe = pkg.executables[0];
  if (stack) {
    c.commands.install = 'stack setup && stack build --only-dependencies';
    c.commands.build = 'stack install --local-bin-path ./bin';
  } else {
    c.commands.install = 'cabal update && cabal build --only-dependencies';
    c.commands.build = 'cabal install --installdir=./bin --install-method=copy --overwrite-policy=always';
  }
  if (!exe) {
    c.role = 'library';
    return c;
  }
  facts.push({ file: depFile, ...(exe.line ? { line: exe.line } : {}), signal: `executable ${exe.name}`, kind: 'entrypoint' });
  c.commands.start = `./bin/${exeName(exe.name)}`;
  const web = WEB.find((w) => pkg.deps.some((d) => d.name === w.dep));
  if (!web) {
    c.role = 'worker';
    return c;
  }
  facts.push({ file: depFile, ...(pkg.deps.find((d) => d.name === web.dep)?.line ? { line: pkg.deps.find((d) => d.name === web.dep)!.line! } : {}), signal: `build-depends \`${web.dep}\``, kind: 'framework' });
  const srcFiles = sourcesUnder(source, dir, ['.hs'], ['app', 'src', 'exe', '']);
  const health = healthRoute(source, srcFiles);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, srcFiles, [
    /\bscotty\s+(\d{2,5})\b/,
    /\b(?:Warp\.)?run\s+(\d{2,5})\b/,
    /\bsetPort\s+(\d{2,5})\b/,
    /\bwarp\s+(\d{2,5})\b/,
    /\brunSpock\s+(\d{2,5})\b/,
    /lookupEnv\s+"PORT".*?(\d{4,5})/,
    /\bport\s*=\s*(\d{2,5})\b/,
  ]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else {
    c.port = web.port;
    facts.push({ file: depFile, signal: `${web.dep} default port ${web.port}`, kind: 'heuristic' });
  }
  return c;
}
