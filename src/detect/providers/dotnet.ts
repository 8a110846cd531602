/**
 * .NET projects (`*.csproj`, `*.fsproj`, `*.vbproj`), optionally grouped by a solution (`*.sln`).
 * A Web SDK project (or one referencing ASP.NET Core) is a web service; a Worker SDK project or a
 * console app is a worker; class libraries and test projects are libraries. A solution folder with
 * no project of its own is a workspace root.
 *
 * Port: an address fixed in code (`UseUrls`, `app.Urls.Add`, `app.Run("http://…")`) or in
 * appsettings (`Kestrel:Endpoints`, `urls`) wins, then the `http` address of the launch profile the
 * authors run, else the container default (8080 from .NET 8 on, 80 before).
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency, backingFromUrl } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { BackingKind } from '../types.js';
import { child, children, readXml, text, type XmlNode } from '../readers.js';

const PROJECT_EXT = /\.(csproj|fsproj|vbproj)$/;
const TEST_PACKAGES = /^(Microsoft\.NET\.Test\.Sdk|xunit.*|NUnit.*|MSTest\..*|coverlet\..*)$/i;

export const dotnetProvider: Provider = {
  name: 'dotnet',
  detect(source: SourceView): Candidate[] {
    const projects = source.files.filter((f) => PROJECT_EXT.test(f) && !nonService(f));
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const file of projects.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))) {
      const dir = path.posix.dirname(file);
      if (seen.has(dir)) continue;
      seen.add(dir);
      out.push(describe(source, dir, file));
    }
    for (const sln of source.files.filter((f) => /\.slnx?$/.test(f) && !nonService(f))) {
      const dir = path.posix.dirname(sln);
      if (seen.has(dir)) continue;
      seen.add(dir);
      const listed = solutionProjects(source, sln);
      out.push(candidate({ path: dir, language: 'dotnet', packageManager: 'nuget', role: 'workspace', name: path.posix.basename(sln).replace(/\.slnx?$/, ''), facts: [{ file: sln, signal: `solution with ${listed.length} projects`, kind: 'manifest' }] }));
    }
    return out;
  },
};

function nonService(f: string): boolean {
  return f.split('/').slice(0, -1).some((s) => /^(tests?|samples?|examples?|benchmarks?|fixtures|testdata)$/i.test(s));
}

/** Projects a solution lists: `Project("{…}") = "Name", "src\Name\Name.csproj", "{…}"` (or `.slnx` XML). */
function solutionProjects(source: SourceView, sln: string): string[] {
  const textIn = source.readText(sln) ?? '';
  const dir = path.posix.dirname(sln);
  const out: string[] = [];
  for (const m of textIn.matchAll(/Project\("\{[^}]+\}"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs|vb)proj)"/g)) out.push(path.posix.normalize(inDir(dir, m[1]!.replace(/\\/g, '/'))));
  for (const m of textIn.matchAll(/<Project\s+Path="([^"]+\.(?:cs|fs|vb)proj)"/g)) out.push(path.posix.normalize(inDir(dir, m[1]!.replace(/\\/g, '/'))));
  return out;
}

interface ProjectInfo {
  sdk: string;
  props: Record<string, string>;
  packages: Array<{ name: string; line?: number }>;
  frameworkRefs: string[];
}

function readProject(source: SourceView, file: string): ProjectInfo | undefined {
  const xml = readXml(source, file);
  const project = child(xml, 'Project');
  if (!project) return undefined;
  const props: Record<string, string> = {};
  for (const pg of children(project, 'PropertyGroup')) {
    for (const [k, v] of Object.entries(pg)) {
      if (k.startsWith('@')) continue;
      const t = text(pg, k);
      if (t !== undefined && !(k in props)) props[k] = t;
      void v;
    }
  }
  const items = children(project, 'ItemGroup');
  const packages = items.flatMap((g) => children(g, 'PackageReference')).map((p) => String(p['@Include'] ?? p['@Update'] ?? '')).filter(Boolean);
  const sdkAttr = String(project['@Sdk'] ?? '') || String(child(project, 'Sdk')?.['@Name'] ?? '');
  return {
    sdk: sdkAttr,
    props,
    packages: packages.map((name) => {
      const line = source.lineOf(file, new RegExp(`Include="${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'i'));
      return { name, ...(line ? { line } : {}) };
    }),
    frameworkRefs: items.flatMap((g) => children(g, 'FrameworkReference')).map((r: XmlNode) => String(r['@Include'] ?? '')),
  };
}

/** "net8.0" → "8.0", "netcoreapp3.1" → "3.1", "net8.0-windows" → "8.0"; the newest of several. */
export function dotnetVersion(tfms: string): string | undefined {
  const vs = tfms.split(';').map((t) => /^net(?:coreapp)?(\d+\.\d+)/.exec(t.trim())?.[1]).filter((v): v is string => !!v && Number(v.split('.')[0]) >= 2);
  vs.sort((a, b) => Number(a.split('.')[0]) - Number(b.split('.')[0]) || Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return vs[vs.length - 1];
}

/** Properties set in Directory.Build.props files above the project (TargetFramework is often there). */
function inheritedProps(source: SourceView, dir: string, from: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let d = dir;
  for (;;) {
    const f = inDir(d, 'Directory.Build.props');
    if (source.has(f)) {
      const p = readProject(source, f);
      for (const [k, v] of Object.entries(p?.props ?? {})) {
        if (k in out) continue;
        out[k] = v;
        from[k] = f;
      }
    }
    if (d === '.') break;
    d = path.posix.dirname(d);
  }
  return out;
}

function describe(source: SourceView, dir: string, file: string): Candidate {
  const base = path.posix.basename(file).replace(PROJECT_EXT, '');
  const facts: Fact[] = [{ file, signal: path.posix.basename(file), kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'dotnet', packageManager: 'nuget', facts, name: base });
  const info = readProject(source, file);
  if (!info) {
    c.role = 'library';
    return c;
  }
  const from: Record<string, string> = {};
  const props = { ...inheritedProps(source, dir, from), ...info.props };
  for (const k of Object.keys(info.props)) from[k] = file;
  const isTest = /^(true)$/i.test(props.IsTestProject ?? '') || info.packages.some((p) => TEST_PACKAGES.test(p.name)) || /\.(Tests?|UnitTests|IntegrationTests|Specs)$/i.test(base);
  const web = /Microsoft\.NET\.Sdk\.Web/i.test(info.sdk) || info.frameworkRefs.includes('Microsoft.AspNetCore.App');
  const worker = /Microsoft\.NET\.Sdk\.Worker/i.test(info.sdk);
  const exe = /^(Exe|WinExe)$/i.test(props.OutputType ?? '');
  const lockFile = inDir(dir, 'packages.lock.json');
  if (source.has(lockFile)) facts.push({ file: lockFile, signal: 'packages.lock.json', kind: 'lockfile' });

  const tfm = props.TargetFramework ?? props.TargetFrameworks;
  const tfmVersion = tfm ? dotnetVersion(tfm) : undefined;
  if (tfmVersion) {
    c.runtimeVersion = tfmVersion;
    const owner = from.TargetFramework ?? from.TargetFrameworks ?? file;
    const line = source.lineOf(owner, /<TargetFrameworks?>/);
    facts.push({ file: owner, ...(line ? { line } : {}), signal: `TargetFramework ${tfm}`, kind: 'version' });
  } else {
    const gj = globalJson(source, dir);
    if (gj) {
      c.runtimeVersion = gj.version;
      facts.push(gj.fact);
    }
  }
  c.backing = packageBacking(info, file);
  const assembly = props.AssemblyName && !props.AssemblyName.includes('$(') ? props.AssemblyName : base;
  c.commands = { install: 'dotnet restore', build: 'dotnet publish -c Release -o /app/publish', start: `dotnet ${assembly}.dll` };

  if (isTest || /BlazorWebAssembly/i.test(info.sdk) || (!web && !worker && !exe)) {
    c.role = 'library';
    return c;
  }
  const sources = csSources(source, dir);
  const settings = appSettings(source, dir);
  c.backing = mergeUses(settings.backing, c.backing);
  if (!web) {
    c.role = 'worker';
    const main = sources.find((s) => /static\s+(async\s+)?(void|Task|int)\s+Main\s*\(|Host\.CreateApplicationBuilder|CreateDefaultBuilder/.test(s.text)) ?? sources.find((s) => /Program\.(cs|fs)$/.test(s.file));
    if (main) facts.push({ file: main.file, signal: 'program entry point', kind: 'entrypoint' });
    return c;
  }
  c.framework = 'aspnetcore';
  facts.push({ file, ...(source.lineOf(file, /Sdk\.Web|Microsoft\.AspNetCore\.App/) ? { line: source.lineOf(file, /Sdk\.Web|Microsoft\.AspNetCore\.App/)! } : {}), signal: /Sdk\.Web/i.test(info.sdk) ? `Sdk="${info.sdk}"` : 'FrameworkReference Microsoft.AspNetCore.App', kind: 'framework' });
  const program = sources.find((s) => /WebApplication\.Create(Builder|Slim)?|UseStartup<|ConfigureWebHostDefaults/.test(s.text));
  if (program) facts.push({ file: program.file, ...(lineOfText(program.text, /WebApplication\.Create|UseStartup<|ConfigureWebHostDefaults/) ?? {}), signal: 'ASP.NET Core host', kind: 'usage' });

  const port = codePort(sources) ?? settings.port ?? launchPort(source, dir);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
  } else c.port = tfmVersion && Number(tfmVersion.split('.')[0]) < 8 ? 80 : 8080;

  for (const s of sources) {
    const m = /MapHealthChecks\(\s*"([^"]+)"/.exec(s.text);
    if (m?.[1]) {
      c.healthPath = m[1].startsWith('/') ? m[1] : `/${m[1]}`;
      facts.push({ file: s.file, ...(lineOfText(s.text, /MapHealthChecks\(/) ?? {}), signal: `MapHealthChecks("${m[1]}")`, kind: 'usage' });
      break;
    }
  }
  const metricsPath = sources.map((s) => /MapMetrics\(\s*"([^"]+)"/.exec(s.text)?.[1]).find(Boolean);
  if (info.packages.some((p) => /^(prometheus-net\.AspNetCore|OpenTelemetry\.Exporter\.Prometheus\.AspNetCore)$/i.test(p.name))) c.metricsPath = metricsPath ?? '/metrics';
  return c;
}

function lineOfText(t: string, re: RegExp): { line: number } | undefined {
  const i = t.split('\n').findIndex((l) => re.test(l));
  return i >= 0 ? { line: i + 1 } : undefined;
}

function globalJson(source: SourceView, dir: string): { version: string; fact: Fact } | undefined {
  let d = dir;
  for (;;) {
    const f = inDir(d, 'global.json');
    if (source.has(f)) {
      const v = source.readJson<{ sdk?: { version?: string } }>(f).value?.sdk?.version;
      const mm = typeof v === 'string' ? /^(\d+\.\d+)/.exec(v)?.[1] : undefined;
      if (mm) return { version: mm, fact: { file: f, ...(source.lineOf(f, '"version"') ? { line: source.lineOf(f, '"version"')! } : {}), signal: `global.json sdk ${v}`, kind: 'version' } };
    }
    if (d === '.') return undefined;
    d = path.posix.dirname(d);
  }
}

function csSources(source: SourceView, dir: string): Array<{ file: string; text: string }> {
  const files = source.glob(['*.{cs,fs,vb}', '{Program,Startup}.*', 'Extensions/*.cs', 'Infrastructure/*.cs', 'Endpoints/*.cs'], dir).filter((f) => !/\/(bin|obj)\//.test(f));
  const out: Array<{ file: string; text: string }> = [];
  for (const f of [...new Set(files)].slice(0, 80)) {
    const t = source.readText(f);
    if (t !== undefined) out.push({ file: f, text: t });
  }
  return out.sort((a, b) => Number(!/Program\./.test(a.file)) - Number(!/Program\./.test(b.file)));
}

const URL_PORT = /https?:\/\/(?:\*|\+|0\.0\.0\.0|localhost|\[::\]|[\w.-]+):(\d{2,5})/;

function codePort(sources: Array<{ file: string; text: string }>): { port: number; fact: Fact } | undefined {
  const res = [/UseUrls\(\s*"([^"]+)"/, /Urls\.Add\(\s*"([^"]+)"/, /\bapp\.Run\(\s*"([^"]+)"/, /Listen(?:Any|Local)?IP\w*\(\s*(?:IPAddress\.\w+\s*,\s*)?(\d{2,5})/, /\.ListenLocalhost\(\s*(\d{2,5})/, /new\s+ServerPort\(\s*"[^"]*"\s*,\s*(\d{2,5})/];
  for (const { file, text: t } of sources) {
    const lines = t.split('\n');
    for (let i = 0; i < lines.length; i++) {
      for (const re of res) {
        const m = re.exec(lines[i] ?? '');
        const p = m?.[1] ? Number(/^\d+$/.test(m[1]) ? m[1] : URL_PORT.exec(m[1])?.[1]) : NaN;
        if (Number.isInteger(p) && p > 0 && p < 65536) return { port: p, fact: { file, line: i + 1, signal: lines[i]!.trim().slice(0, 120), kind: 'port' } };
      }
    }
  }
  return undefined;
}

/** The http address of the first `Project` launch profile (what `dotnet run` serves). */
function launchPort(source: SourceView, dir: string): { port: number; fact: Fact } | undefined {
  const f = inDir(dir, 'Properties/launchSettings.json');
  if (!source.has(f)) return undefined;
  const ls = source.readJson<{ profiles?: Record<string, { commandName?: string; applicationUrl?: string; environmentVariables?: Record<string, string> }> }>(f).value;
  for (const p of Object.values(ls?.profiles ?? {})) {
    if (p?.commandName !== 'Project') continue;
    const env = p.environmentVariables ?? {};
    const fromEnv = env.ASPNETCORE_HTTP_PORTS ?? env.ASPNETCORE_URLS;
    const urls = (fromEnv ?? p.applicationUrl ?? '').split(';').map((u) => u.trim());
    const http = urls.find((u) => u.startsWith('http://')) ?? (/^\d+$/.test(fromEnv ?? '') ? fromEnv : undefined);
    const port = http ? Number(/^\d+$/.test(http) ? http : URL_PORT.exec(http)?.[1]) : NaN;
    if (Number.isInteger(port) && port > 0) {
      const line = source.lineOf(f, http!) ?? source.lineOf(f, 'applicationUrl');
      return { port, fact: { file: f, ...(line ? { line } : {}), signal: `launch profile ${http}`, kind: 'port' } };
    }
  }
  return undefined;
}

function packageBacking(info: ProjectInfo, file: string): BackingUse[] {
  const out: BackingUse[] = [];
  for (const p of info.packages) {
    const kind = backingFromDependency('nuget', p.name);
    if (kind && !out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file, ...(p.line ? { line: p.line } : {}), signal: `PackageReference \`${p.name}\`` } });
  }
  return out;
}

function mergeUses(...lists: BackingUse[][]): BackingUse[] {
  const out: BackingUse[] = [];
  for (const l of lists) for (const b of l) if (!out.some((x) => x.kind === b.kind)) out.push(b);
  return out;
}

/** Connection strings (by name, URL or well-known port) and Kestrel/urls ports from appsettings*.json. */
function appSettings(source: SourceView, dir: string): { backing: BackingUse[]; port?: { port: number; fact: Fact } } {
  const backing: BackingUse[] = [];
  let port: { port: number; fact: Fact } | undefined;
  for (const name of ['appsettings.json', 'appsettings.Production.json', 'appsettings.Development.json']) {
    const f = inDir(dir, name);
    if (!source.has(f)) continue;
    const json = source.readJson<Record<string, unknown>>(f).value;
    if (!json || typeof json !== 'object') continue;
    const conns = (json.ConnectionStrings ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(conns)) {
      if (typeof value !== 'string') continue;
      const kind = connectionKind(key, value);
      const line = source.lineOf(f, `"${key}"`);
      if (kind && !backing.some((b) => b.kind === kind)) backing.push({ kind, evidence: { file: f, ...(line ? { line } : {}), signal: `ConnectionStrings:${key}` } });
    }
    if (!port && name !== 'appsettings.Development.json') {
      const kestrel = (((json.Kestrel as XmlNode | undefined)?.Endpoints as XmlNode | undefined) ?? {}) as Record<string, { Url?: string }>;
      const url = Object.values(kestrel).map((e) => e?.Url).find((u) => typeof u === 'string' && u.startsWith('http://')) ?? (typeof json.urls === 'string' ? json.urls : typeof json.Urls === 'string' ? json.Urls : undefined);
      const p = url ? Number(URL_PORT.exec(url)?.[1]) : NaN;
      if (url && Number.isInteger(p)) port = { port: p, fact: { file: f, ...(source.lineOf(f, url) ? { line: source.lineOf(f, url)! } : {}), signal: `Kestrel url ${url}`, kind: 'port' } };
    }
  }
  return { backing, ...(port ? { port } : {}) };
}

function connectionKind(key: string, value: string): BackingKind | undefined {
  const byUrl = backingFromUrl(value);
  if (byUrl) return byUrl;
  const k = key.toLowerCase();
  const v = value.toLowerCase();
  if (/redis|cache/.test(k) || /:6379\b/.test(v)) return 'redis';
  if (/postgres|npgsql|pg\b/.test(k) || /port=5432|host=.*;\s*(username|user id)=/.test(v)) return 'postgres';
  if (/mongo/.test(k)) return 'mongodb';
  if (/rabbit|amqp/.test(k)) return 'rabbitmq';
  if (/maria/.test(k)) return 'mariadb';
  if (/mysql/.test(k) || /port=3306/.test(v)) return 'mysql';
  return undefined;
}
