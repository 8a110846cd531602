import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-ruby-'));
}

const rails = (version: string, routes: string, extra: Record<string, string> = {}) => ({
  Gemfile: `source "https://rubygems.org"\ngem "rails", "~> ${version}"\ngem "pg"\n`,
  'Gemfile.lock': `GEM\n  specs:\n    rails (${version}.2)\n      railties (= ${version}.2)\n    railties (${version}.2)\n`,
  'config/application.rb': 'module App\n  class Application < Rails::Application\n  end\nend\n',
  'config/routes.rb': `Rails.application.routes.draw do\n${routes}\nend\n`,
  ...extra,
});

describe('Rails', () => {
  it('serves /up from Rails 7.1 when routes.rb maps rails/health#show', async () => {
    const t = await detectFiles(rails('7.1', '  get "up" => "rails/health#show", as: :rails_health_check'));
    expect(t.services[0]).toMatchObject({ framework: 'rails', port: 3000, healthPath: '/up', commands: { start: 'bundle exec rails server -b 0.0.0.0' } });
  });

  it('uses the path the route gives', async () => {
    const t = await detectFiles(rails('8.0', '  get "healthz" => "rails/health#show"'));
    expect(t.services[0]!.healthPath).toBe('/healthz');
  });

  it('has no health path before Rails 7.1 or without the route', async () => {
    expect((await detectFiles(rails('7.0', '  get "up" => "rails/health#show"'))).services[0]!.healthPath).toBeNull();
    expect((await detectFiles(rails('7.2', '  # get "up" => "rails/health#show"'))).services[0]!.healthPath).toBeNull();
  });

  it('takes the port from config/puma.rb and backing from database.yml and cable.yml', async () => {
    const t = await detectFiles(
      rails('7.1', '', {
        'config/puma.rb': 'port ENV.fetch("PORT") { 3300 }\n',
        'config/database.yml': 'default: &default\n  adapter: sqlite3\nproduction:\n  adapter: mysql2\n  url: <%= ENV["DATABASE_URL"] %>\n',
        'config/cable.yml': 'development:\n  adapter: async\nproduction:\n  adapter: redis\n  url: <%= ENV.fetch("REDIS_URL") %>\n',
      }),
    );
    const s = t.services[0]!;
    expect(s.port).toBe(3300);
    expect(s.commands.start).toBe('bundle exec puma -C config/puma.rb');
    expect(s.backingServices).toEqual(['mysql', 'postgres', 'redis']);
    const mysql = t.backingServices.find((b) => b.kind === 'mysql')!;
    expect(mysql.evidence[0]).toMatchObject({ file: 'config/database.yml', line: 4 });
  });

  it('precompiles assets only when the app has them', async () => {
    expect((await detectFiles(rails('7.1', ''))).services[0]!.commands.build).toBeNull();
    expect((await detectFiles(rails('7.1', '', { 'app/assets/config/manifest.js': '//= link_tree ../images\n' }))).services[0]!.commands.build).toBe('bundle exec rails assets:precompile');
  });
});

describe('Rack and Sinatra', () => {
  it('runs a Sinatra app with config.ru through rackup on 9292', async () => {
    const t = await detectFiles({ Gemfile: 'gem "sinatra"\n', 'config.ru': 'require "./app"\nrun Sinatra::Application\n', 'app.rb': 'require "sinatra"\nget("/") { "hi" }\n' });
    expect(t.services[0]).toMatchObject({ framework: 'sinatra', port: 9292, commands: { start: 'bundle exec rackup -o 0.0.0.0 -p 9292' } });
  });

  it('runs a plain Rack app on 9292', async () => {
    const t = await detectFiles({ Gemfile: 'gem "rack"\ngem "puma"\n', 'config.ru': 'run ->(env) { [200, {}, ["ok"]] }\n' });
    expect(t.services[0]).toMatchObject({ language: 'ruby', framework: null, port: 9292 });
  });

  it('reads the Ruby version from .ruby-version, then the Gemfile', async () => {
    expect((await detectFiles({ Gemfile: 'ruby "~> 3.2"\ngem "sinatra"\n', 'app.rb': 'require "sinatra"\n' })).services[0]!.runtimeVersion).toBe('3.2');
    expect((await detectFiles({ Gemfile: 'ruby "3.2.1"\ngem "sinatra"\n', '.ruby-version': '3.3.1\n', 'app.rb': 'require "sinatra"\n' })).services[0]!.runtimeVersion).toBe('3.3.1');
  });

  it('leaves a gem (gemspec, no server) out', async () => {
    const t = await detectFiles({ Gemfile: 'source "https://rubygems.org"\ngemspec\n', 'mylib.gemspec': 'Gem::Specification.new { |s| s.name = "mylib" }\n', 'lib/mylib.rb': 'module Mylib; end\n' });
    expect(t.services).toEqual([]);
  });

  it('ignores development and test gems for backing services', async () => {
    const t = await detectFiles({ Gemfile: 'gem "sinatra"\ngroup :development, :test do\n  gem "redis"\nend\ngem "mongoid"\n', 'app.rb': 'require "sinatra"\n' });
    expect(t.services[0]!.backingServices).toEqual(['mongodb']);
  });
});
