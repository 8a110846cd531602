/**
 * Ruby with Bundler: Rails, Sinatra and plain Rack apps. The port comes from the Puma config when
 * there is one (`port ENV.fetch("PORT") { 3000 }`), else the framework's default. Rails' database
 * and Action Cable adapters name the backing services; gems do too (sidekiq → redis, …).
 * A folder with a gemspec and no server is a library.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { BackingKind } from '../types.js';
import { lineIn, sourceTexts, toolVersionsPin, versionFilePin } from '../readers.js';

interface Gem {
  name: string;
  constraint?: string;
  line: number;
}

export const rubyProvider: Provider = {
  name: 'ruby',
  detect(source: SourceView): Candidate[] {
    const dirs = new Set<string>();
    for (const f of source.manifests(['Gemfile', 'config.ru'])) {
      const d = path.posix.dirname(f);
      // config.ru next to a Gemfile is the same app; a config/ folder's files never are apps.
      if (!dirs.has(d)) dirs.add(d);
    }
    return [...dirs].sort().map((d) => describe(source, d));
  },
};

function parseGemfile(text: string): { gems: Gem[]; ruby?: { version: string; line: number } } {
  const gems: Gem[] = [];
  let ruby: { version: string; line: number } | undefined;
  let groupDepth = 0;
  let testGroup = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.replace(/\s+#.*$/, '');
    const group = /^\s*group\s+(.+?)\s+do\b/.exec(l);
    if (group) {
      groupDepth++;
      if (!/:production|:default/.test(group[1]!) && /:(development|test)/.test(group[1]!)) testGroup = groupDepth;
      return;
    }
    if (/^\s*end\b/.test(l) && groupDepth > 0) {
      if (testGroup === groupDepth) testGroup = 0;
      groupDepth--;
      return;
    }
    const g = /^\s*gem\s+["']([^"']+)["'](?:\s*,\s*["']([^"']+)["'])?/.exec(l);
    if (g?.[1] && testGroup === 0 && !/group:\s*(\[?\s*:(development|test)\b)/.test(l)) gems.push({ name: g[1], ...(g[2] ? { constraint: g[2] } : {}), line: i + 1 });
    const r = /^\s*ruby\s+["']([^"']+)["']/.exec(l);
    if (r?.[1]) ruby = { version: r[1], line: i + 1 };
  });
  return { gems, ...(ruby ? { ruby } : {}) };
}

/** "~> 3.2" → "3.2", ">= 3.1.0" → "3.1.0", "ruby-3.3.0" → "3.3.0", "3.3.0p0" → "3.3.0". */
function cleanVersion(v: string): string | undefined {
  return /(\d+(?:\.\d+){0,2})/.exec(v.replace(/^ruby-/, ''))?.[1];
}

function lockedVersion(lock: string, gem: string): string | undefined {
  return new RegExp(`^ {4}${gem.replace(/[.-]/g, '\\$&')} \\(([\\d.]+)`, 'm').exec(lock)?.[1];
}

function atLeast(v: string | undefined, major: number, minor: number): boolean {
  if (!v) return false;
  const [a = 0, b = 0] = v.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

function describe(source: SourceView, dir: string): Candidate {
  const gemfile = inDir(dir, 'Gemfile');
  const lockFile = inDir(dir, 'Gemfile.lock');
  const gemText = source.readText(gemfile) ?? '';
  const lock = source.readText(lockFile) ?? '';
  const { gems, ruby } = parseGemfile(gemText);
  const facts: Fact[] = [];
  if (source.has(gemfile)) facts.push({ file: gemfile, signal: 'Gemfile', kind: 'manifest' });
  if (lock) facts.push({ file: lockFile, signal: 'Gemfile.lock', kind: 'lockfile' });
  const c = candidate({ path: dir, language: 'ruby', packageManager: source.has(gemfile) ? 'bundler' : null, facts });
  const gem = (name: string) => gems.find((g) => g.name === name);
  const fact = (g: Gem, kind: Fact['kind'], signal = `gem \`${g.name}\``): Fact => ({ file: gemfile, line: g.line, signal, kind });

  // Runtime version: .ruby-version, Gemfile `ruby`, Gemfile.lock RUBY VERSION, .tool-versions.
  const rv = versionFilePin(source, dir, '.ruby-version');
  const lockRuby = /RUBY VERSION\s+ruby ([\d.]+)/.exec(lock)?.[1];
  const tv = toolVersionsPin(source, dir, ['ruby']);
  if (rv && cleanVersion(rv.version)) {
    c.runtimeVersion = cleanVersion(rv.version)!;
    facts.push({ file: rv.file, ...(rv.line ? { line: rv.line } : {}), signal: `.ruby-version ${rv.version}`, kind: 'version' });
  } else if (ruby && cleanVersion(ruby.version)) {
    c.runtimeVersion = cleanVersion(ruby.version)!;
    facts.push({ file: gemfile, line: ruby.line, signal: `ruby "${ruby.version}"`, kind: 'version' });
  } else if (lockRuby) {
    c.runtimeVersion = lockRuby;
    facts.push({ file: lockFile, ...(lineIn(lock, /RUBY VERSION/) ? { line: lineIn(lock, /RUBY VERSION/)! } : {}), signal: `RUBY VERSION ${lockRuby}`, kind: 'version' });
  } else if (tv && cleanVersion(tv.version)) {
    c.runtimeVersion = cleanVersion(tv.version)!;
    facts.push({ file: tv.file, ...(tv.line ? { line: tv.line } : {}), signal: `.tool-versions ruby ${tv.version}`, kind: 'version' });
  }

  c.backing = gemBacking(gems, gemfile);
  const appRb = inDir(dir, 'config/application.rb');
  const rails = gem('rails') ?? gem('railties');
  const configRu = inDir(dir, 'config.ru');
  const puma = pumaPort(source, dir);
  c.commands.install = source.has(gemfile) ? 'bundle install' : null;

  if (rails || source.has(appRb)) {
    c.framework = 'rails';
    if (rails) facts.push(fact(rails, 'framework'));
    if (source.has(appRb)) facts.push({ file: appRb, ...(source.lineOf(appRb, /Rails::Application/) ? { line: source.lineOf(appRb, /Rails::Application/)! } : {}), signal: 'Rails application', kind: 'entrypoint' });
    c.port = puma?.port ?? 3000;
    if (puma) facts.push(puma.fact);
    c.commands.start = puma ? 'bundle exec puma -C config/puma.rb' : 'bundle exec rails server -b 0.0.0.0';
    const assets = source.isDir(inDir(dir, 'app/assets')) || source.isDir(inDir(dir, 'app/javascript')) || ['sprockets-rails', 'propshaft', 'jsbundling-rails', 'cssbundling-rails', 'tailwindcss-rails'].some((g) => gem(g));
    if (assets) c.commands.build = 'bundle exec rails assets:precompile';
    const version = lockedVersion(lock, 'rails') ?? lockedVersion(lock, 'railties') ?? (rails?.constraint ? cleanVersion(rails.constraint) : undefined) ?? /load_defaults\s+([\d.]+)/.exec(source.readText(appRb) ?? '')?.[1];
    const health = railsHealth(source, dir);
    if (health && (version === undefined || atLeast(version, 7, 1))) {
      c.healthPath = health.path;
      facts.push(health.fact);
    }
    c.backing = merge(databaseYml(source, dir), cableYml(source, dir), c.backing);
    return c;
  }

  const sinatra = gem('sinatra');
  const ru = source.readText(configRu);
  if (sinatra) {
    c.framework = 'sinatra';
    facts.push(fact(sinatra, 'framework'));
    const main = mainFile(source, dir, /require\s+["']sinatra(\/base)?["']/);
    const setPort = main ? /set\s+:port\s*,\s*(?:ENV\.fetch\(\s*["']PORT["']\s*(?:,\s*|\)\s*\{\s*)|ENV\[["']PORT["']\]\s*\|\|\s*)?(\d{2,5})/.exec(main.text) : null;
    if (ru !== undefined) {
      facts.push({ file: configRu, signal: 'config.ru', kind: 'entrypoint' });
      c.port = puma?.port ?? 9292;
      c.commands.start = puma ? 'bundle exec puma -C config/puma.rb' : 'bundle exec rackup -o 0.0.0.0 -p 9292';
    } else if (main) {
      facts.push({ file: main.file, line: main.line, signal: '`require "sinatra"`', kind: 'usage' });
      c.port = setPort?.[1] ? Number(setPort[1]) : 4567;
      c.commands.start = `bundle exec ruby ${path.posix.relative(dir, main.file)} -o 0.0.0.0`;
    } else c.port = 4567;
    if (puma && ru !== undefined) facts.push(puma.fact);
    else if (setPort?.[1] && main) facts.push({ file: main.file, ...(lineIn(main.text, /set\s+:port/) ? { line: lineIn(main.text, /set\s+:port/)! } : {}), signal: setPort[0], kind: 'port' });
    const h = codeHealth(source, dir);
    if (h) {
      c.healthPath = h.path;
      facts.push(h.fact);
    }
    return c;
  }

  if (ru !== undefined) {
    facts.push({ file: configRu, signal: 'config.ru', kind: 'entrypoint' });
    c.port = puma?.port ?? 9292;
    if (puma) facts.push(puma.fact);
    c.commands.start = puma ? 'bundle exec puma -C config/puma.rb' : 'bundle exec rackup -o 0.0.0.0 -p 9292';
    const h = codeHealth(source, dir);
    if (h) {
      c.healthPath = h.path;
      facts.push(h.fact);
    }
    return c;
  }
  // No server: a gem (gemspec) is a library; a script with an entry file runs as a worker.
  const main = ['main.rb', 'app.rb', 'worker.rb', 'bin/run', 'run.rb'].map((f) => inDir(dir, f)).find((f) => source.has(f));
  if (source.glob('*.gemspec', dir).length > 0 || !main) {
    c.role = 'library';
    return c;
  }
  facts.push({ file: main, signal: `entry file ${path.posix.basename(main)}`, kind: 'entrypoint' });
  c.role = 'worker';
  c.commands.start = `bundle exec ruby ${path.posix.relative(dir, main)}`;
  return c;
}

function gemBacking(gems: Gem[], gemfile: string): BackingUse[] {
  const out: BackingUse[] = [];
  for (const g of gems) {
    const kind = backingFromDependency('gem', g.name);
    if (kind && !out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file: gemfile, line: g.line, signal: `gem \`${g.name}\`` } });
  }
  return out;
}

function merge(...lists: BackingUse[][]): BackingUse[] {
  const out: BackingUse[] = [];
  for (const l of lists) for (const b of l) if (!out.some((x) => x.kind === b.kind)) out.push(b);
  return out;
}

/** `port ENV.fetch("PORT") { 3000 }`, `port 3000`, `bind "tcp://0.0.0.0:3000"` in config/puma.rb. */
function pumaPort(source: SourceView, dir: string): { port: number; fact: Fact } | undefined {
  const file = inDir(dir, 'config/puma.rb');
  const text = source.readText(file);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^\s*#/.test(l)) continue;
    const m = /^\s*port\s*\(?\s*(?:ENV\.fetch\(\s*["'][A-Z_]+["']\s*(?:,\s*|\)\s*\{\s*)|ENV\[["'][A-Z_]+["']\]\s*\|\|\s*)?["']?(\d{2,5})/.exec(l) ?? /^\s*bind\s+["'](?:tcp|http):\/\/[^:"']+:(\d{2,5})/.exec(l);
    if (m?.[1]) return { port: Number(m[1]), fact: { file, line: i + 1, signal: l.trim(), kind: 'port' } };
  }
  return undefined;
}

/** `get "up" => "rails/health#show"` in config/routes.rb (Rails ≥ 7.1). */
function railsHealth(source: SourceView, dir: string): { path: string; fact: Fact } | undefined {
  const file = inDir(dir, 'config/routes.rb');
  const text = source.readText(file);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^\s*#/.test(l)) continue;
    const m = /get\s+["']\/?([^"']+)["']\s*(?:=>|,\s*to:)\s*["']rails\/health#show["']/.exec(l);
    if (m?.[1]) return { path: `/${m[1]}`, fact: { file, line: i + 1, signal: l.trim(), kind: 'usage' } };
  }
  return undefined;
}

const ADAPTERS: Readonly<Record<string, BackingKind>> = { postgresql: 'postgres', postgis: 'postgres', mysql2: 'mysql', trilogy: 'mysql', mysql: 'mysql' };

/** The adapter of config/database.yml (production first, then any), ERB defaults included. */
function databaseYml(source: SourceView, dir: string): BackingUse[] {
  const file = inDir(dir, 'config/database.yml');
  const text = source.readText(file);
  if (text === undefined) return [];
  const lines = text.split(/\r?\n/);
  const hits: Array<{ kind: BackingKind; line: number; signal: string; prod: boolean }> = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const top = /^([A-Za-z_]+):/.exec(l);
    if (top) section = top[1]!;
    if (/^\s*#/.test(l)) continue;
    const m = /^\s*adapter:\s*(.*)$/.exec(l) ?? /^\s*url:\s*(.*)$/.exec(l);
    if (!m?.[1]) continue;
    const word = Object.keys(ADAPTERS).find((a) => new RegExp(`\\b${a}\\b`).test(m[1]!));
    const scheme = /\b(postgres(?:ql)?|mysql2?|trilogy):\/\//.exec(m[1])?.[1];
    const kind = word ? ADAPTERS[word] : scheme ? (scheme.startsWith('postgres') ? 'postgres' : 'mysql') : undefined;
    if (kind) hits.push({ kind, line: i + 1, signal: `database.yml ${section}: ${l.trim()}`, prod: section === 'production' });
  }
  const best = hits.find((h) => h.prod) ?? hits[0];
  return best ? [{ kind: best.kind, evidence: { file, line: best.line, signal: best.signal } }] : [];
}

/** `adapter: redis` for production in config/cable.yml. */
function cableYml(source: SourceView, dir: string): BackingUse[] {
  const file = inDir(dir, 'config/cable.yml');
  const text = source.readText(file);
  if (text === undefined) return [];
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const top = /^([A-Za-z_]+):/.exec(lines[i] ?? '');
    if (top) section = top[1]!;
    if (section === 'production' && /^\s*adapter:\s*redis\b/.test(lines[i] ?? '')) return [{ kind: 'redis', evidence: { file, line: i + 1, signal: 'cable.yml production adapter: redis' } }];
  }
  return [];
}

function mainFile(source: SourceView, dir: string, re: RegExp): { file: string; line: number; text: string } | undefined {
  const files = source.glob(['*.rb', 'app/*.rb', 'lib/*.rb'], dir).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  for (const { file, text } of sourceTexts(source, files, 60)) {
    const line = lineIn(text, re);
    if (line) return { file, line, text };
  }
  return undefined;
}

function codeHealth(source: SourceView, dir: string): { path: string; fact: Fact } | undefined {
  const files = source.glob(['*.rb', 'config.ru', 'app/**/*.rb', 'lib/**/*.rb'], dir);
  for (const { file, text } of sourceTexts(source, files, 80)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /\b(?:get|map)\s*\(?\s*["'](\/(?:health|healthz|healthcheck|up|ping|_health))["']/.exec(lines[i] ?? '');
      if (m?.[1]) return { path: m[1], fact: { file, line: i + 1, signal: `health route ${m[1]}`, kind: 'usage' } };
    }
  }
  return undefined;
}
