/**
 * What a package talks to: backing services from its dependencies and ORM configuration (Prisma
 * datasource, Drizzle dialect, Knex client, TypeORM/Sequelize type), a metrics endpoint when a
 * Prometheus client is used, and sibling services from dev-proxy configuration.
 */
import type { SourceView } from '../../../source/source-view.js';
import { backingFromDependency, backingFromUrl } from '../../backing.js';
import { inDir, type BackingUse, type LinkHint } from '../../provider.js';
import type { BackingKind } from '../../types.js';
import { readConfig } from './frameworks.js';
import { keyLine, type Pkg } from './package-json.js';

const DIALECTS: Record<string, BackingKind> = {
  postgresql: 'postgres', postgres: 'postgres', pg: 'postgres', cockroachdb: 'postgres', 'pg-native': 'postgres',
  mysql: 'mysql', mysql2: 'mysql', singlestore: 'mysql', mariadb: 'mariadb', mongodb: 'mongodb',
};

function addOnce(out: BackingUse[], b: BackingUse): void {
  if (!out.some((x) => x.kind === b.kind)) out.push(b);
}

export function backingOf(source: SourceView, pkg: Pkg, deps: Record<string, string>): BackingUse[] {
  const out: BackingUse[] = [];
  for (const dep of Object.keys(deps)) {
    const kind = backingFromDependency('npm', dep);
    if (kind) addOnce(out, { kind, evidence: { file: pkg.file, ...keyLine(source, pkg.file, dep), signal: `dependency \`${dep}\`` } });
  }
  const dir = pkg.dir;
  // package.json's `prisma.schema` moves the schema (`src/prisma/schema.prisma`), as Prisma's CLI reads it.
  const prismaCfg = pkg.json.prisma;
  const declared = prismaCfg && typeof prismaCfg === 'object' ? (prismaCfg as { schema?: unknown }).schema : undefined;
  const named = typeof declared === 'string' && /^[\w./-]+\.prisma$/.test(declared) && !declared.split('/').includes('..') ? [inDir(dir, declared.replace(/^\.\//, ''))] : [];
  const prisma = [...named, inDir(dir, 'prisma/schema.prisma'), inDir(dir, 'schema.prisma'), ...source.under(inDir(dir, 'prisma/schema')).filter((f) => f.endsWith('.prisma'))].find((f) => source.has(f));
  if (prisma) {
    const text = source.readText(prisma) ?? '';
    const m = /datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"(\w+)"/s.exec(text);
    const kind = m?.[1] ? DIALECTS[m[1]] : undefined;
    if (kind) addOnce(out, { kind, evidence: { file: prisma, ...lineOfRe(source, prisma, new RegExp(`provider\\s*=\\s*"${m![1]}"`)), signal: `prisma datasource provider "${m![1]}"` } });
  }
  const configs: Array<[string, RegExp]> = [
    ['drizzle.config', /\b(?:dialect|driver)\s*:\s*["'`](\w+)["'`]/],
    ['knexfile', /\bclient\s*:\s*["'`]([\w-]+)["'`]/],
    ['ormconfig', /\btype\s*:\s*["'`](\w+)["'`]/],
  ];
  for (const [base, re] of configs) {
    const cfg = readConfig(source, dir, base) ?? readConfig(source, inDir(dir, 'src'), base);
    const m = cfg ? re.exec(cfg.text) : null;
    const kind = m?.[1] ? DIALECTS[m[1]] : undefined;
    if (cfg && kind) addOnce(out, { kind, evidence: { file: cfg.file, ...lineOfRe(source, cfg.file, re), signal: `${base} ${m![0].trim()}` } });
  }
  for (const json of ['ormconfig.json', 'config/config.json']) {
    const file = inDir(dir, json);
    if (!source.has(file)) continue;
    const m = /"(?:type|dialect)"\s*:\s*"(\w+)"/.exec(source.readText(file) ?? '');
    const kind = m?.[1] ? DIALECTS[m[1]] : undefined;
    if (kind) addOnce(out, { kind, evidence: { file, ...lineOfRe(source, file, /"(?:type|dialect)"\s*:/), signal: `${json} ${m![0]}` } });
  }
  return out;
}

function lineOfRe(source: SourceView, file: string, re: RegExp): { line?: number } {
  const line = source.lineOf(file, re);
  return line ? { line } : {};
}

const METRICS_DEPS = ['prom-client', 'express-prom-bundle', 'fastify-metrics', '@willsoto/nestjs-prometheus', 'prometheus-api-metrics', 'express-prometheus-middleware', 'koa-prometheus-adv', '@opentelemetry/exporter-prometheus', '@hono/prometheus'];

export function metricsDependency(deps: Record<string, string>): string | undefined {
  return METRICS_DEPS.find((d) => deps[d] !== undefined);
}

const URL_IN_QUOTES = /["'`](https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|[a-z][a-z0-9-]*)(?::\d+)?)[^"'`]*["'`]/;

/** Dev-proxy targets: CRA `proxy`, vite/next/vue/svelte config, Angular proxy.conf, CRA setupProxy.js. */
export function proxyLinks(source: SourceView, pkg: Pkg): LinkHint[] {
  const out: LinkHint[] = [];
  const push = (url: string, file: string, line: number | undefined, what: string) => {
    if (backingFromUrl(url) || out.some((l) => l.url === url)) return;
    out.push({ url, evidence: { file, ...(line ? { line } : {}), signal: `${what} ${url}` } });
  };
  if (typeof pkg.json.proxy === 'string' && /^https?:\/\//.test(pkg.json.proxy)) push(pkg.json.proxy, pkg.file, source.lineOf(pkg.file, '"proxy"'), 'package.json dev proxy to');
  const dir = pkg.dir;
  const files: string[] = [];
  for (const base of ['vite.config', 'next.config', 'vue.config', 'svelte.config', 'nuxt.config', 'astro.config', 'webpack.config', 'proxy.conf', 'src/proxy.conf', 'src/setupProxy']) {
    const cfg = readConfig(source, dir, base);
    if (cfg) files.push(cfg.file);
  }
  for (const json of ['proxy.conf.json', 'src/proxy.conf.json']) if (source.has(inDir(dir, json))) files.push(inDir(dir, json));
  for (const file of files) {
    const lines = (source.readText(file) ?? '').split('\n');
    lines.forEach((l, i) => {
      if (/^\s*(\/\/|\*)/.test(l)) return;
      const m = URL_IN_QUOTES.exec(l);
      const context = `${lines[i - 2] ?? ''}\n${lines[i - 1] ?? ''}\n${l}`;
      if (m?.[1] && /target|destination|proxy|rewrites|["'`]\/api/i.test(context)) push(m[1], file, i + 1, 'dev proxy to');
    });
  }
  return out;
}
