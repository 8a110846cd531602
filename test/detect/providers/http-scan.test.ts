import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  const t = await detect(tempRepo(files, 'sg-http-scan-'));
  expect(t.services).toHaveLength(1);
  return t.services[0]!;
}

/** One app per language with the same routes: `first` is declared before `best`, which must win. */
const apps = {
  go: (routes: string[]) => ({
    'go.mod': 'module example.com/svc\n\ngo 1.22\n',
    'main.go': `package main\n\nimport "net/http"\n\nfunc main() {\n${routes.map((r) => `\thttp.HandleFunc("${r}", nil)`).join('\n')}\n\thttp.ListenAndServe(":8080", nil)\n}\n`,
  }),
  rust: (routes: string[]) => ({
    'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\naxum = "0.7"\ntokio = { version = "1", features = ["full"] }\n',
    'src/main.rs': `use axum::{routing::get, Router};\n\n#[tokio::main]\nasync fn main() {\n    let app = Router::new()${routes.map((r) => `\n        .route("${r}", get(|| async { "ok" }))`).join('')};\n    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}\n`,
  }),
  python: (routes: string[]) => ({
    'pyproject.toml': '[project]\nname = "svc"\nrequires-python = ">=3.11"\ndependencies = ["fastapi", "uvicorn"]\n',
    'main.py': `from fastapi import FastAPI\n\napp = FastAPI()\n${routes.map((r, i) => `\n@app.get("${r}")\ndef r${i}():\n    return {}\n`).join('')}`,
  }),
};

describe('one health ranking for Go, Rust and Python', () => {
  // Each pair: routes in declaration order, and the one every language must probe.
  const cases: Array<[string[], string]> = [
    [['/ping', '/health'], '/health'],
    [['/status', '/healthz'], '/healthz'],
    [['/readiness', '/health_check'], '/health_check'],
    [['/up', '/liveness'], '/liveness'],
    [['/up'], '/up'],
    [['/_healthz', '/api/v1/health'], '/_healthz'],
  ];
  for (const [lang, app] of Object.entries(apps)) {
    for (const [routes, best] of cases) {
      it(`${lang}: ${routes.join(' then ')} → ${best}`, async () => {
        const svc = await detectFiles(app(routes));
        expect(svc.healthPath).toBe(best);
      });
    }
  }

  it('a route that is no health path is never probed', async () => {
    for (const app of Object.values(apps)) expect((await detectFiles(app(['/users', '/orders']))).healthPath ?? null).toBeNull();
  });
});
