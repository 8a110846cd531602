/**
 * Gradle projects (Groovy `build.gradle` and Kotlin `build.gradle.kts`). A settings file that
 * includes subprojects makes its folder a workspace root (unless the root build itself is an
 * application); included projects are services when they apply an application plugin (Spring Boot,
 * `application`, Quarkus, Micronaut, Ktor) or hold an application class, and libraries otherwise.
 * Dependencies are read from the build file and from the version catalog (`gradle/libs.versions.toml`).
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact } from '../../provider.js';
import { configBacking, dependencyBacking, findMain, jdkPin, jvmFramework, jvmWeb, mainSources, mergeBackingUses, readJvmConfig, webOrWorker, type JvmDep } from './frameworks.js';
import { javaMajor } from './util.js';
import { lineIn } from '../../readers.js';

const BUILD_FILES = ['build.gradle.kts', 'build.gradle'];
const SETTINGS_FILES = ['settings.gradle.kts', 'settings.gradle'];
const APP_PLUGINS = /^(org\.springframework\.boot|application|io\.quarkus|io\.micronaut\.application|io\.micronaut\.minimal\.application|io\.ktor\.plugin|war|org\.gretty|com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow)$/;
// Configurations whose dependencies never reach the running app.
const TEST_CONF = /^(test|testFixtures|integrationTest|androidTest|kapt|ksp|annotationProcessor|developmentOnly|testAndDevelopmentOnly|detekt|ktlint)/i;

interface Catalog {
  libraries: Map<string, string>;
  plugins: Map<string, string>;
}

interface GradleProject {
  dir: string;
  file: string;
  text: string;
  /** Root of the multi-project build this project belongs to. */
  root: string;
  /** Project name (settings `rootProject.name` for the root, else the folder name). */
  name: string;
}

export function detectGradle(source: SourceView): Candidate[] {
  const settings = new Map<string, { file: string; name?: string; includes: string[] }>();
  for (const file of source.manifests(SETTINGS_FILES)) {
    const dir = path.posix.dirname(file);
    if (settings.has(dir)) continue;
    settings.set(dir, parseSettings(source.readText(file) ?? '', file, dir));
  }
  const rootOf = new Map<string, string>();
  for (const [dir, s] of settings) for (const inc of s.includes) if (!rootOf.has(inc)) rootOf.set(inc, dir);

  const projects: GradleProject[] = [];
  const seen = new Set<string>();
  for (const file of source.manifests(BUILD_FILES)) {
    const dir = path.posix.dirname(file);
    if (seen.has(dir)) continue;
    seen.add(dir);
    const root = rootOf.get(dir) ?? dir;
    const name = (dir === root ? settings.get(dir)?.name : undefined) ?? path.posix.basename(dir === '.' ? source.root : dir);
    projects.push({ dir, file, text: source.readText(file) ?? '', root, name });
  }
  // An included project with no build file of its own still builds from the root's subprojects block.
  for (const [dir, root] of rootOf) {
    if (seen.has(dir) || !source.isDir(dir)) continue;
    seen.add(dir);
    projects.push({ dir, file: inDir(root, 'settings.gradle'), text: '', root, name: path.posix.basename(dir) });
  }
  const catalogs = new Map<string, Catalog>();
  const catalogFor = (root: string) => {
    if (!catalogs.has(root)) catalogs.set(root, readCatalog(source, root));
    return catalogs.get(root)!;
  };
  const byDir = new Map(projects.map((p) => [p.dir, p]));
  return projects.map((p) => describe(source, p, settings.get(p.dir), byDir.get(p.root), catalogFor(p.root)));
}

function parseSettings(text: string, file: string, dir: string): { file: string; name?: string; includes: string[] } {
  const name = /rootProject\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  const includes: string[] = [];
  const custom = new Map<string, string>();
  for (const m of text.matchAll(/project\(\s*["']:?([^"']+)["']\s*\)\.projectDir\s*=\s*(?:new\s+File\([^,]+,\s*|file\()\s*["']([^"']+)["']/g)) custom.set(m[1]!, m[2]!);
  for (const line of stripComments(text).split('\n')) {
    const m = /^\s*include\b\s*\(?(.*)$/.exec(line);
    if (!m?.[1]) continue;
    for (const q of m[1].matchAll(/["']:?([^"']+)["']/g)) {
      const proj = q[1]!;
      const rel = custom.get(proj) ?? proj.replace(/:/g, '/');
      includes.push(path.posix.normalize(inDir(dir, rel)));
    }
  }
  return { file, ...(name ? { name } : {}), includes };
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** Bodies of every `name { … }` block (brace-balanced), e.g. `plugins`, `dependencies`, `subprojects`. */
export function blocks(text: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`(^|[^\\w.])${name.replace('.', '\\.')}\\s*(\\([^)]*\\)\\s*)?\\{`, 'g');
  for (const m of text.matchAll(re)) {
    let depth = 1;
    const start = m.index! + m[0].length;
    let i = start;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    out.push(text.slice(start, i - 1));
  }
  return out;
}

function readCatalog(source: SourceView, root: string): Catalog {
  const cat: Catalog = { libraries: new Map(), plugins: new Map() };
  const file = inDir(root, 'gradle/libs.versions.toml');
  if (!source.has(file)) return cat;
  const toml = source.readToml<Record<string, Record<string, unknown>>>(file).value;
  const key = (alias: string) => alias.replace(/[-_]/g, '.');
  for (const [alias, v] of Object.entries(toml?.libraries ?? {})) {
    let coord: string | undefined;
    if (typeof v === 'string') coord = v.split(':').slice(0, 2).join(':');
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      coord = typeof o.module === 'string' ? o.module : typeof o.group === 'string' && typeof o.name === 'string' ? `${o.group}:${o.name}` : undefined;
    }
    if (coord) cat.libraries.set(key(alias), coord);
  }
  for (const [alias, v] of Object.entries(toml?.plugins ?? {})) {
    const id = typeof v === 'string' ? v.split(':')[0] : v && typeof v === 'object' ? (v as Record<string, unknown>).id : undefined;
    if (typeof id === 'string') cat.plugins.set(key(alias), id);
  }
  return cat;
}

interface Plugin {
  id: string;
  file: string;
  line?: number;
}

function pluginsOf(text: string, file: string, catalog: Catalog): Plugin[] {
  const out: Plugin[] = [];
  const clean = stripComments(text);
  const add = (id: string, needle: RegExp) => {
    const line = lineIn(text, needle);
    if (!out.some((p) => p.id === id)) out.push({ id, file, ...(line ? { line } : {}) });
  };
  for (const body of blocks(clean, 'plugins')) {
    for (const l of body.split('\n')) {
      if (/\bapply\s*\(?\s*false\b/.test(l)) continue;
      const id = /\bid\s*\(?\s*["']([^"']+)["']/.exec(l)?.[1];
      if (id) add(id, new RegExp(escape(id)));
      const kt = /\bkotlin\s*\(\s*["']([^"']+)["']\s*\)/.exec(l)?.[1];
      if (kt) add(`org.jetbrains.kotlin.${kt}`, new RegExp(`kotlin\\(\\s*["']${escape(kt)}`));
      const alias = /\balias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)/.exec(l)?.[1];
      const aliased = alias ? catalog.plugins.get(alias.replace(/[-_]/g, '.')) : undefined;
      if (alias && aliased) add(aliased, new RegExp(`libs\\.plugins\\.${escape(alias)}`));
      const bare = /^\s*(`[\w-]+`|java|application|war|groovy|scala|java-library|`java-library`)\s*$/.exec(l)?.[1];
      if (bare) add(bare.replace(/`/g, ''), new RegExp(`^\\s*${escape(bare)}\\s*$`));
    }
  }
  for (const m of clean.matchAll(/apply\s*\(?\s*plugin\s*[:=]\s*["']([^"']+)["']/g)) add(m[1]!, new RegExp(escape(m[1]!)));
  return out.map((p) => ({ ...p, id: p.id === 'kotlin' ? 'org.jetbrains.kotlin.jvm' : p.id }));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const DEP_CONF = /(implementation|api|compile|runtime|runtimeOnly|compileOnly|providedCompile|providedRuntime)$/i;

function depsOf(text: string, file: string, catalog: Catalog): JvmDep[] {
  const out: JvmDep[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = (lines[i] ?? '').replace(/(^|[^:])\/\/.*$/, '$1');
    const push = (coord: string) => {
      if (!out.some((d) => d.coord === coord)) out.push({ coord, file, line: i + 1 });
    };
    // `implementation("g:a:v")`, `api 'g:a'`, `implementation group: 'g', name: 'a'`, `runtimeOnly(libs.x)`; several per line allowed.
    for (const m of l.matchAll(/\b([A-Za-z]+)\s*\(?\s*(?:(?:platform|enforcedPlatform)\(\s*)?(?:["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']|group\s*[:=]\s*["']([\w.-]+)["']\s*,\s*name\s*[:=]\s*["']([\w.-]+)["']|libs\.([\w.]+))/g)) {
      const conf = m[1]!;
      if (TEST_CONF.test(conf) || !DEP_CONF.test(conf)) continue;
      if (m[2] && m[3]) push(`${m[2]}:${m[3]}`);
      else if (m[4] && m[5]) push(`${m[4]}:${m[5]}`);
      else if (m[6]) {
        const coord = catalog.libraries.get(m[6].replace(/\.get$/, '').replace(/[-_]/g, '.'));
        if (coord) push(coord);
      }
    }
  }
  return out;
}

function describe(source: SourceView, p: GradleProject, settings: { includes: string[] } | undefined, root: GradleProject | undefined, catalog: Catalog): Candidate {
  const facts: Fact[] = [{ file: p.file, signal: path.posix.basename(p.file), kind: 'manifest' }];
  const base = candidate({ path: p.dir, language: 'java', packageManager: 'gradle', facts, name: p.name });
  // The root's subprojects/allprojects blocks configure every member.
  const shared = root && root !== p ? [...blocks(stripComments(root.text), 'subprojects'), ...blocks(stripComments(root.text), 'allprojects')].join('\n') : '';
  const ownText = p.text;
  const plugins = [...pluginsOf(ownText, p.file, catalog), ...(shared ? pluginsOf(`plugins {\n${shared}\n}`, root!.file, catalog) : [])];
  const deps = [...depsOf(ownText, p.file, catalog), ...(shared ? depsOf(shared, root!.file, catalog) : [])];
  // Sibling projects this one depends on contribute their dependencies (a `common` module with the web starter).
  for (const m of ownText.matchAll(/project\(\s*(?:path\s*[:=]\s*)?["']:([^"']+)["']\s*\)/g)) {
    const sib = inDir(p.root, m[1]!.replace(/:/g, '/'));
    for (const f of BUILD_FILES) if (source.has(inDir(sib, f))) deps.push(...depsOf(source.readText(inDir(sib, f)) ?? '', inDir(sib, f), catalog).filter((d) => !deps.some((x) => x.coord === d.coord)));
  }
  const sources = mainSources(source, p.dir);
  const kotlin = plugins.some((x) => /^org\.jetbrains\.kotlin\.(jvm|plugin\..+|multiplatform)$/.test(x.id)) || source.glob('src/main/kotlin/**/*.kt', p.dir).length > 0;
  const scala = plugins.some((x) => x.id === 'scala');
  base.language = kotlin ? 'kotlin' : scala ? 'scala' : 'java';

  if (settings && settings.includes.length > 0 && !plugins.some((x) => APP_PLUGINS.test(x.id)) && source.glob('src/main/**', p.dir).length === 0) {
    base.role = 'workspace';
    base.backing = dependencyBacking(deps);
    return base;
  }
  const fw = jvmFramework(deps, plugins);
  base.framework = fw.framework;
  if (fw.fact) facts.push(fw.fact);
  const main = findMain(sources);
  const appPlugin = plugins.find((x) => APP_PLUGINS.test(x.id));
  const isMember = p.root !== p.dir;
  const library = plugins.some((x) => /^(java-library|io\.micronaut\.library|org\.jetbrains\.kotlin\.multiplatform|com\.android\.library)$/.test(x.id));
  const android = plugins.some((x) => /^com\.android\./.test(x.id));
  const app = !android && !library && (appPlugin !== undefined || main?.spring === true || (!isMember && (fw.framework !== null || fw.web || main !== undefined)));
  if (appPlugin) facts.push({ file: appPlugin.file, ...(appPlugin.line ? { line: appPlugin.line } : {}), signal: `plugin \`${appPlugin.id}\``, kind: 'entrypoint' });
  else if (main) facts.push({ file: main.file, line: main.line, signal: main.signal, kind: 'entrypoint' });

  base.runtimeVersion = javaVersion(source, p, root, facts);
  const config = readJvmConfig(source, p.dir);
  base.backing = mergeBackingUses(configBacking(config), dependencyBacking(deps));
  if (!app) {
    base.role = 'library';
    return base;
  }
  const web = jvmWeb(source, p.dir, fw, deps, config, sources);
  base.role = webOrWorker(fw, sources);
  if (base.role === 'worker' && (web.portFact || plugins.some((x) => /^(war|org\.gretty)$/.test(x.id)))) base.role = 'web';
  if (base.role === 'web') {
    base.port = web.port ?? 8080;
    if (web.portFact) facts.push(web.portFact);
    base.healthPath = web.healthPath;
    if (web.healthFact) facts.push(web.healthFact);
    base.metricsPath = web.metricsPath;
  }
  base.commands = commands(source, p, root, fw.framework, plugins.map((x) => x.id));
  return base;
}

function javaVersion(source: SourceView, p: GradleProject, root: GradleProject | undefined, facts: Fact[]): string | null {
  const pin = jdkPin(source, p.dir);
  if (pin) {
    facts.push(pin.fact);
    return pin.version;
  }
  const patterns = [
    /JavaLanguageVersion\.of\(\s*["']?(\d+)["']?\s*\)/,
    /jvmToolchain\(\s*(\d+)\s*\)/,
    /sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_|JavaVersion\.toVersion\(\s*["']?|["'])?([\d_.]+)/,
    /targetCompatibility\s*=\s*(?:JavaVersion\.VERSION_|["'])?([\d_.]+)/,
    /jvmTarget(?:\.set\(|\s*=)\s*(?:JvmTarget\.JVM_|["'])([\d_.]+)/,
  ];
  for (const proj of [p, ...(root && root !== p ? [root] : [])]) {
    const lines = proj.text.split('\n');
    for (const re of patterns) {
      for (let i = 0; i < lines.length; i++) {
        const m = re.exec(lines[i] ?? '');
        const v = javaMajor(m?.[1]?.replace(/_/g, '.'));
        if (m && v) {
          facts.push({ file: proj.file, line: i + 1, signal: lines[i]!.trim(), kind: 'version' });
          return v;
        }
      }
    }
  }
  return null;
}

function commands(source: SourceView, p: GradleProject, root: GradleProject | undefined, framework: string | null, plugins: string[]): Candidate['commands'] {
  const wrapperDir = [p.dir, p.root].find((d) => source.has(inDir(d, 'gradlew')));
  // Gradle finds the settings file upwards, so a member builds from its own folder.
  const gradle = wrapperDir === undefined ? 'gradle' : `${path.posix.relative(p.dir, wrapperDir) || '.'}/gradlew`;
  const version = versionOf(source, p) ?? (root ? versionOf(source, root) : undefined);
  const archive = /archiveFileName(?:\.set\(|\s*=)\s*["']([^"'$]+)["']/.exec(p.text)?.[1];
  const baseName = /archiveBaseName(?:\.set\(|\s*=)\s*["']([^"'$]+)["']/.exec(p.text)?.[1] ?? p.name;
  const jar = (suffix = '') => `build/libs/${archive ?? `${baseName}${version ? `-${version}` : ''}${suffix}.jar`}`;
  const has = (id: string) => plugins.includes(id);
  let task: string;
  let start: string;
  if (framework === 'spring-boot' && has('org.springframework.boot')) {
    task = 'bootJar';
    start = `java -jar ${jar()}`;
  } else if (framework === 'quarkus') {
    task = 'build -x test';
    start = 'java -jar build/quarkus-app/quarkus-run.jar';
  } else if (has('com.github.johnrengelman.shadow') || has('com.gradleup.shadow') || has('io.ktor.plugin')) {
    task = has('io.ktor.plugin') ? 'buildFatJar' : 'shadowJar';
    start = `java -jar ${has('io.ktor.plugin') ? `build/libs/${baseName}-all.jar` : jar('-all')}`;
  } else if (has('application') || has('io.micronaut.application')) {
    task = 'installDist';
    start = `build/install/${p.name}/bin/${p.name}`;
  } else {
    task = 'build -x test';
    start = `java -jar ${jar()}`;
  }
  return { install: null, build: `${gradle} --no-daemon ${task}`, start };
}

function versionOf(source: SourceView, p: GradleProject): string | undefined {
  const v = /^\s*version\s*=\s*["']([^"'$]+)["']/m.exec(p.text)?.[1];
  if (v) return v;
  const props = source.readText(inDir(p.dir, 'gradle.properties'));
  return props ? /^\s*version\s*=\s*(\S+)/m.exec(props)?.[1] : undefined;
}
