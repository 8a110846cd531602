/**
 * Maven projects (`pom.xml`). An aggregator (`<modules>`) is a workspace root; a module is a service
 * only when it is an application (Spring Boot / Quarkus / Micronaut plugin, a configured main class,
 * a `war`, or an application class in its sources), otherwise a library. A stand-alone pom is an
 * application when a framework or an entry point says so.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact } from '../../provider.js';
import { configBacking, dependencyBacking, findMain, jdkPin, jvmFramework, jvmWeb, mainSources, mergeBackingUses, readJvmConfig, webOrWorker, type JvmDep } from './frameworks.js';
import { javaMajor } from './util.js';
import { child, children, readXml, text, type XmlNode } from '../../readers.js';

interface Pom {
  file: string;
  dir: string;
  project: XmlNode;
  props: Record<string, string>;
  parent?: Pom;
}

const TEST_SCOPES = new Set(['test']);

export function detectMaven(source: SourceView): Candidate[] {
  const poms = new Map<string, Pom>();
  for (const file of source.manifests('pom.xml')) {
    const xml = readXml(source, file);
    const project = child(xml, 'project');
    if (!project) {
      if (xml) source.warn(file, 'pom.xml has no <project> element; skipped');
      // A broken pom still marks a Java project: say so instead of "nothing detected".
      if (!xml) poms.set(path.posix.dirname(file), { file, dir: path.posix.dirname(file), project: {}, props: {} });
      continue;
    }
    poms.set(path.posix.dirname(file), { file, dir: path.posix.dirname(file), project, props: {} });
  }
  // Parents inside the repository lend properties, versions and plugins (shallowest first, so parents resolve first).
  for (const pom of poms.values()) {
    const parent = child(pom.project, 'parent');
    const rel = text(parent, 'relativePath') ?? '../pom.xml';
    const parentFile = path.posix.normalize(path.posix.join(pom.dir, rel.endsWith('.xml') ? rel : `${rel}/pom.xml`));
    const p = parent ? poms.get(path.posix.dirname(parentFile)) : undefined;
    if (p && p !== pom) pom.parent = p;
    const own = child(pom.project, 'properties') ?? {};
    pom.props = { ...(pom.parent?.props ?? {}) };
    for (const [k, v] of Object.entries(own)) if (typeof v === 'string' || typeof v === 'number') pom.props[k] = String(v);
    pom.props['project.artifactId'] = text(pom.project, 'artifactId') ?? '';
    pom.props['project.version'] = resolve(pom, text(pom.project, 'version') ?? text(parent, 'version') ?? '');
    pom.props['project.groupId'] = text(pom.project, 'groupId') ?? text(parent, 'groupId') ?? '';
  }
  // Modules listed by an aggregator; their root is the reactor the build runs from.
  const reactorOf = new Map<string, string>();
  for (const pom of [...poms.values()].sort((a, b) => a.dir.split('/').length - b.dir.split('/').length)) {
    for (const m of moduleNames(pom.project)) {
      const dir = path.posix.normalize(inDir(pom.dir, m.replace(/\/pom\.xml$/, '')));
      reactorOf.set(dir, reactorOf.get(pom.dir) ?? pom.dir);
    }
  }
  const byCoord = new Map([...poms.values()].map((p) => [`${p.props['project.groupId']}:${p.props['project.artifactId']}`, p]));
  return [...poms.values()].map((pom) => describe(source, pom, reactorOf.get(pom.dir), byCoord));
}

function moduleNames(project: XmlNode): string[] {
  const out: string[] = [];
  const push = (mods: XmlNode | undefined) => {
    const v = mods?.module;
    for (const m of Array.isArray(v) ? v : v === undefined ? [] : [v]) if (typeof m === 'string' && m.trim()) out.push(m.trim());
  };
  push(child(project, 'modules'));
  for (const p of children(child(project, 'profiles'), 'profile')) push(child(p, 'modules'));
  return [...new Set(out)];
}

function resolve(pom: Pom, v: string, depth = 0): string {
  if (depth > 5) return v;
  return v.replace(/\$\{([^}]+)\}/g, (whole, k: string) => {
    const r = pom.props[k];
    return r === undefined ? whole : resolve(pom, r, depth + 1);
  });
}

function plugins(pom: Pom): Array<{ id: string; file: string; line?: number }> {
  return children(child(child(pom.project, 'build'), 'plugins'), 'plugin').map((p) => ({ id: text(p, 'artifactId') ?? '', file: pom.file }));
}

function describe(source: SourceView, pom: Pom, reactor: string | undefined, byCoord: Map<string, Pom>): Candidate {
  const { dir, file, project } = pom;
  const artifactId = text(project, 'artifactId');
  const facts: Fact[] = [{ file, signal: 'pom.xml', kind: 'manifest' }];
  const modules = moduleNames(project);
  const base = candidate({ path: dir, language: 'java', packageManager: 'maven', facts, ...(artifactId ? { name: artifactId } : {}) });
  if (Object.keys(project).length === 0) {
    base.role = 'library';
    return base;
  }
  if (modules.length > 0 && (text(project, 'packaging') ?? 'jar') === 'pom') {
    base.role = 'workspace';
    base.backing = dependencyBacking(deps(source, pom));
    return base;
  }

  const lineOf = (needle: string) => source.lineOf(file, needle);
  const depList = deps(source, pom);
  // Modules of this repository it depends on bring their dependencies (a shared module with the web starter).
  for (const d of [...depList]) {
    const sibling = byCoord.get(d.coord);
    if (sibling && sibling !== pom) for (const x of deps(source, sibling)) if (!depList.some((y) => y.coord === x.coord)) depList.push(x);
  }
  const parent = child(project, 'parent');
  const parentCoord = parent ? `${text(parent, 'groupId') ?? ''}:${text(parent, 'artifactId') ?? ''}` : '';
  const pluginList = plugins(pom).map((p) => ({ ...p, ...(lineOf(`<artifactId>${p.id}</artifactId>`) ? { line: lineOf(`<artifactId>${p.id}</artifactId>`)! } : {}) }));
  // The Spring Boot / Micronaut parent brings the framework's dependency management.
  if (/^org\.springframework\.boot:spring-boot-starter-parent$/.test(parentCoord)) pluginList.push({ id: 'org.springframework.boot', file, ...(lineOf('spring-boot-starter-parent') ? { line: lineOf('spring-boot-starter-parent')! } : {}) });
  const fw = jvmFramework(depList, pluginList);
  const sources = mainSources(source, dir);
  const main = findMain(sources);
  const kotlin = pluginList.some((p) => p.id === 'kotlin-maven-plugin') || sources.some((s) => s.file.endsWith('.kt'));
  const scala = pluginList.some((p) => /scala-maven-plugin/.test(p.id));
  base.language = kotlin ? 'kotlin' : scala ? 'scala' : 'java';
  base.framework = fw.framework;
  if (fw.fact) facts.push(fw.fact);

  const packaging = resolve(pom, text(project, 'packaging') ?? 'jar');
  const pomText = source.readText(file) ?? '';
  const mainClass = /<(mainClass|start-class|exec\.mainClass)>\s*([\w.$]+)\s*</.exec(pomText);
  const appPlugin = pluginList.find((p) => /^(spring-boot-maven-plugin|quarkus-maven-plugin|micronaut-maven-plugin)$/.test(p.id));
  const isModule = reactor !== undefined;
  const app = appPlugin !== undefined || mainClass !== null || packaging === 'war' || main?.spring === true || (!isModule && (fw.framework !== null || fw.web || main !== undefined));
  if (appPlugin) facts.push({ file, ...(appPlugin.line ? { line: appPlugin.line } : {}), signal: `plugin \`${appPlugin.id}\``, kind: 'entrypoint' });
  else if (main) facts.push({ file: main.file, line: main.line, signal: main.signal, kind: 'entrypoint' });
  else if (mainClass) facts.push({ file, ...(lineOf(mainClass[0]) ? { line: lineOf(mainClass[0])! } : {}), signal: `main class \`${mainClass[2]}\``, kind: 'entrypoint' });

  base.runtimeVersion = javaVersion(source, pom, facts);
  const config = readJvmConfig(source, dir);
  base.backing = mergeBackingUses(configBacking(config), dependencyBacking(depList));
  if (!app) {
    base.role = 'library';
    return base;
  }
  const web = jvmWeb(source, dir, fw, depList, config, sources);
  base.role = webOrWorker(fw, sources);
  if (base.role === 'worker' && web.portFact) base.role = 'web';
  if (packaging === 'war' && fw.framework === null) {
    base.role = 'web';
    web.port ??= 8080;
  }
  if (base.role === 'web') {
    base.port = web.port;
    if (web.portFact) facts.push(web.portFact);
    base.healthPath = web.healthPath;
    if (web.healthFact) facts.push(web.healthFact);
    base.metricsPath = web.metricsPath;
  }
  base.commands = commands(source, pom, reactor, fw.framework, packaging, config.find((e) => /^quarkus\.package\.(jar\.)?type$/.test(e.key))?.value);
  return base;
}

function deps(source: SourceView, pom: Pom): JvmDep[] {
  const out: JvmDep[] = [];
  for (const d of children(child(pom.project, 'dependencies'), 'dependency')) {
    if (TEST_SCOPES.has(text(d, 'scope') ?? '')) continue;
    const g = resolve(pom, text(d, 'groupId') ?? '');
    const a = resolve(pom, text(d, 'artifactId') ?? '');
    if (!g || !a) continue;
    const line = source.lineOf(pom.file, `<artifactId>${text(d, 'artifactId')}</artifactId>`);
    out.push({ coord: `${g}:${a}`, file: pom.file, ...(line ? { line } : {}) });
  }
  return out;
}

function javaVersion(source: SourceView, pom: Pom, facts: Fact[]): string | null {
  const pin = jdkPin(source, pom.dir);
  if (pin) {
    facts.push(pin.fact);
    return pin.version;
  }
  for (const key of ['maven.compiler.release', 'java.version', 'maven.compiler.source', 'maven.compiler.target', 'jdk.version', 'java.release']) {
    const raw = pom.props[key];
    const v = raw === undefined ? undefined : javaMajor(resolve(pom, raw));
    if (v) {
      const owner = ownerOf(pom, key);
      const line = source.lineOf(owner.file, `<${key}>`);
      facts.push({ file: owner.file, ...(line ? { line } : {}), signal: `<${key}>${raw}</${key}>`, kind: 'version' });
      return v;
    }
  }
  const compiler = children(child(child(pom.project, 'build'), 'plugins'), 'plugin').find((p) => text(p, 'artifactId') === 'maven-compiler-plugin');
  const conf = child(compiler, 'configuration');
  const rel = javaMajor(resolve(pom, text(conf, 'release') ?? text(conf, 'source') ?? ''));
  if (rel) {
    const line = source.lineOf(pom.file, /<(release|source)>/);
    facts.push({ file: pom.file, ...(line ? { line } : {}), signal: `maven-compiler-plugin release ${rel}`, kind: 'version' });
    return rel;
  }
  return null;
}

function ownerOf(pom: Pom, key: string): Pom {
  let p: Pom | undefined = pom;
  while (p) {
    const own = child(p.project, 'properties');
    if (own && key in own) return p;
    p = p.parent;
  }
  return pom;
}

function commands(source: SourceView, pom: Pom, reactor: string | undefined, framework: string | null, packaging: string, quarkusPackage: string | undefined): Candidate['commands'] {
  const root = reactor ?? pom.dir;
  const toRoot = path.posix.relative(pom.dir, root) || '.';
  const wrapperDir = [pom.dir, root].find((d) => source.has(inDir(d, 'mvnw')));
  const mvn = wrapperDir === undefined ? 'mvn' : `${path.posix.relative(pom.dir, wrapperDir) || '.'}/mvnw`;
  const scope = reactor === undefined ? '' : ` -f ${toRoot}/pom.xml -pl ${path.posix.relative(root, pom.dir)} -am`;
  const build = `${mvn} -B -DskipTests${scope} package`;
  const install = `${mvn} -B${scope} dependency:go-offline`;
  const artifactId = text(pom.project, 'artifactId') ?? path.posix.basename(pom.dir);
  const version = pom.props['project.version'] ?? '';
  const finalName = resolve(pom, text(child(pom.project, 'build'), 'finalName') ?? (version && !version.includes('${') ? `${artifactId}-${version}` : artifactId));
  let start: string;
  if (framework === 'quarkus') start = /uber-jar/.test(quarkusPackage ?? '') ? `java -jar target/${finalName}-runner.jar` : 'java -jar target/quarkus-app/quarkus-run.jar';
  else start = `java -jar target/${finalName}.${packaging === 'war' ? 'war' : 'jar'}`;
  return { install, build, start };
}
