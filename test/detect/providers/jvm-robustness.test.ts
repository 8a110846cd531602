/**
 * Bad input never breaks detection: truncated, binary or nonsense manifests of the JVM, Ruby, PHP,
 * .NET and Elixir ecosystems end in warnings or in nothing, never in a failed detector.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { loadFixtureExpectations } from '../../helpers/fixtures.js';
import { tempRepo } from '../../helpers/temp-repo.js';

const MANIFESTS = [
  'pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'gradle/libs.versions.toml', 'build.sbt', 'project.clj', 'deps.edn',
  'src/main/resources/application.yml', 'src/main/resources/application.properties',
  'Gemfile', 'Gemfile.lock', 'config.ru', 'config/puma.rb', 'config/database.yml', 'config/routes.rb', 'config/application.rb',
  'composer.json', 'composer.lock', 'artisan', 'index.php', '.env.example', 'bootstrap/app.php',
  'App.csproj', 'App.sln', 'Properties/launchSettings.json', 'appsettings.json', 'global.json', 'Directory.Build.props', 'Program.cs',
  'mix.exs', 'config/runtime.exs', 'lib/app/router.ex', '.tool-versions', '.java-version', '.ruby-version',
];

// A small deterministic generator, so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

describe('bad manifests', () => {
  const corpus = loadFixtureExpectations().filter((f) => /^(java|kotlin|scala|clojure|ruby|php|dotnet|elixir)-/.test(f.name));

  it('survives every fixture manifest cut at random points and garbled', async () => {
    const next = rng(42);
    for (let round = 0; round < 6; round++) {
      const files: Record<string, string> = {};
      for (const fx of corpus) {
        for (const rel of MANIFESTS) {
          const src = path.join(fx.dir, rel);
          if (!fs.existsSync(src)) continue;
          const text = fs.readFileSync(src, 'utf8');
          const cut = text.slice(0, Math.floor(next() * text.length));
          const garbled = round % 2 ? cut.replace(/[<>{}[\]"':=]/g, (c) => (next() < 0.3 ? '' : c)) : cut;
          files[path.join(fx.name, rel)] = garbled;
        }
      }
      const t = await detect(tempRepo(files, 'sg-bad-'));
      expect(t.warnings.filter((w) => /detector failed/.test(w.message))).toEqual([]);
    }
  });

  it('survives binary and empty manifests', async () => {
    const files = Object.fromEntries(MANIFESTS.flatMap((rel, i): [string, Uint8Array | string][] => [[`a/${rel}`, Buffer.from([0, 1, 2, 255, i])], [`b/${rel}`, '']]));
    const t = await detect(tempRepo(files, 'sg-bin-'));
    expect(t.warnings.filter((w) => /detector failed/.test(w.message))).toEqual([]);
  });
});
