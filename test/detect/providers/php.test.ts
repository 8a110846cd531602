import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { phpVersion } from '../../../src/detect/providers/php.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-php-'));
}

const laravel = (framework: string, env: string, extra: Record<string, string> = {}) => ({
  'composer.json': JSON.stringify({ name: 'acme/app', require: { php: '^8.1', 'laravel/framework': framework } }, null, 2),
  artisan: '#!/usr/bin/env php\n<?php\n',
  'public/index.php': '<?php\n',
  '.env.example': env,
  ...extra,
});

describe('PHP version constraints', () => {
  it.each([
    ['>=8.2', '8.2'],
    ['^8.1', '8.1'],
    ['~8.3.0', '8.3'],
    ['8.2.*', '8.2'],
    ['^7.4|^8.0', '8.0'],
    ['^7.3 || ^8.1', '8.1'],
    ['^8', '8.0'],
  ])('%s → %s', (c, v) => expect(phpVersion(c)).toBe(v));
});

describe('Laravel', () => {
  it('maps .env.example DB_CONNECTION and QUEUE_CONNECTION to backing services, with lines', async () => {
    const t = await detectFiles(laravel('^11.0', 'APP_NAME=x\nDB_CONNECTION=pgsql\nDB_HOST=127.0.0.1\nQUEUE_CONNECTION=redis\n'));
    expect(t.services[0]).toMatchObject({ framework: 'laravel', port: 8080, runtimeVersion: '8.1', backingServices: ['postgres', 'redis'] });
    const pg = t.backingServices.find((b) => b.kind === 'postgres')!;
    expect(pg.evidence[0]).toMatchObject({ file: '.env.example', line: 2 });
  });

  it('adds no database for sqlite and no redis for sync queues', async () => {
    const t = await detectFiles(laravel('^11.0', 'DB_CONNECTION=sqlite\nQUEUE_CONNECTION=database\nCACHE_STORE=database\n'));
    expect(t.services[0]!.backingServices).toEqual([]);
  });

  it("a fresh skeleton's driver settings decide: REDIS_HOST, MEMCACHED_HOST and config/database.php's MySQL port are not uses", async () => {
    // The shape `laravel new` writes: sqlite and the database drivers selected, the other drivers configured.
    const env = 'DB_CONNECTION=sqlite\n# DB_HOST=127.0.0.1\n# DB_PORT=3306\nSESSION_DRIVER=database\nQUEUE_CONNECTION=database\nCACHE_STORE=database\nMEMCACHED_HOST=127.0.0.1\nREDIS_CLIENT=phpredis\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n';
    const config = "<?php\nreturn [\n  'connections' => [\n    'mysql' => [\n      'host' => env('DB_HOST', '127.0.0.1'),\n      'port' => env('DB_PORT', '3306'),\n    ],\n  ],\n  'redis' => ['default' => ['host' => env('REDIS_HOST', '127.0.0.1'), 'port' => env('REDIS_PORT', '6379')]],\n];\n";
    const skeleton = await detectFiles(laravel('^12.0', env, { 'config/database.php': config }));
    expect(skeleton.services[0]!.backingServices).toEqual([]);
    expect(skeleton.backingServices).toEqual([]);
    // The same app switched to Redis queues and MySQL gets both, each from its selector.
    const switched = await detectFiles(laravel('^12.0', env.replace('DB_CONNECTION=sqlite', 'DB_CONNECTION=mysql').replace('QUEUE_CONNECTION=database', 'QUEUE_CONNECTION=redis'), { 'config/database.php': config }));
    expect(switched.services[0]!.backingServices).toEqual(['mysql', 'redis']);
    expect(switched.backingServices.find((b) => b.kind === 'redis')!.evidence[0]).toMatchObject({ file: '.env.example', signal: 'QUEUE_CONNECTION=redis' });
  });

  it('serves /up on Laravel 11 (health: in bootstrap/app.php) and nothing on Laravel 10', async () => {
    const l11 = await detectFiles(laravel('^11.0', '', { 'bootstrap/app.php': "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        health: '/up',\n    )->create();\n" }));
    expect(l11.services[0]!.healthPath).toBe('/up');
    const l10 = await detectFiles(laravel('^10.10', '', { 'bootstrap/app.php': "<?php\n$app = new Illuminate\\Foundation\\Application($_ENV['APP_BASE_PATH'] ?? dirname(__DIR__));\nreturn $app;\n" }));
    expect(l10.services[0]!.healthPath).toBeNull();
  });
});

describe('Composer projects', () => {
  it('treats a package without a front controller as a library', async () => {
    const t = await detectFiles({ 'composer.json': JSON.stringify({ name: 'acme/lib', require: { php: '>=8.1' } }), 'src/Thing.php': '<?php\nclass Thing {}\n' });
    expect(t.services).toEqual([]);
  });

  it('serves a Slim-style app from public/index.php with composer install', async () => {
    const t = await detectFiles({ 'composer.json': JSON.stringify({ require: { 'slim/slim': '^4.0', 'predis/predis': '^2' } }), 'public/index.php': "<?php\n$app->get('/health', fn() => 'ok');\n" });
    expect(t.services[0]).toMatchObject({ language: 'php', framework: null, packageManager: 'composer', port: 8080, healthPath: '/health', backingServices: ['redis'] });
    expect(t.services[0]!.commands.install).toBe('composer install --no-dev --optimize-autoloader --no-interaction');
  });

  it('warns with a line on a broken composer.json', async () => {
    const t = await detectFiles({ 'composer.json': '{\n  "require": {\n    "php": ">=8.1",\n  }\n}\n', 'index.php': '<?php echo 1;\n' });
    expect(t.warnings.some((w) => w.file === 'composer.json' && w.line !== undefined)).toBe(true);
  });
});

describe('plain PHP', () => {
  it('detects an index.php site without Composer', async () => {
    const t = await detectFiles({ 'index.php': '<?php echo "hi";\n', 'about.php': '<?php echo "about";\n', 'admin/index.php': '<?php\n' });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ path: '.', language: 'php', packageManager: null, port: 8080 });
  });
});
