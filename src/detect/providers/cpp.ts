/**
 * C and C++ built with CMake (`add_executable`) or Meson (`executable(`). Only the top of a build
 * counts: a CMakeLists.txt whose parent folder has one too is part of that build. Crow, Drogon,
 * cpp-httplib, Pistache, oat++ and Boost.Beast servers get the port written in source (Drogon's
 * config.json too). `cmake_minimum_required` is CMake's version, not a runtime, so no pin is read.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { candidate, inDir, type Candidate, type Fact, type Provider } from '../provider.js';
import { ecosystemManifestIn, exeName, healthRoute, lineOf, portHit, sourcesUnder } from './others-util.js';

const SERVERS: ReadonlyArray<{ name: string; usage: RegExp }> = [
  { name: 'crow', usage: /crow::(SimpleApp|App<)|#include\s*[<"]crow/ },
  { name: 'drogon', usage: /drogon::app\(\)|#include\s*<drogon\// },
  { name: 'cpp-httplib', usage: /httplib::(Server|SSLServer)|#include\s*[<"]httplib\.h/ },
  { name: 'pistache', usage: /Pistache::(Http|Address|Port)/ },
  { name: 'oatpp', usage: /oatpp::network|#include\s*"oatpp\// },
  { name: 'boost-beast', usage: /boost::beast|beast::http/ },
  { name: 'civetweb', usage: /mg_start\s*\(|CivetServer/ },
  { name: 'mongoose', usage: /mg_http_listen\s*\(/ },
  { name: 'libmicrohttpd', usage: /MHD_start_daemon\s*\(/ },
  { name: 'posix sockets', usage: /\bbind\s*\(\s*\w+\s*,\s*\(\s*(struct\s+)?sockaddr/ },
];

const EXTS = ['.cpp', '.cc', '.cxx', '.c', '.hpp', '.h'];

export const cppProvider: Provider = {
  name: 'cpp',
  detect(source: SourceView): Candidate[] {
    const out: Candidate[] = [];
    const tops = (name: string) => source.manifests(name).filter((f) => {
      const parent = path.posix.dirname(path.posix.dirname(f));
      return path.posix.dirname(f) === '.' || !source.has(inDir(parent, name));
    });
    const seen = new Set<string>();
    for (const f of tops('CMakeLists.txt')) {
      seen.add(path.posix.dirname(f));
      if (otherOwner(source, path.posix.dirname(f))) continue;
      out.push(describe(source, path.posix.dirname(f), 'cmake'));
    }
    for (const f of tops('meson.build')) if (!seen.has(path.posix.dirname(f)) && !otherOwner(source, path.posix.dirname(f))) out.push(describe(source, path.posix.dirname(f), 'meson'));
    return out;
  },
};

/** A native build next to another ecosystem's manifest (a Node addon, a Python extension) serves that app. */
function otherOwner(source: SourceView, dir: string): string | undefined {
  const m = ecosystemManifestIn(source, dir);
  return m && !/(^|\/)(CMakeLists\.txt|meson\.build)$/.test(m) ? m : undefined;
}

/** Every build file of the project: the top one and those of its subdirectories. */
function buildFiles(source: SourceView, dir: string, name: string): string[] {
  return [inDir(dir, name), ...source.under(dir).filter((f) => path.posix.basename(f) === name && f !== inDir(dir, name))].filter((f) => source.has(f));
}

function describe(source: SourceView, dir: string, tool: 'cmake' | 'meson'): Candidate {
  const top = inDir(dir, tool === 'cmake' ? 'CMakeLists.txt' : 'meson.build');
  const facts: Fact[] = [{ file: top, signal: path.posix.basename(top), kind: 'manifest' }];
  const c = candidate({ path: dir, language: 'cpp', facts });
  const project = tool === 'cmake' ? /^\s*project\s*\(\s*([A-Za-z0-9_.-]+)/im.exec(source.readText(top) ?? '')?.[1] : /^\s*project\s*\(\s*'([^']+)'/m.exec(source.readText(top) ?? '')?.[1];
  if (project) c.name = project;
  if (source.has(inDir(dir, 'conanfile.txt')) || source.has(inDir(dir, 'conanfile.py'))) facts.push({ file: source.has(inDir(dir, 'conanfile.txt')) ? inDir(dir, 'conanfile.txt') : inDir(dir, 'conanfile.py'), signal: 'Conan dependencies', kind: 'lockfile' });
  if (source.has(inDir(dir, 'vcpkg.json'))) facts.push({ file: inDir(dir, 'vcpkg.json'), signal: 'vcpkg.json', kind: 'lockfile' });

  // The first executable that is not a test or benchmark.
  let exe: { name: string; file: string; line: number } | undefined;
  for (const f of buildFiles(source, dir, path.posix.basename(top))) {
    const lines = (source.readText(f) ?? '').split(/\r?\n/);
    for (let i = 0; i < lines.length && !exe; i++) {
      const l = lines[i] ?? '';
      if (/^\s*#/.test(l)) continue;
      const m = tool === 'cmake' ? /^\s*add_executable\s*\(\s*([A-Za-z0-9_.${}-]+)/i.exec(l) : /\bexecutable\s*\(\s*'([^']+)'/.exec(l);
      if (!m?.[1] || /test|bench|example/i.test(m[1])) continue;
      const name = m[1] === '${PROJECT_NAME}' || m[1] === '${CMAKE_PROJECT_NAME}' ? (project ?? 'app') : m[1];
      if (name.includes('$')) continue;
      exe = { name, file: f, line: i + 1 };
    }
    if (exe) break;
  }
  if (tool === 'cmake') {
    c.commands.build = 'cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --parallel';
  } else {
    c.commands.build = 'meson setup build --buildtype=release && meson compile -C build';
  }
  if (!exe) {
    c.role = 'library';
    return c;
  }
  facts.push({ file: exe.file, line: exe.line, signal: `executable \`${exe.name}\``, kind: 'entrypoint' });
  // CMake and Meson mirror the source layout in the build folder.
  const sub = path.posix.relative(dir === '.' ? '' : dir, path.posix.dirname(exe.file));
  c.commands.start = `./build/${sub && sub !== '.' ? `${sub}/` : ''}${exeName(exe.name)}`;

  const srcFiles = sourcesUnder(source, dir, EXTS).filter((f) => !/(^|\/)(test|tests|third_party|thirdparty|external|extern|3rdparty|deps)\//.test(f.slice(dir === '.' ? 0 : dir.length + 1)));
  let server: { name: string; file: string; line: number } | undefined;
  for (const s of SERVERS) {
    for (const f of srcFiles.slice(0, 200)) {
      if (/\.h(pp)?$/.test(f) && /httplib\.h$|crow_all\.h$/.test(f)) continue;
      const line = source.lineOf(f, s.usage);
      if (line) {
        server = { name: s.name, file: f, line };
        break;
      }
    }
    if (server) break;
  }
  if (!server) {
    c.role = 'worker';
    return c;
  }
  facts.push({ file: server.file, line: server.line, signal: `uses ${server.name}`, kind: 'usage' });
  const code = srcFiles.filter((f) => !/(httplib\.h|crow_all\.h)$/.test(f));
  const health = healthRoute(source, code);
  if (health) {
    c.healthPath = health.path;
    facts.push(health.fact);
  }
  const port = portHit(source, code, [
    /\.port\(\s*(\d{2,5})\s*\)/,
    /addListener\(\s*"[^"]*"\s*,\s*(\d{2,5})/,
    /\.listen\(\s*"[^"]*"\s*,\s*(\d{2,5})/,
    /Pistache::Port\(\s*(\d{2,5})\s*\)/,
    /Address\([^,]*,\s*Pistache::Port\((\d{2,5})\)/,
    /\{\s*"[^"]*"\s*,\s*(\d{2,5})\s*,\s*oatpp::network::Address/,
    /mg_http_listen\([^,]+,\s*"[a-z]+:\/\/[^:"]*:(\d{2,5})"/,
    /htons\(\s*(\d{2,5})\s*\)/,
    /\bPORT\s*=?\s*(\d{4,5})\b/,
    /\bport\s*=\s*(\d{2,5})\s*;/,
  ]);
  if (port) {
    c.port = port.port;
    facts.push(port.fact);
    return c;
  }
  const drogonConfig = ['config.json', 'config.yaml'].map((f) => inDir(dir, f)).find((f) => source.has(f));
  if (server.name === 'drogon' && drogonConfig) {
    const m = /"port"\s*:\s*(\d{2,5})|^\s*port\s*:\s*(\d{2,5})/m.exec(source.readText(drogonConfig) ?? '');
    const p = Number(m?.[1] ?? m?.[2]);
    if (p) {
      c.port = p;
      facts.push({ file: drogonConfig, ...lineOf(source, drogonConfig, /"?port"?\s*:/), signal: `listener port ${p}`, kind: 'port' });
    }
  }
  return c;
}
