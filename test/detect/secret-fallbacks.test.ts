/** Keys the code falls back to a literal for: reported with file:line, and declared secrets in the spec. */
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/detect.js';
import { specFromTopology } from '../../src/spec/from-topology.js';
import { tempRepo } from '../helpers/temp-repo.js';

function repo(files: Record<string, string>): string {
  return tempRepo(files, 'sg-fallback-');
}

const node = (code: string) => ({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.21.2' }, scripts: { start: 'node server.js' } }), 'server.js': code });
const flask = (code: string) => ({ 'requirements.txt': 'flask==3.0.3\n', 'app.py': code });

describe('secret fallbacks in code', () => {
  it.each([
    ['JWT secret with ||', node("const express = require('express');\nconst key = process.env.JWT_SECRET || 'secret';\n"), 'JWT_SECRET', 'server.js', 2],
    ['?? and brackets', node("const app = 1;\n\nconst s = process.env['SESSION_SECRET'] ?? \"keyboard cat\";\n"), 'SESSION_SECRET', 'server.js', 3],
    ['Flask os.environ.get', flask('import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")\n'), 'SECRET_KEY', 'app.py', 4],
    ['os.getenv', flask("import os\nKEY = os.getenv('APP_SECRET', 'changeme')\n"), 'APP_SECRET', 'app.py', 2],
    ['Django literal', { 'requirements.txt': 'django==5.1\n', 'manage.py': 'import django\n', 'proj/settings.py': 'DEBUG = False\nSECRET_KEY = "django-insecure-abc123"\n' }, 'SECRET_KEY', 'proj/settings.py', 2],
    ['Ruby ENV.fetch', { Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\n", 'config.ru': "require './app'\nrun App\n", 'app.rb': "require 'sinatra'\nset :session_secret, ENV.fetch('SESSION_SECRET') { 'x' * 64 }\n" }, 'SESSION_SECRET', 'app.rb', 2],
    ['Laravel env()', { 'index.php': '<?php\necho "hi";\n', 'config/app.php': "<?php\nreturn [\n  'key' => env('APP_KEY', 'base64:AAAA'),\n];\n" }, 'APP_KEY', 'config/app.php', 3],
  ])('%s: a warning at file:line and a declared secret', async (_what, files, name, file, line) => {
    const t = await detect(repo(files));
    const svc = t.services[0]!;
    expect(svc.secretFallbacks).toEqual([{ name, file, line }]);
    expect(t.warnings).toContainEqual({ file, line, message: expect.stringContaining(`${name} falls back to a literal`) });
    expect(specFromTopology(t).services[svc.name]!.secrets).toEqual([name]);
  });

  it.each([
    ['read from the environment only', node("const key = process.env.JWT_SECRET;\nif (!key) throw new Error('JWT_SECRET');\n")],
    ['a default that is not a key', node("const port = process.env.PORT || '3000';\nconst level = process.env.LOG_LEVEL ?? 'info';\n")],
    ['an empty default', flask('import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "")\n')],
    ['in a test file', { ...node('const a = 1;\n'), 'test/auth.test.js': "process.env.JWT_SECRET || 'test-secret';\n" }],
    ['Django reading the environment', { 'requirements.txt': 'django==5.1\n', 'manage.py': 'import django\n', 'proj/settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n' }],
  ])('%s: nothing reported', async (_what, files) => {
    const t = await detect(repo(files));
    expect(t.services[0]!.secretFallbacks).toBeUndefined();
    expect(t.warnings.filter((w) => w.message.includes('falls back to a literal'))).toEqual([]);
  });
});
