/**
 * sbt builds (`build.sbt`): Scala. Packaging follows the plugins in `project/plugins.sbt`:
 * sbt-native-packager → `sbt stage` and the staged start script, sbt-assembly → a fat jar, Play →
 * the staged script on port 9000. Only the root project is described; sub-projects declared with
 * `project.in(file(…))` are built by the root's aggregate.
 */
import type { SourceView } from '../../../source/source-view.js';
import path from 'node:path';
import { candidate, inDir, type Candidate, type Fact } from '../../provider.js';
import { configBacking, dependencyBacking, findMain, jdkPin, jvmFramework, jvmWeb, mainSources, mergeBackingUses, readJvmConfig, type JvmDep } from './frameworks.js';
import { lineIn } from '../../readers.js';

export function detectSbt(source: SourceView): Candidate[] {
  const out: Candidate[] = [];
  for (const file of source.manifests('build.sbt')) {
    const dir = path.posix.dirname(file);
    // A nested build.sbt inside another sbt build is a sub-project of it.
    if (out.some((c) => dir.startsWith(`${c.path === '.' ? '' : `${c.path}/`}`) && c.path !== dir)) continue;
    out.push(describe(source, dir, file));
  }
  return out;
}

function describe(source: SourceView, dir: string, file: string): Candidate {
  const text = source.readText(file) ?? '';
  const pluginsFile = inDir(dir, 'project/plugins.sbt');
  const pluginsText = source.readText(pluginsFile) ?? '';
  const name = /^\s*(?:ThisBuild\s*\/\s*)?name\s*:=\s*"([^"]+)"/m.exec(text)?.[1] ?? /\.settings\([\s\S]*?\bname\s*:=\s*"([^"]+)"/.exec(text)?.[1];
  const version = /^\s*(?:ThisBuild\s*\/\s*)?version\s*:=\s*"([^"]+)"/m.exec(text)?.[1] ?? /\bversion\s*:=\s*"([^"]+)"/.exec(text)?.[1];
  const scalaVersion = /scalaVersion\s*:=\s*"([^"]+)"/.exec(text)?.[1];
  const facts: Fact[] = [{ file, signal: 'build.sbt', kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'scala', packageManager: 'sbt', facts, ...(name ? { name } : {}) });

  const deps: JvmDep[] = [];
  text.split('\n').forEach((l, i) => {
    if (/%\s*(Test|"test"|IntegrationTest)\b/.test(l)) return;
    for (const m of l.matchAll(/"([\w.-]+)"\s*%%?%?\s*"([\w.-]+)"/g)) if (!deps.some((d) => d.coord === `${m[1]}:${m[2]}`)) deps.push({ coord: `${m[1]}:${m[2]}`, file, line: i + 1 });
  });
  const plugins: Array<{ id: string; file: string; line?: number }> = [];
  const addPlugin = (id: string, re: RegExp, f: string, t: string) => {
    const line = lineIn(t, re);
    if (line) plugins.push({ id, file: f, line });
  };
  addPlugin('play', /"(com\.typesafe\.play|org\.playframework)"\s*%\s*"sbt-plugin"/, pluginsFile, pluginsText);
  addPlugin('play', /enablePlugins\([^)]*Play(Scala|Java)/, file, text);
  addPlugin('sbt-native-packager', /sbt-native-packager/, pluginsFile, pluginsText);
  addPlugin('sbt-assembly', /sbt-assembly/, pluginsFile, pluginsText);
  addPlugin('sbt-revolver', /sbt-revolver/, pluginsFile, pluginsText);
  const fw = jvmFramework(deps, plugins);
  if (fw.fact) facts.push(fw.fact);
  const sources = mainSources(source, dir);
  const main = findMain(sources);
  const play = plugins.some((p) => p.id === 'play');
  if (main) facts.push({ file: main.file, line: main.line, signal: main.signal, kind: 'entrypoint' });
  else if (play) facts.push({ ...plugins.find((p) => p.id === 'play')!, signal: 'Play application', kind: 'entrypoint' });

  const pin = jdkPin(source, dir);
  if (pin) {
    c.runtimeVersion = pin.version;
    facts.push(pin.fact);
  }
  const config = readJvmConfig(source, dir);
  c.backing = mergeBackingUses(configBacking(config), dependencyBacking(deps));
  if (!main && !play) {
    c.role = 'library';
    return c;
  }
  const web = jvmWeb(source, dir, fw, deps, config, sources);
  c.role = fw.web || web.portFact ? 'web' : 'worker';
  if (c.role === 'web') {
    c.port = web.port ?? 8080;
    if (web.portFact) facts.push(web.portFact);
    c.healthPath = web.healthPath;
    c.metricsPath = web.metricsPath;
  }
  const projectName = name ?? path.posix.basename(dir === '.' ? source.root : dir);
  // sbt-native-packager names the start script after `normalizedName`.
  const normalized = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const staged = plugins.some((p) => p.id === 'sbt-native-packager' || p.id === 'play');
  const assembly = plugins.some((p) => p.id === 'sbt-assembly');
  if (staged) {
    c.commands = { install: 'sbt update', build: 'sbt stage', start: `target/universal/stage/bin/${normalized}${play ? ` -Dhttp.port=${c.port ?? 9000} -Dhttp.address=0.0.0.0` : ''}` };
  } else if (assembly) {
    const jarName = /assemblyJarName\s*:=\s*"([^"]+)"/.exec(text)?.[1] ?? `${projectName}-assembly-${version ?? '0.1.0-SNAPSHOT'}.jar`;
    const bin = scalaVersion ? (scalaVersion.startsWith('3') ? scalaVersion : scalaVersion.split('.').slice(0, 2).join('.')) : undefined;
    c.commands = { install: 'sbt update', build: 'sbt assembly', start: `java -jar target/${bin ? `scala-${bin}/` : ''}${jarName}` };
  } else {
    c.commands = { install: 'sbt update', build: 'sbt compile', start: 'sbt run' };
  }
  return c;
}
