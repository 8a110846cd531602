/**
 * Workspace members build from the workspace root: which root, which members, and which manifests the
 * dependency layer copies — on the bundled monorepo fixtures and on small shapes they do not cover.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../src/render/contexts/workspace.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { tempRepo } from '../helpers/temp-repo.js';

const fixture = (name: string) => path.join(FIXTURES_DIR, name);

describe('workspaces of the bundled monorepos', () => {
  it('go.work: both modules, go.work and every go.mod', () => {
    expect(workspaceOf('go', fixture('go-workspace'), 'services/greeter')).toEqual({
      kind: 'go', root: '.', member: 'services/greeter', members: ['libs/textutil', 'services/greeter'],
      manifests: ['go.work', 'libs/textutil/go.mod', 'services/greeter/go.mod'],
    });
  });

  it('Cargo: the members glob, the root lockfile and toolchain file', () => {
    expect(workspaceOf('rust', fixture('rust-actix-workspace'), 'crates/jobs')).toEqual({
      kind: 'cargo', root: '.', member: 'crates/jobs', members: ['crates/api', 'crates/domain', 'crates/jobs'],
      manifests: ['Cargo.lock', 'Cargo.toml', 'crates/api/Cargo.toml', 'crates/domain/Cargo.toml', 'crates/jobs/Cargo.toml', 'rust-toolchain.toml'],
    });
  });

  it('uv: members, uv.lock and .python-version', () => {
    expect(workspaceOf('python', fixture('python-uv-workspace'), 'packages/api')).toEqual({
      kind: 'uv', root: '.', member: 'packages/api', members: ['packages/api', 'packages/shared'],
      manifests: ['.python-version', 'packages/api/pyproject.toml', 'packages/shared/pyproject.toml', 'pyproject.toml', 'uv.lock'],
    });
  });

  it('Maven: the reactor root and every module pom', () => {
    expect(workspaceOf('java-maven', fixture('java-spring-multimodule'), 'api')).toEqual({
      kind: 'maven', root: '.', member: 'api', members: ['api', 'common'], manifests: ['api/pom.xml', 'common/pom.xml', 'pom.xml'],
    });
  });

  it('Gradle: the settings root, every included project\'s build script', () => {
    expect(workspaceOf('java-gradle', fixture('kotlin-gradle-multiproject'), 'api')).toEqual({
      kind: 'gradle', root: '.', member: 'api', members: ['api', 'common'],
      manifests: ['api/build.gradle.kts', 'build.gradle.kts', 'common/build.gradle.kts', 'settings.gradle.kts'],
    });
  });

  it('.NET: the solution, every project it lists and the shared build props', () => {
    expect(workspaceOf('dotnet', fixture('dotnet-sln'), 'src/Shop.Worker')).toEqual({
      kind: 'dotnet', root: '.', member: 'src/Shop.Worker', members: ['src/Shop.Api', 'src/Shop.Core', 'src/Shop.Worker', 'tests/Shop.Api.Tests'],
      manifests: ['Directory.Build.props', 'Shop.sln', 'global.json', 'src/Shop.Api/Shop.Api.csproj', 'src/Shop.Core/Shop.Core.csproj', 'src/Shop.Worker/Shop.Worker.csproj', 'tests/Shop.Api.Tests/Shop.Api.Tests.csproj'],
    });
  });

  it('single-folder projects build from their own folder', () => {
    expect(workspaceOf('go', fixture('go-gin'), '.')).toBeNull();
    expect(workspaceOf('rust', fixture('rust-axum'), '.')).toBeNull();
    expect(workspaceOf('python', fixture('python-fastapi-uv'), '.')).toBeNull();
    expect(workspaceOf('java-maven', fixture('java-spring-boot-maven'), '.')).toBeNull();
    expect(workspaceOf('dotnet', fixture('dotnet-aspnet'), '.')).toBeNull();
    expect(workspaceOf('node', fixture('go-workspace'), 'services/greeter')).toBeNull();
  });
});

describe('workspace shapes the fixtures do not cover', () => {
  let root: string;
  const write = (files: Record<string, string>) => {
    root = tempRepo(files, 'stackgen-ws-');
  };

  it('go.work in a subfolder with one-line use directives; a module it does not use stays alone', () => {
    write({ 'backend/go.work': 'go 1.23\nuse ./api\nuse ./lib // shared\n', 'backend/api/go.mod': 'module a\n', 'backend/lib/go.mod': 'module l\n', 'backend/lib/go.sum': '', 'tools/go.mod': 'module t\n' });
    expect(workspaceOf('go', root, 'backend/api')).toMatchObject({ root: 'backend', member: 'api', members: ['api', 'lib'], manifests: ['api/go.mod', 'go.work', 'lib/go.mod', 'lib/go.sum'] });
    expect(workspaceOf('go', root, 'tools')).toBeNull();
  });

  it('Cargo: excluded members are not members; a root package with members is its own workspace root', () => {
    write({ 'Cargo.toml': '[package]\nname = "app"\n[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/old"]\n', 'crates/a/Cargo.toml': '[package]\nname="a"\n', 'crates/old/Cargo.toml': '[package]\nname="old"\n' });
    expect(workspaceOf('rust', root, '.')).toMatchObject({ root: '.', member: '.', members: ['crates/a'] });
    expect(workspaceOf('rust', root, 'crates/old')).toBeNull();
  });

  it('Maven: a module of a nested aggregator belongs to the outermost reactor', () => {
    write({
      'pom.xml': '<project><modules><module>services</module><!-- <module>gone</module> --></modules></project>',
      'services/pom.xml': '<project><modules><module>api</module></modules></project>',
      'services/api/pom.xml': '<project/>',
      'gone/pom.xml': '<project/>',
    });
    expect(workspaceOf('java-maven', root, 'services/api')).toMatchObject({ root: '.', member: 'services/api', members: ['services', 'services/api'], manifests: ['pom.xml', 'services/api/pom.xml', 'services/pom.xml'] });
    expect(workspaceOf('java-maven', root, 'gone')).toBeNull();
  });

  it('Gradle (Groovy DSL): nested project paths, comments ignored, and a version catalog', () => {
    write({ 'settings.gradle': "rootProject.name = 'x'\ninclude ':services:api', ':libs:core'\n// include ':old'\n", 'gradle/libs.versions.toml': '[versions]\n', 'services/api/build.gradle': '', 'libs/core/build.gradle': '', 'old/build.gradle': '' });
    expect(workspaceOf('java-gradle', root, 'services/api')).toMatchObject({ member: 'services/api', members: ['libs/core', 'services/api'], manifests: ['gradle/libs.versions.toml', 'libs/core/build.gradle', 'services/api/build.gradle', 'settings.gradle'] });
    expect(workspaceOf('java-gradle', root, 'old')).toBeNull();
  });

  it('.NET: a .slnx solution with forward-slash project paths', () => {
    write({ 'App.slnx': '<Solution>\n  <Project Path="src/Web/Web.csproj" />\n  <Project Path="src/Lib/Lib.csproj" />\n</Solution>\n', 'src/Web/Web.csproj': '<Project/>', 'src/Lib/Lib.csproj': '<Project/>' });
    expect(workspaceOf('dotnet', root, 'src/Web')).toMatchObject({ root: '.', member: 'src/Web', manifests: ['App.slnx', 'src/Lib/Lib.csproj', 'src/Web/Web.csproj'] });
  });
});
