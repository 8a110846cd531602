import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-deno-'));
}

describe('deno', () => {
  it('reads deno.jsonc with comments and trailing commas; Deno.serve without a port listens on 8000', async () => {
    const t = await detectFiles({
      'deno.jsonc': '{\n  // tasks\n  "tasks": { "start": "deno run --allow-net server.ts", },\n  "imports": { "pg": "npm:pg@^8.13.1" }, /* db */\n}\n',
      'server.ts': 'Deno.serve((req) => new URL(req.url).pathname === "/health" ? new Response("ok") : new Response("hi"));\n',
    });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ language: 'deno', packageManager: 'deno', port: 8000, healthPath: '/health', backingServices: ['postgres'], commands: { start: 'deno run --allow-net server.ts' } });
  });

  it('a port in the start task wins; an oak listen port is read from source otherwise', async () => {
    const task = await detectFiles({ 'deno.json': '{ "tasks": { "start": "deno serve --port 9000 main.ts" } }', 'main.ts': 'export default { fetch: () => new Response("hi") };\n' });
    expect(task.services[0]).toMatchObject({ port: 9000, commands: { start: 'deno serve --port 9000 main.ts' } });
    const oak = await detectFiles({
      'deno.json': '{ "imports": { "@oak/oak": "jsr:@oak/oak@^17" } }',
      'main.ts': 'import { Application } from "@oak/oak";\nconst app = new Application();\nawait app.listen({ port: 8085 });\n',
    });
    expect(oak.services[0]).toMatchObject({ port: 8085, framework: null, commands: { start: 'deno run -A main.ts' } });
  });

  it('Fresh 1: the watch-mode start task is a dev server, preview is what runs', async () => {
    const t = await detectFiles({
      'deno.json': JSON.stringify({ tasks: { start: 'deno run -A --watch=static/,routes/ dev.ts', build: 'deno run -A dev.ts build', preview: 'deno run -A main.ts' }, imports: { '$fresh/': 'https://deno.land/x/fresh@1.7.3/' } }, null, 2),
      'main.ts': 'import { start } from "$fresh/server.ts";\nimport manifest from "./fresh.gen.ts";\nawait start(manifest);\n',
      'dev.ts': 'import dev from "$fresh/dev.ts";\nawait dev(import.meta.url, "./main.ts");\n',
    });
    expect(t.services[0]).toMatchObject({ framework: 'fresh', port: 8000, commands: { build: 'deno task build', start: 'deno run -A main.ts' } });
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'deno.json', signal: expect.stringContaining('Fresh import') }));
  });

  it('a package.json next to deno.json is npm interop, not a Node app', async () => {
    const t = await detectFiles({
      'deno.json': '{ "tasks": { "start": "deno run -A main.ts" }, "nodeModulesDir": "auto" }',
      'package.json': '{ "name": "x", "scripts": { "start": "node main.js" }, "dependencies": { "express": "^4" } }',
      'main.ts': 'import express from "npm:express@4";\nconst app = express();\napp.listen(3000);\n',
    });
    expect(t.services.map((s) => s.language)).toEqual(['deno']);
    expect(t.services[0]!.port).toBe(3000);
  });

  it('a workspace root only holds members', async () => {
    const t = await detectFiles({
      'deno.json': '{ "workspace": ["./api", "./shared"] }',
      'api/deno.json': '{ "name": "@acme/api", "tasks": { "start": "deno run -A main.ts" } }',
      'api/main.ts': 'Deno.serve({ port: 8001 }, () => new Response("ok"));\n',
      'shared/deno.json': '{ "name": "@acme/shared", "exports": "./mod.ts" }',
      'shared/mod.ts': 'export const x = 1;\n',
    });
    expect(t.services.map((s) => [s.name, s.path, s.port])).toEqual([['api', 'api', 8001]]);
  });

  it('a program without deno.json is known by its npm:/jsr:/URL imports: a job, a worker, or a server', async () => {
    const job = await detectFiles({ 'report.ts': 'import { format } from "jsr:@std/datetime";\nimport chalk from "npm:chalk@5";\nconsole.log(chalk.bold(format(new Date(), "yyyy-MM-dd")));\n', 'README.md': '# report\n' });
    expect(job.services).toHaveLength(1);
    expect(job.services[0]).toMatchObject({ language: 'deno', role: 'job', port: null, commands: { start: 'deno run -A report.ts', install: 'deno cache report.ts' } });
    expect(job.services[0]!.evidence).toContainEqual({ file: 'report.ts', line: 1, signal: '`import { format } from "jsr:@std/datetime";`: a Deno program without deno.json' });
    const worker = await detectFiles({ 'main.ts': 'import ms from "npm:ms@2";\nsetInterval(() => console.log(ms(1000)), 1000);\n' });
    expect(worker.services[0]).toMatchObject({ role: 'worker', commands: { start: 'deno run -A main.ts' } });
    const web = await detectFiles({ 'server.ts': 'import { Hono } from "jsr:@hono/hono";\nconst app = new Hono();\nDeno.serve({ port: 8787 }, app.fetch);\n' });
    expect(web.services[0]).toMatchObject({ framework: 'hono', port: 8787, commands: { start: 'deno run -A server.ts' } });
    // The standard library's serve(handler) listens (on 8000); a sibling script's port is not this program's.
    const std = await detectFiles({ 'server.ts': 'import { serve } from "https://deno.land/std/http/server.ts";\nserve((req) => new Response("hi"));\n', 'tcp.ts': 'const port = 8080;\nconst l = Deno.listen({ port });\n' });
    expect(std.services[0]).toMatchObject({ port: 8000, commands: { start: 'deno run -A server.ts' } });
    // A web page importing from a CDN is a site, and a Node package's files are Node's.
    const site = await detectFiles({ 'index.html': '<script type="module" src="app.js"></script>\n', 'app.js': 'import { h } from "https://esm.sh/preact";\n' });
    expect(site.services.every((s) => s.language !== 'deno')).toBe(true);
  });

  it('an invalid deno.json is a warning with its line, never a crash', async () => {
    const t = await detectFiles({ 'deno.json': '{\n  "tasks": {\n    "start": "deno run main.ts"\n  ,,\n}\n', 'main.ts': 'Deno.serve(() => new Response("x"));\n' });
    expect(t.services).toEqual([]);
    expect(t.warnings).toContainEqual(expect.objectContaining({ file: 'deno.json', line: 4, message: expect.stringContaining('invalid JSON') }));
  });
});
