/** templates/dockerfile/go: a static binary on distroless/static, with the shared Go health probe. */
import { IMAGES } from '../../../images/catalog.js';
import { exists, globIn, join, readText } from '../repo.js';
import type { Workspace } from '../workspace.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface GoX {
  /** No go.mod: standard library only, built with GO111MODULE=off. */
  noModule: boolean;
  goSum: boolean;
  /** The package `go build` builds, as seen from the build context (`.` or `./cmd/api`). */
  pkg: string;
  /** A vendor/ folder replaces the module download. */
  vendor: boolean;
  /** In a go.work workspace: `module@version` of every third-party requirement. */
  downloads: string[];
}

export type GoContext = TemplateContext<'go', BuildRuntimeImages, GoX>;

export function goContext({ model: m, rootDir, img, base }: BuildInput): GoContext {
  const s = m.spec;
  const dir = m.dir;
  // The package detect chose to build (the serving one of several cmd/*) is the build command's last word.
  const fromBuild = /\s(\.(?:\/[\w./-]*)?)\s*$/.exec(s.commands.build ?? '')?.[1];
  const pkg = fromBuild
    ? fromBuild.replace(/^\.\/?/, '') || '.'
    : exists(rootDir, join(dir, 'main.go'))
      ? '.'
      : (globIn(rootDir, dir, ['cmd/*/main.go']).sort()[0]?.replace(/\/main\.go$/, '') ?? '.');
  const fromContext = base.inContext(pkg);
  const pkgArg = fromContext === '.' ? '.' : `./${fromContext}`;
  return {
    ...base,
    template: 'go',
    images: { build: img(IMAGES.golang(s.runtimeVersion).ref), runtime: img(IMAGES.distrolessStatic.ref) },
    start: ['/app'],
    dev: ['go', 'run', pkgArg],
    devDirs: ['/home/dev/.cache/go-tmp'],
    x: {
      noModule: !m.workspace && !exists(rootDir, join(dir, 'go.mod')),
      goSum: exists(rootDir, join(dir, 'go.sum')),
      pkg: pkgArg,
      vendor: !m.workspace && exists(rootDir, join(dir, 'vendor/modules.txt')),
      // In a go.work workspace a bare `go mod download` also looks up the members' own (replaced)
      // versions; download exactly the third-party requirements instead.
      downloads: m.workspace ? goWorkspaceDownloads(rootDir, m.workspace) : [],
    },
  };
}

/** `module@version` of every requirement of every workspace module that is not itself a member. */
function goWorkspaceDownloads(rootDir: string, ws: Workspace): string[] {
  const mods = ws.members.map((m) => readText(rootDir, join(join(ws.root, m), 'go.mod')) ?? '');
  const own = new Set(mods.map((t) => /^\s*module\s+(\S+)/m.exec(t)?.[1]).filter(Boolean));
  const out = new Set<string>();
  for (const text of mods) {
    const lines = [...text.matchAll(/^\s*require\s*\(([^)]*)\)/gm)].flatMap((b) => b[1]!.split('\n'));
    lines.push(...[...text.matchAll(/^\s*require\s+([^(\s].*)$/gm)].map((r) => r[1]!));
    for (const line of lines) {
      const r = /^\s*(\S+)\s+(v\S+)/.exec(line.replace(/\/\/.*$/, ''));
      if (r && !own.has(r[1]!)) out.add(`${r[1]}@${r[2]}`);
    }
  }
  return [...out].sort();
}
