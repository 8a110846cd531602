/**
 * Gleam, Crystal, Dart, Swift, Haskell, Zig, C/C++, static sites and start scripts: what a user
 * sees from `detect` on small repositories of each kind, including the ones that must not match.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { detect } from '../../../src/detect/detect.js';
import { at, detectTree, tree } from './others-tree.js';

describe('gleam', () => {
  const toml = (deps: string) => `name = "app"\nversion = "1.0.0"\n\n[dependencies]\ngleam_stdlib = "~> 0.40"\n${deps}`;

  it('mist without an explicit port listens on mist\'s default 4000; .tool-versions pins gleam', async () => {
    const t = await detectTree({
      'gleam.toml': toml('mist = ">= 2.0.0"\n'),
      '.tool-versions': 'erlang 27.0\ngleam 1.5.1\n',
      'src/app.gleam': 'import mist\n\npub fn main() {\n  let assert Ok(_) = mist.new(handler) |> mist.start_http\n}\n',
    });
    const s = at(t);
    expect(s).toMatchObject({ language: 'gleam', port: 4000, runtimeVersion: '1.5.1', name: 'app' });
    expect(s.evidence).toContainEqual({ file: '.tool-versions', line: 2, signal: 'gleam 1.5.1' });
  });

  it('a package without `pub fn main` is a library, not a service', async () => {
    const t = await detectTree({ 'gleam.toml': toml(''), 'src/app.gleam': 'pub fn add(a, b) { a + b }\n' });
    expect(t.services).toEqual([]);
  });

  it('a main without a web server runs as a worker', async () => {
    const t = await detectTree({ 'gleam.toml': toml(''), 'src/app.gleam': 'import gleam/io\n\npub fn main() {\n  io.println("hi")\n}\n' });
    expect(at(t)).toMatchObject({ port: null, role: 'worker', commands: { start: './build/erlang-shipment/entrypoint.sh run' } });
  });

  it('invalid gleam.toml is a located warning', async () => {
    const t = await detectTree({ 'gleam.toml': 'name = "app"\n[dependencies\nmist = "1"\n' });
    expect(t.warnings.find((w) => w.file === 'gleam.toml')).toMatchObject({ line: 2 });
  });
});

describe('crystal', () => {
  const shard = (deps: string, extra = '') => `name: shop\nversion: 0.1.0\ntargets:\n  shop:\n    main: src/shop.cr\ndependencies:\n${deps}${extra}`;

  it('reads the port from `Kemal.run 8080`', async () => {
    const t = await detectTree({ 'shard.yml': shard('  kemal:\n    github: kemalcr/kemal\n'), 'src/shop.cr': 'require "kemal"\n\nget "/" { "hi" }\n\nKemal.run 8080\n' });
    const s = at(t);
    expect(s).toMatchObject({ language: 'crystal', port: 8080, commands: { start: './bin/shop' } });
    expect(s.evidence.find((e) => e.file === 'src/shop.cr' && e.line === 5)).toBeDefined();
  });

  it('a shard without targets is a library', async () => {
    const t = await detectTree({ 'shard.yml': 'name: lib\nversion: 0.1.0\n', 'src/lib.cr': 'module Lib\nend\n' });
    expect(t.services).toEqual([]);
  });

  it('.tool-versions wins over the shard\'s crystal constraint', async () => {
    const t = await detectTree({ 'shard.yml': shard('  kemal:\n    github: kemalcr/kemal\n', 'crystal: ">= 1.0.0"\n'), '.tool-versions': 'crystal 1.13.2\n', 'src/shop.cr': 'require "kemal"\nKemal.run\n' });
    expect(at(t).runtimeVersion).toBe('1.13.2');
  });
});

describe('dart', () => {
  it('dart_frog builds the generated server; port 8080', async () => {
    const t = await detectTree({ 'pubspec.yaml': 'name: frog\nenvironment:\n  sdk: ">=3.0.0 <4.0.0"\ndependencies:\n  dart_frog: ^1.1.0\n  postgres: ^3.0.0\n', 'routes/index.dart': "import 'package:dart_frog/dart_frog.dart';\nResponse onRequest(RequestContext context) => Response(body: 'hi');\n" });
    const s = at(t);
    expect(s).toMatchObject({ language: 'dart', port: 8080, runtimeVersion: '3.0.0', backingServices: ['postgres'], commands: { start: 'build/bin/server' } });
  });

  it('a Flutter app with a web/ target is a static build; without one it is not a service', async () => {
    const flutter = 'name: ui\nenvironment:\n  sdk: ^3.4.0\ndependencies:\n  flutter:\n    sdk: flutter\n';
    const web = await detectTree({ 'pubspec.yaml': flutter, 'web/index.html': '<html></html>', 'lib/main.dart': 'void main() {}' });
    expect(at(web)).toMatchObject({ role: 'static', staticDir: 'build/web', commands: { build: 'flutter build web --release' } });
    const mobile = await detectTree({ 'pubspec.yaml': flutter, 'lib/main.dart': 'void main() {}' });
    expect(mobile.services).toEqual([]);
  });

  it('a package without bin/ is a library', async () => {
    const t = await detectTree({ 'pubspec.yaml': 'name: util\nenvironment:\n  sdk: ^3.0.0\n', 'lib/util.dart': 'int add(int a, int b) => a + b;\n' });
    expect(t.services).toEqual([]);
  });
});

describe('swift', () => {
  it('hummingbird reads the port from source; .swift-version pins the toolchain', async () => {
    const t = await detectTree({
      'Package.swift': '// swift-tools-version:5.10\nimport PackageDescription\nlet package = Package(\n  name: "hb",\n  dependencies: [.package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0")],\n  targets: [.executableTarget(name: "Server", dependencies: [])]\n)\n',
      '.swift-version': '6.0\n',
      'Sources/Server/main.swift': 'import Hummingbird\nlet app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 8090)))\ntry await app.runService()\n',
    });
    expect(at(t)).toMatchObject({ language: 'swift', framework: null, port: 8090, runtimeVersion: '6.0', commands: { start: './.build/release/Server' } });
  });

  it('a package with only library targets is not a service', async () => {
    const t = await detectTree({ 'Package.swift': '// swift-tools-version:5.9\nimport PackageDescription\nlet package = Package(name: "Lib", products: [.library(name: "Lib", targets: ["Lib"])], targets: [.target(name: "Lib")])\n', 'Sources/Lib/Lib.swift': 'public struct Lib {}\n' });
    expect(t.services).toEqual([]);
  });
});

describe('haskell', () => {
  it('cabal-install project: tested-with pins GHC, Warp port from source', async () => {
    const t = await detectTree({
      'api.cabal': 'cabal-version: 2.4\nname: api\nversion: 0.1\ntested-with: GHC == 9.6.4\n\nexecutable api-server\n  main-is: Main.hs\n  build-depends:\n      base\n    , warp\n    , wai\n    , hedis\n',
      'app/Main.hs': 'module Main where\nimport Network.Wai.Handler.Warp (run)\nmain :: IO ()\nmain = run 8088 app\n',
    });
    expect(at(t)).toMatchObject({ language: 'haskell', packageManager: 'cabal', runtimeVersion: '9.6.4', port: 8088, backingServices: ['redis'], commands: { start: './bin/api-server' } });
  });

  it('hpack package.yaml under a stack.yaml; servant defaults to 8080', async () => {
    const t = await detectTree({
      'stack.yaml': 'snapshot: lts-23.0\npackages:\n  - svc\n',
      'svc/package.yaml': 'name: svc\ndependencies:\n  - base\n  - servant-server\nexecutables:\n  svc-exe:\n    main: Main.hs\n    source-dirs: app\n',
      'svc/app/Main.hs': 'main = putStrLn "starting"\n',
    });
    expect(at(t, 'svc')).toMatchObject({ packageManager: 'stack', runtimeVersion: 'lts-23.0', port: 8080, commands: { start: './bin/svc-exe' } });
  });

  it('a library package is not a service', async () => {
    const t = await detectTree({ 'lib.cabal': 'cabal-version: 2.4\nname: lib\nversion: 0.1\n\nlibrary\n  exposed-modules: Lib\n  build-depends: base\n' });
    expect(t.services).toEqual([]);
  });
});

describe('zig', () => {
  it('a build without an executable is a library', async () => {
    const t = await detectTree({ 'build.zig': 'const std = @import("std");\npub fn build(b: *std.Build) void {\n  _ = b.addModule("lib", .{ .root_source_file = b.path("src/root.zig") });\n}\n', 'src/root.zig': 'pub fn add(a: i32, b: i32) i32 { return a + b; }\n' });
    expect(t.services).toEqual([]);
  });

  it('an executable that does not listen is a worker', async () => {
    const t = await detectTree({ 'build.zig': 'pub fn build(b: *std.Build) void {\n  const exe = b.addExecutable(.{\n    .name = "cruncher",\n    .root_source_file = b.path("src/main.zig"),\n  });\n  b.installArtifact(exe);\n}\n', 'src/main.zig': 'pub fn main() void {}\n' });
    expect(at(t)).toMatchObject({ role: 'worker', port: null, commands: { start: './zig-out/bin/cruncher' } });
  });
});

describe('cpp', () => {
  it('meson executable with a Crow server on .port(18080)', async () => {
    const t = await detectTree({
      'meson.build': "project('hello', 'cpp')\nexecutable('hello', 'main.cpp', dependencies: [crow])\n",
      'main.cpp': '#include "crow.h"\nint main() {\n  crow::SimpleApp app;\n  CROW_ROUTE(app, "/")([]() { return "hi"; });\n  app.port(18080).multithreaded().run();\n}\n',
    });
    expect(at(t)).toMatchObject({ language: 'cpp', port: 18080, commands: { build: 'meson setup build --buildtype=release && meson compile -C build', start: './build/hello' } });
  });

  it('one service per build: subdirectory CMakeLists are part of the top one; executable path mirrors the folder', async () => {
    const t = await detectTree({
      'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.25)\nproject(app)\nadd_subdirectory(src)\nadd_subdirectory(lib)\n',
      'src/CMakeLists.txt': 'add_executable(app main.cpp)\n',
      'lib/CMakeLists.txt': 'add_library(util util.cpp)\n',
      'src/main.cpp': '#include <drogon/drogon.h>\nint main() {\n  drogon::app().addListener("0.0.0.0", 8848).run();\n}\n',
    });
    expect(t.services.map((s) => s.path)).toEqual(['.']);
    // cmake_minimum_required is CMake's own version, not a runtime.
    expect(at(t)).toMatchObject({ port: 8848, runtimeVersion: null, commands: { start: './build/src/app' } });
  });

  it('a CMake library is not a service', async () => {
    const t = await detectTree({ 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.20)\nproject(mylib)\nadd_library(mylib src/lib.cpp)\nadd_executable(mylib_tests tests/t.cpp)\n' });
    expect(t.services).toEqual([]);
  });
});

describe('static sites', () => {
  it('an index.html next to another ecosystem\'s manifest belongs to that app', async () => {
    const t = await detectTree({ 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'web/index.html': '<html></html>', 'static/index.html': '<html></html>' });
    expect(t.services.filter((s) => s.language === 'static')).toEqual([]);
  });

  it('server templates are not sites', async () => {
    const t = await detectTree({ 'app/templates/index.html': '<html>{{ title }}</html>', 'app/views/index.html': '<html></html>' });
    expect(t.services).toEqual([]);
  });

  it('docs/ is a site only when the repository has nothing else', async () => {
    const alone = await detectTree({ 'docs/index.html': '<html><title>Docs</title></html>', 'docs/style.css': 'body{}' });
    expect(at(alone, 'docs')).toMatchObject({ role: 'static', staticDir: '.' });
    const withApp = await detectTree({ 'docs/index.html': '<html></html>', 'gleam.toml': 'name = "x"\n', 'src/x.gleam': 'pub fn main() { Nil }\n' });
    expect(withApp.services.filter((s) => s.language === 'static')).toEqual([]);
  });

  it('a Staticfile names the root folder', async () => {
    const t = await detectTree({ Staticfile: 'root: site\n', 'site/index.html': '<html></html>' });
    expect(at(t)).toMatchObject({ language: 'static', staticDir: 'site' });
  });

  it('pages below a site are part of it', async () => {
    const t = await detectTree({ 'index.html': '<html></html>', 'blog/index.html': '<html></html>', 'blog/2024/index.html': '<html></html>' });
    expect(t.services.map((s) => s.path)).toEqual(['.']);
  });
});

describe('shell start scripts', () => {
  it('socat listener port, interpreter from the shebang', async () => {
    const t = await detectTree({ 'run.sh': '#!/usr/bin/env bash\nset -euo pipefail\nexec socat TCP-LISTEN:9000,fork,reuseaddr SYSTEM:"echo hello"\n' });
    const s = at(t);
    expect(s).toMatchObject({ language: 'shell', port: 9000, commands: { start: 'bash run.sh' } });
    expect(s.evidence.find((e) => e.file === 'run.sh' && e.line === 3)).toBeDefined();
  });

  it('python -m http.server without a port serves on 8000', async () => {
    const t = await detectTree({ 'serve.sh': '#!/bin/sh\ncd public\npython3 -m http.server\n', 'public/index.html': '<html></html>' });
    expect(at(t)).toMatchObject({ language: 'shell', port: 8000 });
    expect(t.services).toHaveLength(1);
  });

  it('a script without a shebang, or one that serves nothing, is not a service', async () => {
    const t = await detectTree({ 'start.sh': 'python3 -m http.server 8080\n', 'sub/run.sh': '#!/bin/sh\necho building\nmake all\n' });
    expect(t.services).toEqual([]);
  });

  it('an executable script with a shebang at the root is the program: a job, or a worker when it loops; tooling scripts and non-executable ones are not', async () => {
    const exec = (files: Record<string, string>, executable: string[]) => {
      const root = tree(files);
      for (const f of executable) fs.chmodSync(path.join(root, f), 0o755);
      return detect(root);
    };
    const job = await exec({ 'backup.sh': '#!/bin/bash\nset -e\ntar czf /tmp/b.tgz data\n', 'data/a.txt': 'a' }, ['backup.sh']);
    expect(at(job)).toMatchObject({ language: 'shell', role: 'job', port: null, commands: { start: 'bash backup.sh' } });
    expect(at(job).evidence).toContainEqual({ file: 'backup.sh', line: 1, signal: 'executable backup.sh (bash)' });
    const worker = await exec({ 'poll': '#!/bin/sh\nwhile true; do\n  date\n  sleep 5\ndone\n' }, ['poll']);
    expect(at(worker)).toMatchObject({ role: 'worker', commands: { start: 'sh poll' } });
    expect(at(worker).evidence).toContainEqual({ file: 'poll', line: 2, signal: '`while true; do` keeps it running: a worker' });
    expect((await exec({ 'install.sh': '#!/bin/sh\necho install\n' }, ['install.sh'])).services).toEqual([]);
    expect((await exec({ 'job.sh': '#!/bin/sh\necho hi\n' }, [])).services).toEqual([]);
    // Beside another ecosystem's manifest anywhere in the repository, a root script is its tooling.
    expect((await exec({ 'job.sh': '#!/bin/sh\necho hi\n', 'svc/go.mod': 'module x\n', 'svc/main.go': 'package main\n\nfunc main() {}\n' }, ['job.sh'])).services.map((s) => s.language)).toEqual(['go']);
  });

  it('a script next to another ecosystem\'s manifest is not the service', async () => {
    const t = await detectTree({ 'gleam.toml': 'name = "x"\n[dependencies]\nmist = "2"\n', 'src/x.gleam': 'import mist\npub fn main() { mist.new(h) |> mist.port(3000) |> mist.start_http }\n', 'start.sh': '#!/bin/sh\nexec ./build/erlang-shipment/entrypoint.sh run\n' });
    expect(t.services.map((s) => s.language)).toEqual(['gleam']);
  });
});

describe('native builds owned by another ecosystem', () => {
  it('a CMakeLists.txt next to another manifest is that app\'s build helper, not a C++ service', async () => {
    const t = await detectTree({
      'gleam.toml': 'name = "x"\n',
      'CMakeLists.txt': 'project(native)\nadd_executable(native_tool tool.cpp)\n',
      'tool.cpp': 'int main() { return 0; }\n',
    });
    expect(t.services.filter((s) => s.language === 'cpp')).toEqual([]);
  });
});

describe('health routes in source', () => {
  it('finds a health route, and not a route that merely contains the word', async () => {
    const t = await detectTree({
      'shard.yml': 'name: h\ntargets:\n  h:\n    main: src/h.cr\ndependencies:\n  kemal:\n    github: kemalcr/kemal\n',
      'src/h.cr': 'require "kemal"\nget "/healthcare/plans" { "x" }\nget "/readyz" { "ok" }\nKemal.run\n',
    });
    expect(at(t)).toMatchObject({ healthPath: '/readyz' });
    expect(at(t).evidence).toContainEqual(expect.objectContaining({ file: 'src/h.cr', line: 3 }));
  });
});
