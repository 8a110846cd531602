/**
 * JavaScript frameworks: which one a package declares, whether it is used, how it runs in
 * production and whether its build is a static site (SPA, static export) rather than a server.
 */
import path from 'node:path';
import type { SourceView } from '../../../source/source-view.js';
import { inDir, type Fact } from '../../provider.js';
import type { Framework } from '../../types.js';

export interface FrameworkDef {
  id: Framework;
  deps: RegExp;
  /** `meta`: decides how the app builds and runs (SSR or static); `server`: an HTTP server library; `spa`: builds static files. */
  kind: 'meta' | 'server' | 'spa';
}

/** Meta frameworks first: they also declare react, vite or express, and they decide how the app runs. */
export const FRAMEWORKS: readonly FrameworkDef[] = [
  { id: 'nextjs', deps: /^next$/, kind: 'meta' },
  { id: 'nuxt', deps: /^(nuxt|nuxt3|nuxt-edge)$/, kind: 'meta' },
  { id: 'tanstack-start', deps: /^@tanstack\/(react-|solid-)?start$/, kind: 'meta' },
  { id: 'remix', deps: /^@remix-run\/(node|serve|express|react|dev)$/, kind: 'meta' },
  { id: 'react-router', deps: /^@react-router\/(dev|node|serve)$/, kind: 'meta' },
  { id: 'sveltekit', deps: /^@sveltejs\/kit$/, kind: 'meta' },
  { id: 'astro', deps: /^astro$/, kind: 'meta' },
  { id: 'angular', deps: /^@angular\/core$/, kind: 'meta' },
  { id: 'expo', deps: /^expo$/, kind: 'meta' },
  // Qwik City (Qwik 1) and its successor Qwik Router (Qwik 2): plain `@builder.io/qwik` is a component library.
  { id: 'qwik-city', deps: /^(@builder\.io\/qwik-city|@qwik\.dev\/router)$/, kind: 'meta' },
  { id: 'create-react-app', deps: /^react-scripts$/, kind: 'spa' },
  { id: 'nestjs', deps: /^@nestjs\/core$/, kind: 'server' },
  { id: 'fastify', deps: /^fastify$/, kind: 'server' },
  { id: 'koa', deps: /^koa$/, kind: 'server' },
  { id: 'hono', deps: /^hono$/, kind: 'server' },
  { id: 'express', deps: /^express$/, kind: 'server' },
  { id: 'vite', deps: /^(vite|rolldown-vite)$/, kind: 'spa' },
];

const IMPORT = (mod: string) => new RegExp(`(?:require\\(\\s*|from\\s+|import\\s+|import\\(\\s*)["'](?:npm:)?${mod}(?:@[\\w.^~-]+)?(?:/[\\w/-]*)?["']`);

/** What shows that a server framework is used, not only declared. */
export const USAGE: Partial<Record<Framework, RegExp>> = {
  express: IMPORT('express'),
  fastify: IMPORT('fastify'),
  koa: IMPORT('koa'),
  hono: IMPORT('(?:hono|@hono/hono|@hono/node-server)'),
  nestjs: /from\s+["']@nestjs\/core["']|NestFactory\.create/,
};

export const DEFAULT_PORTS: Partial<Record<Framework, number>> = {
  nextjs: 3000, nuxt: 3000, remix: 3000, 'react-router': 3000, 'tanstack-start': 3000, 'qwik-city': 3000, sveltekit: 3000, astro: 4321, angular: 4000,
  nestjs: 3000, express: 3000, fastify: 3000, koa: 3000, hono: 3000, expo: 8081,
};

/** Frameworks whose default port is only a convention of their docs, not something the framework enforces. */
export const WEAK_DEFAULT: ReadonlySet<Framework> = new Set(['express', 'fastify', 'koa', 'hono', 'qwik-city']);

/**
 * Qwik City's server adapters (`qwik add node-server|express|fastify`): each writes
 * adapters/<name>/vite.config.ts, which builds src/entry.<name>.tsx to server/entry.<name>.js.
 */
const QWIK_NODE_ADAPTERS = ['node-server', 'express', 'fastify'] as const;

/** The Qwik City server adapter the package has (adapters/<name>/vite.config.*), or undefined. */
export function qwikAdapter(source: SourceView, dir: string): { name: string; file: string } | undefined {
  for (const name of [...QWIK_NODE_ADAPTERS, 'static']) {
    const cfg = readConfig(source, dir, `adapters/${name}/vite.config`);
    if (cfg) return { name, file: cfg.file };
  }
  return undefined;
}

/**
 * Source files of the server a start command runs, when the framework builds it from a file of
 * another name: Qwik City's `node server/entry.node-server` is built from src/entry.node-server.tsx.
 */
export function frameworkEntries(source: SourceView, dir: string, fw: Framework | undefined, start: string | undefined): string[] {
  if (fw !== 'qwik-city' || !start) return [];
  const name = /\bserver\/entry\.([\w-]+?)(?:\.[cm]?js)?(?:\s|$)/.exec(start)?.[1];
  if (!name) return [];
  return ['.tsx', '.ts', '.jsx', '.js'].map((e) => inDir(dir, `src/entry.${name}${e}`)).filter((f) => source.has(f));
}

export function readConfig(source: SourceView, dir: string, base: string): { file: string; text: string } | undefined {
  for (const ext of ['.ts', '.mts', '.mjs', '.js', '.cjs']) {
    const file = inDir(dir, `${base}${ext}`);
    if (!source.has(file)) continue;
    const text = source.readText(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"'`])\/\/.*$/gm, '$1');
}

export interface StaticOutput {
  dir: string;
  fact: Fact;
  /** A script other than `build` that produces the static files (nuxt generate). */
  buildScript?: string;
  /** The framework's own command for the static files, when the package has no script for them (Expo's web export). */
  buildCommand?: string;
}

function fact(file: string, signal: string, line?: number): Fact {
  return { file, ...(line ? { line } : {}), signal, kind: 'framework' };
}

function quoted(text: string, key: string): string | undefined {
  return new RegExp(`\\b${key}\\s*:\\s*["'\`]([^"'\`]+)["'\`]`).exec(text)?.[1];
}

interface AngularJson {
  projects?: Record<string, { projectType?: string; architect?: Record<string, { builder?: string; options?: { outputPath?: unknown; ssr?: unknown; server?: unknown } }> }>;
}

/** Angular build output and whether it server-renders. */
export function angularInfo(source: SourceView, dir: string, deps: Record<string, string>): { project?: string; outputBase: string; browserDir: string; ssr: boolean } {
  const ng = source.readJson<AngularJson>(inDir(dir, 'angular.json')).value;
  const entries = Object.entries(ng?.projects ?? {});
  const app = entries.find(([, p]) => p.projectType === 'application') ?? entries[0];
  const build = app?.[1].architect?.build;
  const out = build?.options?.outputPath;
  const major = Number(/(\d+)/.exec(deps['@angular/core'] ?? '')?.[1] ?? 0);
  const appBuilder = /:application$/.test(build?.builder ?? '') || (build?.builder === undefined && major >= 17);
  let outputBase = app ? `dist/${app[0]}` : 'dist';
  let browserDir = appBuilder ? `${outputBase}/browser` : outputBase;
  if (typeof out === 'string') {
    outputBase = out.replace(/^\.\//, '').replace(/\/$/, '');
    browserDir = appBuilder ? `${outputBase}/browser` : outputBase;
  } else if (out && typeof out === 'object') {
    const o = out as { base?: unknown; browser?: unknown };
    if (typeof o.base === 'string') outputBase = o.base.replace(/\/$/, '');
    browserDir = typeof o.browser === 'string' ? (o.browser === '' ? outputBase : `${outputBase}/${o.browser}`) : `${outputBase}/browser`;
  }
  const ssr = Boolean(deps['@angular/ssr'] || deps['@nguniversal/express-engine'] || build?.options?.ssr || build?.options?.server);
  const result: { project?: string; outputBase: string; browserDir: string; ssr: boolean } = { outputBase, browserDir, ssr };
  if (app) result.project = app[0];
  return result;
}

/** The static build output, when this framework (as configured) builds a static site rather than a server. */
export function staticOutput(source: SourceView, dir: string, fw: Framework, deps: Record<string, string>, scripts: Record<string, string>): StaticOutput | undefined {
  const pkgFile = inDir(dir, 'package.json');
  switch (fw) {
    case 'vite': {
      const cfg = readConfig(source, dir, 'vite.config');
      const outDir = cfg ? quoted(stripComments(cfg.text), 'outDir') : undefined;
      return { dir: outDir?.replace(/^\.\//, '') ?? 'dist', fact: fact(cfg?.file ?? pkgFile, `vite build without a server framework: static output in ${outDir ?? 'dist'}`, cfg && outDir !== undefined ? source.lineOf(cfg.file, /\boutDir\s*:/) : undefined) };
    }
    case 'create-react-app':
      return { dir: 'build', fact: fact(pkgFile, 'create-react-app build: static output in build', source.lineOf(pkgFile, '"react-scripts"')) };
    case 'angular': {
      const ng = angularInfo(source, dir, deps);
      if (ng.ssr) return undefined;
      return { dir: ng.browserDir, fact: fact(source.has(inDir(dir, 'angular.json')) ? inDir(dir, 'angular.json') : pkgFile, `Angular app without SSR: static output in ${ng.browserDir}`) };
    }
    case 'astro': {
      const adapter = Object.keys(deps).find((d) => /^@astrojs\/(node|vercel|netlify|cloudflare|deno)$/.test(d) || d === '@deno/astro-adapter');
      if (adapter) return undefined;
      const cfg = readConfig(source, dir, 'astro.config');
      const text = cfg ? stripComments(cfg.text) : '';
      if (/\badapter\s*:/.test(text)) return undefined;
      const outDir = quoted(text, 'outDir')?.replace(/^\.\//, '') ?? 'dist';
      return { dir: outDir, fact: fact(cfg?.file ?? pkgFile, `Astro without a server adapter: static output in ${outDir}`, cfg ? source.lineOf(cfg.file, /\boutDir\s*:/) : undefined) };
    }
    case 'nextjs': {
      const cfg = readConfig(source, dir, 'next.config');
      const text = cfg ? stripComments(cfg.text) : '';
      const exported = /output\s*:\s*["']export["']/.test(text);
      const legacy = /\bnext\s+export\b/.test(scripts.build ?? '');
      if (!exported && !legacy) return undefined;
      const outDir = quoted(text, 'distDir') ?? 'out';
      return cfg && exported
        ? { dir: outDir, fact: fact(cfg.file, "next output: 'export' (static export)", source.lineOf(cfg.file, /output\s*:\s*["']export["']/)) }
        : { dir: 'out', fact: fact(pkgFile, 'build runs `next export` (static export)', source.lineOf(pkgFile, 'next export')) };
    }
    case 'nuxt': {
      const cfg = readConfig(source, dir, 'nuxt.config');
      const text = cfg ? stripComments(cfg.text) : '';
      const spa = /\bssr\s*:\s*false/.test(text);
      const generateBuild = /\bnuxi?\s+generate\b/.test(scripts.build ?? '');
      const generate = Object.entries(scripts).find(([, s]) => /\bnuxi?\s+generate\b/.test(s))?.[0];
      if (generateBuild) return { dir: '.output/public', fact: fact(pkgFile, 'build runs `nuxt generate` (static site)', source.lineOf(pkgFile, /nuxi? generate/)) };
      if (spa && cfg) {
        const out: StaticOutput = { dir: '.output/public', fact: fact(cfg.file, 'nuxt ssr: false (client-side app, generated as static files)', source.lineOf(cfg.file, /ssr\s*:\s*false/)) };
        if (generate) out.buildScript = generate;
        return out;
      }
      return undefined;
    }
    case 'sveltekit': {
      if (!deps['@sveltejs/adapter-static']) return undefined;
      const cfg = readConfig(source, dir, 'svelte.config');
      const pages = cfg ? quoted(stripComments(cfg.text), 'pages') : undefined;
      return { dir: pages ?? 'build', fact: fact(pkgFile, `SvelteKit adapter-static: static output in ${pages ?? 'build'}`, source.lineOf(pkgFile, '@sveltejs/adapter-static')) };
    }
    case 'react-router': {
      const cfg = readConfig(source, dir, 'react-router.config');
      const line = cfg ? source.lineOf(cfg.file, /\bssr\s*:\s*false/) : undefined;
      return cfg && line ? { dir: 'build/client', fact: fact(cfg.file, 'react-router ssr: false (SPA mode): static output in build/client', line) } : undefined;
    }
    case 'qwik-city': {
      // `qwik add static` writes adapters/static: `qwik build` then pre-renders every page into dist.
      const adapter = qwikAdapter(source, dir);
      if (adapter?.name !== 'static') return undefined;
      return { dir: 'dist', fact: fact(adapter.file, 'Qwik City static adapter: static output in dist') };
    }
    case 'expo': {
      if (/\bexpo\s+export\b/.test(scripts.build ?? '')) return { dir: 'dist', fact: fact(pkgFile, 'build runs `expo export` (static web build)', source.lineOf(pkgFile, 'expo export')) };
      // create-expo-app writes no build script: its web target is `expo export -p web` (Expo's
      // "Publishing websites"), static unless app.json asks for server output (API routes).
      if (!deps['react-native-web'] || !deps['react-dom']) return undefined;
      const appJson = inDir(dir, 'app.json');
      const output = (source.readJson<{ expo?: { web?: { output?: unknown } } }>(appJson).value?.expo?.web?.output as string | undefined) ?? 'single';
      if (output === 'server') return undefined;
      const line = source.has(appJson) ? source.lineOf(appJson, /"output"\s*:/) : undefined;
      return { dir: 'dist', buildCommand: 'expo export -p web', fact: fact(source.has(appJson) && line ? appJson : pkgFile, `Expo web (react-native-web, web.output ${output}): \`expo export -p web\` writes dist`, line) };
    }
    default:
      return undefined;
  }
}

/**
 * Why a meta-framework app has no server a container can run, where that shows, and the way out: it
 * builds for a hosting platform (SvelteKit's and Astro's Vercel, Netlify, Cloudflare adapters) or it
 * is a mobile app (Expo without react-native-web). Undefined when the reason is not known.
 */
export function noServer(source: SourceView, dir: string, fw: Framework, deps: Record<string, string>): { file: string; line?: number; message: string } | undefined {
  const pkgFile = inDir(dir, 'package.json');
  const at = (file: string, pattern: RegExp | string) => {
    const line = source.lineOf(file, pattern);
    return { file, ...(line ? { line } : {}) };
  };
  if (fw === 'sveltekit' || fw === 'astro') {
    const prefix = fw === 'sveltekit' ? '@sveltejs/adapter-' : '@astrojs/';
    const adapter = Object.keys(deps).find((d) => d.startsWith(prefix) && /(vercel|netlify|cloudflare)/.test(d));
    if (!adapter) return undefined;
    const cfg = readConfig(source, dir, fw === 'sveltekit' ? 'svelte.config' : 'astro.config');
    const where = cfg && source.lineOf(cfg.file, adapter) ? at(cfg.file, adapter) : at(pkgFile, `"${adapter}"`);
    const node = fw === 'sveltekit' ? '@sveltejs/adapter-node' : '@astrojs/node';
    return { ...where, message: `builds with ${adapter}, output for that platform that no container runs; to containerise it, install ${node} and use it as the adapter in ${cfg ? path.posix.basename(cfg.file) : 'its config'}, then run init again` };
  }
  if (fw === 'expo' && !deps['react-native-web']) {
    return { ...at(pkgFile, '"expo"'), message: 'a mobile app (Expo without react-native-web): built with EAS and installed on devices, not run in a container; `expo start` is its development server' };
  }
  return undefined;
}

/** Production start command a framework implies when the package has no usable start script. */
export function frameworkStart(source: SourceView, dir: string, fw: Framework, deps: Record<string, string>, scripts: Record<string, string>): string | null {
  switch (fw) {
    case 'nextjs':
      return 'next start';
    case 'nuxt':
    case 'tanstack-start':
      return 'node .output/server/index.mjs';
    case 'sveltekit':
      // adapter-auto (what `sv create` writes) builds with adapter-node in a container: the image's
      // build stage takes adapter-auto's own Cloud Run route (see the node Dockerfile context).
      return deps['@sveltejs/adapter-node'] || deps['@sveltejs/adapter-auto'] ? 'node build' : null;
    case 'remix':
      return readConfig(source, dir, 'vite.config') ? 'remix-serve ./build/server/index.js' : 'remix-serve ./build/index.js';
    case 'react-router':
      return 'react-router-serve ./build/server/index.js';
    case 'astro':
      return deps['@astrojs/node'] ? 'node ./dist/server/entry.mjs' : null;
    case 'nestjs':
      return 'node dist/main.js';
    case 'angular': {
      const ssrScript = Object.entries(scripts).find(([k]) => k.startsWith('serve:ssr'))?.[1];
      if (ssrScript) return ssrScript;
      const ng = angularInfo(source, dir, deps);
      return ng.ssr ? `node ${ng.outputBase}/server/server.mjs` : null;
    }
    case 'expo':
      // `expo start` is Metro, the development server; it is a web app's server only with react-native-web.
      return deps['react-native-web'] ? 'expo start' : null;
    case 'qwik-city': {
      // The adapter's own `serve` script is the usual start; without it, what the adapter builds.
      const adapter = qwikAdapter(source, dir);
      return adapter && adapter.name !== 'static' ? `node server/entry.${adapter.name}` : null;
    }
    default:
      return null;
  }
}
