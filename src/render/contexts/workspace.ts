/**
 * Workspaces whose root a member's build needs: the lockfile lives there and sibling members are
 * path dependencies (go.work, Cargo and uv workspaces, Maven reactors, Gradle multi-project builds,
 * .NET solutions; npm, pnpm and yarn workspaces are found by `nodeWorkspaceRoot`). Such a service
 * builds from the workspace root,
 * its Dockerfile staying in the service folder, and its dependency layer copies every member's
 * manifest first — so a source change never re-downloads dependencies.
 */
import path from 'node:path';
import { exists, globIn, join, readText, readToml } from './repo.js';
import type { TemplateName } from './template-name.js';

export interface Workspace {
  kind: 'go' | 'cargo' | 'uv' | 'maven' | 'gradle' | 'dotnet';
  /** Workspace root, relative to the repository root ('.' for the root itself). */
  root: string;
  /** The service folder relative to the workspace root. */
  member: string;
  /** Every member folder relative to the workspace root, sorted (the service's included). */
  members: string[];
  /** Files the dependency layer copies before any source, relative to the workspace root, sorted. */
  manifests: string[];
}

const IGNORE = ['**/node_modules/**', '**/target/**', '**/bin/**', '**/obj/**', '**/.git/**'];

/** Folders from `dir` up to the repository root, nearest first. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir;
  for (;;) {
    out.push(d);
    if (d === '.') return out;
    const up = path.posix.dirname(d);
    d = up === '' ? '.' : up;
  }
}

const rel = (root: string, dir: string) => (root === '.' ? dir : dir === root ? '.' : path.posix.relative(root, dir));

/** Member folders matching `globs` under `root` that hold `manifest`, minus `exclude`. */
function globMembers(rootDir: string, root: string, globs: string[], manifest: string, exclude: string[] = []): string[] {
  const patterns = globs.map((g) => `${g.replace(/^\.\//, '').replace(/\/+$/, '')}/${manifest}`);
  const found = globIn(rootDir, root, patterns, [...IGNORE, ...exclude.map((e) => `${e.replace(/\/+$/, '')}/**`)]);
  return [...new Set(found.map((f) => path.posix.dirname(f)))].sort();
}

function existing(rootDir: string, root: string, files: string[]): string[] {
  return files.filter((f) => exists(rootDir, join(root, f)));
}

function finish(kind: Workspace['kind'], root: string, dir: string, members: string[], manifests: string[]): Workspace {
  return { kind, root, member: rel(root, dir), members: [...members].sort(), manifests: [...new Set(manifests)].sort() };
}

/** go.work: `use ./a` or `use ( ./a ./b )`. */
function goWorkspace(rootDir: string, dir: string): Workspace | null {
  for (const root of ancestors(dir)) {
    const text = readText(rootDir, join(root, 'go.work'));
    if (text === undefined) continue;
    const uses: string[] = [];
    for (const m of text.matchAll(/^\s*use\s*\(([^)]*)\)/gm)) uses.push(...m[1]!.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim()).filter(Boolean));
    for (const m of text.matchAll(/^\s*use\s+([^\s(]+)/gm)) uses.push(m[1]!);
    const members = uses.map((u) => path.posix.normalize(u.replace(/^"|"$/g, '')).replace(/\/+$/, '') || '.');
    if (!members.includes(rel(root, dir))) continue;
    const manifests = ['go.work', ...existing(rootDir, root, ['go.work.sum'])];
    for (const m of members) manifests.push(...existing(rootDir, root, [join(m, 'go.mod'), join(m, 'go.sum')]));
    return finish('go', root, dir, members, manifests);
  }
  return null;
}

/** Cargo: `[workspace] members = ["crates/*"]`, with a root Cargo.lock. */
function cargoWorkspace(rootDir: string, dir: string): Workspace | null {
  for (const root of ancestors(dir)) {
    const ws = readToml(rootDir, join(root, 'Cargo.toml'))?.workspace as { members?: unknown; exclude?: unknown } | undefined;
    if (!ws) continue;
    const globs = Array.isArray(ws.members) ? ws.members.filter((g): g is string => typeof g === 'string') : [];
    const exclude = Array.isArray(ws.exclude) ? ws.exclude.filter((g): g is string => typeof g === 'string') : [];
    const members = globMembers(rootDir, root, globs, 'Cargo.toml', exclude);
    if (root === dir && members.length === 0) return null; // a lone package with an empty [workspace] table
    if (root !== dir && !members.includes(rel(root, dir))) continue;
    const manifests = ['Cargo.toml', ...existing(rootDir, root, ['Cargo.lock', 'rust-toolchain.toml', 'rust-toolchain', '.cargo/config.toml']), ...members.map((m) => join(m, 'Cargo.toml'))];
    return finish('cargo', root, dir, members, manifests);
  }
  return null;
}

/** uv: `[tool.uv.workspace] members = ["packages/*"]`, with a root uv.lock. */
function uvWorkspace(rootDir: string, dir: string): Workspace | null {
  for (const root of ancestors(dir)) {
    const tool = readToml(rootDir, join(root, 'pyproject.toml'))?.tool as { uv?: { workspace?: { members?: unknown; exclude?: unknown } } } | undefined;
    const ws = tool?.uv?.workspace;
    if (!ws) continue;
    const globs = Array.isArray(ws.members) ? ws.members.filter((g): g is string => typeof g === 'string') : [];
    const exclude = Array.isArray(ws.exclude) ? ws.exclude.filter((g): g is string => typeof g === 'string') : [];
    const members = globMembers(rootDir, root, globs, 'pyproject.toml', exclude);
    if (root !== dir && !members.includes(rel(root, dir))) continue;
    if (root === dir && members.length === 0) return null;
    const manifests = ['pyproject.toml', ...existing(rootDir, root, ['uv.lock', '.python-version']), ...members.map((m) => join(m, 'pyproject.toml'))];
    return finish('uv', root, dir, members, manifests);
  }
  return null;
}

/** Maven: the outermost pom whose `<modules>` reach the service folder (nested reactors included). */
function mavenWorkspace(rootDir: string, dir: string): Workspace | null {
  const modulesOf = (pomDir: string): string[] => {
    const pom = readText(rootDir, join(pomDir, 'pom.xml')) ?? '';
    const block = /<modules>([\s\S]*?)<\/modules>/.exec(pom.replace(/<!--[\s\S]*?-->/g, ''))?.[1] ?? '';
    return [...block.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => path.posix.normalize(join(pomDir, m[1]!.replace(/\/pom\.xml$/, ''))));
  };
  const reactor = (pomDir: string, seen = new Set<string>()): string[] => {
    if (seen.has(pomDir)) return [];
    seen.add(pomDir);
    return modulesOf(pomDir).filter((m) => exists(rootDir, join(m, 'pom.xml'))).flatMap((m) => [m, ...reactor(m, seen)]);
  };
  let best: Workspace | null = null;
  for (const root of ancestors(dir).slice(1)) {
    if (!exists(rootDir, join(root, 'pom.xml'))) continue;
    const all = reactor(root);
    if (!all.includes(dir)) continue;
    const members = all.map((m) => rel(root, m));
    best = finish('maven', root, dir, members, ['pom.xml', ...existing(rootDir, root, ['.mvn/maven.config', '.mvn/jvm.config']), ...members.map((m) => join(m, 'pom.xml'))]);
  }
  return best;
}

/** Gradle: a settings.gradle(.kts) above the service that `include`s it (":services:api" → services/api). */
function gradleWorkspace(rootDir: string, dir: string): Workspace | null {
  for (const root of ancestors(dir).slice(1)) {
    const settingsFile = ['settings.gradle.kts', 'settings.gradle'].find((f) => exists(rootDir, join(root, f)));
    if (!settingsFile) continue;
    const text = (readText(rootDir, join(root, settingsFile)) ?? '').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    const included = [...text.matchAll(/^\s*include\s*\(?([^)\n]*)\)?/gm)].flatMap((m) => [...m[1]!.matchAll(/["']([^"']+)["']/g)].map((q) => q[1]!));
    const members = [...new Set(included.map((p) => p.replace(/^:/, '').replace(/:/g, '/')))].filter((m) => m !== '').sort();
    if (!members.includes(rel(root, dir))) continue;
    const builds = members.flatMap((m) => existing(rootDir, root, [join(m, 'build.gradle.kts'), join(m, 'build.gradle')]));
    const manifests = [settingsFile, ...existing(rootDir, root, ['build.gradle.kts', 'build.gradle', 'gradle.properties', 'gradle/libs.versions.toml']), ...builds];
    return finish('gradle', root, dir, members, manifests);
  }
  return null;
}

/** .NET: a solution (.sln or .slnx) above the service that lists one of its projects. */
function dotnetWorkspace(rootDir: string, dir: string): Workspace | null {
  for (const root of ancestors(dir).slice(1)) {
    const solutions = globIn(rootDir, root, ['*.sln', '*.slnx']).sort();
    for (const sln of solutions) {
      const text = readText(rootDir, join(root, sln)) ?? '';
      const projects = [
        ...[...text.matchAll(/^Project\("[^"]*"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs|vb)proj)"/gm)].map((m) => m[1]!),
        ...[...text.matchAll(/<Project\s+Path="([^"]+\.(?:cs|fs|vb)proj)"/g)].map((m) => m[1]!),
      ].map((p) => path.posix.normalize(p.replace(/\\/g, '/')));
      const members = [...new Set(projects.map((p) => path.posix.dirname(p)))];
      if (!members.includes(rel(root, dir))) continue;
      const props = globIn(rootDir, root, ['**/Directory.Build.props', '**/Directory.Build.targets', '**/Directory.Packages.props'], IGNORE);
      const manifests = [sln, ...projects.filter((p) => exists(rootDir, join(root, p))), ...props, ...existing(rootDir, root, ['global.json', 'NuGet.config', 'nuget.config'])];
      return finish('dotnet', root, dir, members, manifests);
    }
  }
  return null;
}

const FINDERS: Partial<Record<TemplateName, (rootDir: string, dir: string) => Workspace | null>> = {
  go: goWorkspace,
  rust: cargoWorkspace,
  python: uvWorkspace,
  'java-maven': mavenWorkspace,
  'java-gradle': gradleWorkspace,
  dotnet: dotnetWorkspace,
};

/** The workspace the service at `dir` builds from, or null when its own folder is enough. */
export function workspaceOf(template: TemplateName | null, rootDir: string, dir: string): Workspace | null {
  const find = template === null ? undefined : FINDERS[template];
  return find ? find(rootDir, dir) : null;
}
