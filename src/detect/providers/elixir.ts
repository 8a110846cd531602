/**
 * Elixir with Mix: Phoenix and Plug/Bandit apps, built as a Mix release.
 *
 * Umbrella rule: an umbrella root (`apps_path:` in mix.exs) is the one deployable release; it is
 * described as the service, with the framework, port, health route and backing services of its
 * apps merged in. The apps under it are libraries of that release, never services of their own.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { BackingKind } from '../types.js';
import { lineIn, sourceTexts, toolVersionsPin } from '../readers.js';

interface Mix {
  file: string;
  dir: string;
  text: string;
  app?: string;
  umbrella?: string;
  deps: Array<{ name: string; line: number }>;
}

export const elixirProvider: Provider = {
  name: 'elixir',
  detect(source: SourceView): Candidate[] {
    const mixes = source.manifests('mix.exs').map((file) => readMix(source, file));
    const umbrellas = mixes.filter((m) => m.umbrella !== undefined);
    const memberOf = (m: Mix) => umbrellas.find((u) => u !== m && m.dir.startsWith(`${inDir(u.dir, u.umbrella!)}/`));
    return mixes.map((m) => {
      if (m.umbrella !== undefined) return describe(source, m, mixes.filter((x) => memberOf(x) === m));
      const c = describe(source, m, []);
      if (memberOf(m)) {
        c.role = 'library';
        c.facts.push({ file: m.file, signal: 'app of an umbrella project (released from the umbrella root)', kind: 'heuristic' });
      }
      return c;
    });
  },
};

function readMix(source: SourceView, file: string): Mix {
  const text = source.readText(file) ?? '';
  const deps: Mix['deps'] = [];
  text.split('\n').forEach((l, i) => {
    const m = /\{\s*:([a-z_][a-z0-9_]*)\s*,/.exec(l);
    if (m?.[1] && !/only:\s*(\[\s*)?:(dev|test)\b(?!.*:prod)/.test(l) && !/^\s*#/.test(l)) deps.push({ name: m[1], line: i + 1 });
  });
  const app = /\bapp:\s*:([a-z_][a-z0-9_]*)/.exec(text)?.[1];
  const umbrella = /\bapps_path:\s*"([^"]+)"/.exec(text)?.[1];
  return { file, dir: path.posix.dirname(file), text, deps, ...(app ? { app } : {}), ...(umbrella ? { umbrella } : {}) };
}

function describe(source: SourceView, mix: Mix, members: Mix[]): Candidate {
  const facts: Fact[] = [{ file: mix.file, signal: 'mix.exs', kind: 'manifest' }];
  const release = /releases:\s*\[\s*([a-z_][a-z0-9_]*):/.exec(mix.text)?.[1];
  const name = release ?? mix.app;
  const c = candidate({ path: mix.dir, language: 'elixir', packageManager: 'mix', facts, ...(name ? { name: name.replace(/_/g, '-') } : {}) });
  const lock = inDir(mix.dir, 'mix.lock');
  if (source.has(lock)) facts.push({ file: lock, signal: 'mix.lock', kind: 'lockfile' });

  const tv = toolVersionsPin(source, mix.dir, ['elixir']);
  const constraint = /\belixir:\s*"([^"]+)"/.exec(mix.text);
  const fromTv = tv ? /^(\d+\.\d+(?:\.\d+)?)/.exec(tv.version)?.[1] : undefined;
  if (tv && fromTv) {
    c.runtimeVersion = fromTv;
    facts.push({ file: tv.file, ...(tv.line ? { line: tv.line } : {}), signal: `.tool-versions elixir ${tv.version}`, kind: 'version' });
  } else if (constraint?.[1]) {
    const v = /(\d+\.\d+(?:\.\d+)?)/.exec(constraint[1])?.[1];
    if (v) {
      c.runtimeVersion = v;
      facts.push({ file: mix.file, ...(lineIn(mix.text, /\belixir:\s*"/) ? { line: lineIn(mix.text, /\belixir:\s*"/)! } : {}), signal: `elixir: "${constraint[1]}"`, kind: 'version' });
    }
  }

  const all = [mix, ...members];
  const deps = all.flatMap((m) => m.deps.map((d) => ({ ...d, file: m.file })));
  c.backing = mergeUses(...all.map((m) => adapterBacking(source, m.dir)), ...(members.length ? [adapterBacking(source, mix.dir)] : []), depBacking(deps));
  const phoenix = deps.find((d) => d.name === 'phoenix');
  const server = deps.find((d) => /^(plug_cowboy|bandit|cowboy)$/.test(d.name));
  const startApp = release ?? mix.app ?? (members.length ? path.posix.basename(mix.dir === '.' ? source.root : mix.dir).replace(/-/g, '_') : undefined);
  c.commands = {
    install: 'mix deps.get --only prod',
    build: `${all.some((m) => /"assets\.deploy"/.test(m.text)) ? 'mix assets.deploy && ' : ''}mix release`,
    start: startApp ? `bin/${startApp} start` : null,
  };
  const hasApplication = all.some((m) => /\bmod:\s*\{/.test(m.text));
  if (!phoenix && !server) {
    // An OTP application callback (`mod:`) runs supervised processes: a worker; without one, a library.
    c.role = hasApplication ? 'worker' : 'library';
    return c;
  }
  const hit = phoenix ?? server!;
  if (phoenix) c.framework = 'phoenix';
  facts.push({ file: hit.file, line: hit.line, signal: `dependency \`${hit.name}\``, kind: 'framework' });
  const port = phoenix ? phoenixPort(source, all) : plugPort(source, all);
  c.port = port?.port ?? 4000;
  if (port) facts.push(port.fact);
  const health = healthRoute(source, all);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  if (deps.some((d) => /^(prom_ex|telemetry_metrics_prometheus|prometheus_plugs|peep)$/.test(d.name))) c.metricsPath = '/metrics';
  return c;
}

function mergeUses(...lists: BackingUse[][]): BackingUse[] {
  const out: BackingUse[] = [];
  for (const l of lists) for (const b of l) if (!out.some((x) => x.kind === b.kind)) out.push(b);
  return out;
}

function depBacking(deps: Array<{ name: string; line: number; file: string }>): BackingUse[] {
  const out: BackingUse[] = [];
  for (const d of deps) {
    const kind = backingFromDependency('hex', d.name);
    if (kind && !out.some((b) => b.kind === kind)) out.push({ kind, evidence: { file: d.file, line: d.line, signal: `dependency \`${d.name}\`` } });
  }
  return out;
}

const ADAPTERS: Readonly<Record<string, BackingKind>> = { Postgres: 'postgres', MyXQL: 'mysql', MySQL: 'mysql' };

/** `adapter: Ecto.Adapters.Postgres` in config/*.exs or a Repo module. */
function adapterBacking(source: SourceView, dir: string): BackingUse[] {
  const files = source.glob(['config/*.exs', 'lib/**/repo.ex'], dir);
  for (const { file, text } of sourceTexts(source, files, 40)) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /adapter:\s*Ecto\.Adapters\.(\w+)/.exec(lines[i] ?? '');
      const kind = m?.[1] ? ADAPTERS[m[1]] : undefined;
      if (kind) return [{ kind, evidence: { file, line: i + 1, signal: `adapter: Ecto.Adapters.${m![1]}` } }];
    }
  }
  return [];
}

/** The production port: config/runtime.exs (`System.get_env("PORT") || "4000"`), then prod.exs/config.exs. */
function phoenixPort(source: SourceView, mixes: Mix[]): { port: number; fact: Fact } | undefined {
  const files = mixes.flatMap((m) => ['config/runtime.exs', 'config/prod.exs', 'config/config.exs'].map((f) => inDir(m.dir, f))).filter((f) => source.has(f));
  const res = [/get_env\(\s*"PORT"\s*(?:,\s*"(\d{2,5})"\s*)?\)\s*(?:\|\|\s*"?(\d{2,5}))?/, /\bport:\s*(\d{2,5})\b/];
  for (const re of res) {
    for (const f of files) {
      const lines = (source.readText(f) ?? '').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (/^\s*#/.test(lines[i] ?? '')) continue;
        const m = re.exec(lines[i] ?? '');
        const p = Number(m?.[1] ?? m?.[2]);
        if (m && Number.isInteger(p) && p > 0 && p < 65536) return { port: p, fact: { file: f, line: i + 1, signal: lines[i]!.trim(), kind: 'port' } };
      }
    }
  }
  return undefined;
}

/** `{Bandit, plug: App.Router, port: 4001}` / `Plug.Cowboy.http(…, port: 8080)` in lib/. */
function plugPort(source: SourceView, mixes: Mix[]): { port: number; fact: Fact } | undefined {
  for (const m of mixes) {
    for (const { file, text } of sourceTexts(source, source.glob(['lib/**/*.ex', 'config/runtime.exs'], m.dir), 60)) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const hit = /\bport:\s*(?:String\.to_integer\(System\.get_env\("PORT"\)\s*\|\|\s*"(\d+)"\)|(\d{2,5}))/.exec(lines[i] ?? '') ?? /get_env\(\s*"PORT"\s*,\s*"(\d{2,5})"/.exec(lines[i] ?? '');
        const p = Number(hit?.[1] ?? hit?.[2]);
        if (hit && Number.isInteger(p) && p > 0) return { port: p, fact: { file, line: i + 1, signal: lines[i]!.trim(), kind: 'port' } };
      }
    }
  }
  return undefined;
}

/** A health route in a Phoenix/Plug router, with the `scope` prefixes around it. */
function healthRoute(source: SourceView, mixes: Mix[]): { path: string; fact: Fact } | undefined {
  for (const m of mixes) {
    const routers = source.glob(['lib/**/router.ex', 'lib/**/*_router.ex', 'lib/**/endpoint.ex'], m.dir);
    for (const { file, text } of sourceTexts(source, routers, 20)) {
      const lines = text.split('\n');
      const scopes: Array<{ indent: number; prefix: string }> = [];
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i] ?? '';
        const indent = /^\s*/.exec(l)![0].length;
        if (/^\s*end\b/.test(l)) {
          while (scopes.length && scopes[scopes.length - 1]!.indent >= indent) scopes.pop();
          continue;
        }
        const scope = /^\s*scope\s+"([^"]*)"/.exec(l);
        if (scope && /\bdo\s*$/.test(l)) {
          scopes.push({ indent, prefix: scope[1]! });
          continue;
        }
        const route = /^\s*(?:get|forward|match\s+:get,)\s+"(\/?(?:health|healthz|healthcheck|_health|up|ping|status)(?:\/[\w-]*)?)"/.exec(l) ?? /plug\s+\w+[\w.]*,\s*path:\s*"(\/[\w/-]*health[\w/-]*)"/.exec(l);
        if (route?.[1]) {
          const full = ['', ...scopes.map((s) => s.prefix), route[1]].join('/').replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
          return { path: full, fact: { file, line: i + 1, signal: l.trim(), kind: 'usage' } };
        }
      }
    }
  }
  return undefined;
}
