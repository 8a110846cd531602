import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-rust-'));
}

const axumMain = 'use axum::{routing::get, Router};\n\n#[tokio::main]\nasync fn main() {\n    let app = Router::new().route("/healthz", get(|| async { "ok" }));\n    let listener = tokio::net::TcpListener::bind("0.0.0.0:3100").await.unwrap();\n    axum::serve(listener, app).await.unwrap();\n}\n';
const pkg = (name: string, deps = '') => `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}`;

describe('crates', () => {
  it('reads the listener address, health route and binary of an axum crate', async () => {
    const t = await detectFiles({ 'Cargo.toml': pkg('svc', 'axum = "0.7"\ntokio = { version = "1", features = ["full"] }\n'), 'src/main.rs': axumMain });
    expect(t.services[0]).toMatchObject({ name: 'svc', language: 'rust', framework: 'axum', port: 3100, healthPath: '/healthz', commands: { build: 'cargo build --release', start: './target/release/svc' } });
  });

  it('a command-line binary is a job that runs to completion; a looping one is a worker', async () => {
    const job = await detectFiles({ 'Cargo.toml': pkg('cli', 'clap = "4"\n'), 'src/main.rs': 'fn main() { println!("hi"); }\n' });
    expect(job.services[0]).toMatchObject({ name: 'cli', role: 'job', port: null, commands: { start: './target/release/cli' } });
    expect(job.services[0]!.evidence.map((e) => e.signal)).toContain('no listener and no loop: a job that runs to completion');
    const w = await detectFiles({ 'Cargo.toml': pkg('poller'), 'src/main.rs': 'fn main() {\n    loop {\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n' });
    expect(w.services[0]).toMatchObject({ role: 'worker', port: null, commands: { start: './target/release/poller' } });
  });

  it('warns, at the first query macro, that sqlx checks queries against a database at compile time; prepared .sqlx/ data silences it', async () => {
    const files = {
      'Cargo.toml': pkg('realworld', 'axum = "0.7"\nsqlx = { version = "0.7", features = ["postgres"] }\n'),
      'src/main.rs': axumMain,
      'src/http/users.rs': 'pub async fn get(db: &PgPool) {\n    let user = sqlx::query_as!(\n        User,\n        "select * from users"\n    );\n}\n',
    };
    const unprepared = await detectFiles(files);
    expect(unprepared.warnings).toEqual([expect.objectContaining({ file: 'src/http/users.rs', line: 2, message: expect.stringMatching(/cargo sqlx prepare/) })]);
    const prepared = await detectFiles({ ...files, '.sqlx/query-4f1a.json': '{"query":"select * from users"}\n' });
    expect(prepared.warnings).toEqual([]);
    expect(prepared.services[0]).toMatchObject({ framework: 'axum', backingServices: ['postgres'] });
  });

  it('leaves a library-only crate out', async () => {
    const t = await detectFiles({ 'Cargo.toml': pkg('util', 'serde = "1"\n'), 'src/lib.rs': 'pub fn add(a: i32, b: i32) -> i32 { a + b }\n' });
    expect(t.services).toEqual([]);
  });

  it('builds the serving binary with --bin when a crate has several', async () => {
    const t = await detectFiles({
      'Cargo.toml': pkg('tool', 'actix-web = "4"\n'),
      'src/bin/migrate.rs': 'fn main() { println!("migrating"); }\n',
      'src/bin/server.rs': 'use actix_web::{App, HttpServer};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new()).bind(("0.0.0.0", 9001))?.run().await\n}\n',
    });
    expect(t.services[0]).toMatchObject({ framework: 'actix-web', port: 9001, commands: { build: 'cargo build --release --bin server', start: './target/release/server' } });
    expect(t.services[0]!.evidence.some((e) => e.signal.includes('migrate'))).toBe(true);
  });

  it('falls back to the framework default port and reads database features', async () => {
    const t = await detectFiles({
      'Cargo.toml': pkg('api', 'actix-web = "4"\nsqlx = { version = "0.8", features = ["runtime-tokio", "mysql"] }\n'),
      'src/main.rs': 'use actix_web::{App, HttpServer};\n\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    let addr = std::env::var("ADDR").unwrap();\n    HttpServer::new(|| App::new()).bind(addr)?.run().await\n}\n',
    });
    expect(t.services[0]).toMatchObject({ port: 8080, backingServices: ['mysql'] });
    expect(t.backingServices[0]!.evidence[0]).toMatchObject({ file: 'Cargo.toml', line: 8 });
  });

  it('takes the toolchain channel when it is a version, and rust-version otherwise', async () => {
    const base = { 'Cargo.toml': pkg('svc', 'axum = "0.7"\n').replace('edition = "2021"', 'edition = "2021"\nrust-version = "1.75"'), 'src/main.rs': axumMain };
    expect((await detectFiles({ ...base, 'rust-toolchain.toml': '[toolchain]\nchannel = "1.82.0"\n' })).services[0]!.runtimeVersion).toBe('1.82.0');
    expect((await detectFiles({ ...base, 'rust-toolchain': 'stable\n' })).services[0]!.runtimeVersion).toBeNull();
    expect((await detectFiles(base)).services[0]!.runtimeVersion).toBe('1.75');
  });
});

describe('workspaces', () => {
  it('expands member globs, honours exclude, and describes only crates with a serving binary', async () => {
    const t = await detectFiles({
      'Cargo.toml': '[workspace]\nmembers = ["services/*", "libs/*"]\nexclude = ["services/legacy"]\n\n[workspace.dependencies]\naxum = "0.7"\nsqlx = { version = "0.8", features = ["postgres"] }\n',
      'Cargo.lock': 'version = 3\n',
      'services/web/Cargo.toml': pkg('web', 'axum.workspace = true\nsqlx = { workspace = true }\nmodel = { path = "../../libs/model" }\n'),
      'services/web/src/main.rs': axumMain,
      'libs/model/Cargo.toml': pkg('model', 'serde = "1"\n'),
      'libs/model/src/lib.rs': 'pub struct User;\n',
    });
    expect(t.services.map((s) => s.name)).toEqual(['web']);
    expect(t.services[0]).toMatchObject({ path: 'services/web', backingServices: ['postgres'], commands: { build: 'cargo build --release --locked', start: '../../target/release/web' } });
  });

  it('reports a broken Cargo.toml with its line and goes on with the rest', async () => {
    const t = await detectFiles({
      'Cargo.toml': '[workspace]\nmembers = ["a", "b"]\n',
      'a/Cargo.toml': '[package]\nname = "a"\nversion = "0.1.0\n',
      'a/src/main.rs': 'fn main() {}\n',
      'b/Cargo.toml': pkg('b', 'axum = "0.7"\n'),
      'b/src/main.rs': axumMain,
    });
    const w = t.warnings.find((x) => x.file === 'a/Cargo.toml');
    expect(w).toMatchObject({ line: 3 });
    expect(w!.message).toMatch(/invalid TOML/);
    expect(t.services.find((s) => s.path === 'b')).toMatchObject({ framework: 'axum', port: 3100 });
  });
});
