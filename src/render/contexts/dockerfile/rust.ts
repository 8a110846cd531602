/** templates/dockerfile/rust: a release build on distroless/cc, dependencies compiled against placeholders first. */
import path from 'node:path';
import { IMAGES } from '../../../images/catalog.js';
import { exists, globIn, join, readToml } from '../repo.js';
import type { Workspace } from '../workspace.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

/** A placeholder target file of a workspace member: an empty lib, or `fn main() {}`. */
export interface CargoStub {
  path: string;
  dir: string;
  main: boolean;
}

export interface RustX {
  /** The binary the runtime runs. */
  bin: string;
  /** The Cargo package that builds it. */
  pkg: string;
  /** Whether Cargo.lock pins the build (`--locked`). */
  lock: boolean;
  stubs: CargoStub[];
  /** The stubs' paths, space-separated, removed after the dependency build. */
  stubFiles: string;
  /** Workspace member folders whose sources are touched before the real build ('.' alone). */
  memberDirs: string;
}

/** Rust builds its Go health probe in a stage of its own: distroless/cc has no shell. */
export type RustContext = TemplateContext<'rust', BuildRuntimeImages & { probe: string }, RustX>;

export function rustContext({ model: m, rootDir, img, base }: BuildInput): RustContext {
  const dir = m.dir;
  const cargo = readToml(rootDir, join(dir, 'Cargo.toml'));
  const pkgName = ((cargo?.package as Record<string, unknown> | undefined)?.name as string | undefined) ?? m.name;
  const bins = (cargo?.bin as Array<{ name?: string }> | undefined)?.map((b) => b.name).filter((n): n is string => !!n) ?? [];
  // detect's start command names the binary it chose (`./target/release/<bin>`); else the first [[bin]].
  const fromStart = /target\/release\/([\w-]+)\s*$/.exec(m.spec.commands.start ?? '')?.[1];
  const bin = fromStart ?? bins[0] ?? pkgName;
  const ws = m.workspace;
  const stubs = ws ? cargoStubs(rootDir, ws) : [];
  return {
    ...base,
    template: 'rust',
    images: { build: img(IMAGES.rust.ref), runtime: img(IMAGES.distrolessCc.ref), probe: img(IMAGES.golang(null).ref) },
    start: ['/app'],
    dev: ['cargo', 'run', ...(ws ? ['--package', pkgName] : []), '--bin', bin],
    // cargo writes target/ (a volume in compose.dev.yaml) and the registry under CARGO_HOME.
    devDirs: ['/app/target', '/usr/local/cargo', '/usr/local/cargo/registry', '/usr/local/cargo/git'],
    x: {
      bin,
      pkg: pkgName,
      lock: ws ? ws.manifests.includes('Cargo.lock') : exists(rootDir, join(dir, 'Cargo.lock')),
      stubs,
      stubFiles: stubs.map((f) => f.path).join(' '),
      memberDirs: ws ? ws.members.join(' ') : '.',
    },
  };
}

/**
 * Placeholder targets for every workspace member, so the dependency layer can compile all
 * third-party crates from the manifests alone: each target file the member really has (lib, main,
 * src/bin/*, explicit [[bin]]/[lib] paths, build.rs) as an empty lib or `fn main() {}`.
 */
function cargoStubs(rootDir: string, ws: Workspace): CargoStub[] {
  const out = new Map<string, boolean>();
  for (const mem of ws.members) {
    const dir = join(ws.root, mem);
    const at = (f: string) => (mem === '.' ? f : `${mem}/${f}`);
    const cargo = readToml(rootDir, join(dir, 'Cargo.toml'));
    const libPath = ((cargo?.lib as { path?: string } | undefined)?.path ?? 'src/lib.rs').replace(/^\.\//, '');
    if (exists(rootDir, join(dir, libPath)) || cargo?.lib) out.set(at(libPath), false);
    for (const f of globIn(rootDir, dir, ['src/main.rs', 'src/bin/*.rs', 'src/bin/*/main.rs', 'build.rs'])) out.set(at(f), true);
    for (const b of (cargo?.bin as Array<{ path?: string }> | undefined) ?? []) if (b.path) out.set(at(b.path.replace(/^\.\//, '')), true);
  }
  return [...out].map(([p, main]) => ({ path: p, dir: path.posix.dirname(p), main })).sort((a, b) => (a.path < b.path ? -1 : 1));
}
