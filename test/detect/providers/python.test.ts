import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { lowestPython } from '../../../src/detect/providers/python.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-python-'));
}

const fastapiMain = 'from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n';

describe('requires-python', () => {
  it.each([
    ['>=3.10', '3.10'],
    ['>3.9', '3.10'],
    ['>=3.9,<3.13', '3.9'],
    ['>=3.8, !=3.9.*', '3.8'],
    ['~=3.11', '3.11'],
    ['^3.11', '3.11'],
    ['==3.11.4', '3.11.4'],
    ['3.12.*', '3.12'],
    ['<3.12', undefined],
    ['*', undefined],
  ])('%s → %s', (range, want) => {
    expect(lowestPython(range)).toBe(want);
  });

  it('is the runtime version when nothing pins one exactly, and .python-version wins over it', async () => {
    const pyproject = '[project]\nname = "svc"\nrequires-python = ">=3.11,<4"\ndependencies = ["fastapi", "uvicorn"]\n';
    const t = await detectFiles({ 'pyproject.toml': pyproject, 'main.py': fastapiMain });
    expect(t.services[0]!.runtimeVersion).toBe('3.11');
    const pinned = await detectFiles({ 'pyproject.toml': pyproject, 'main.py': fastapiMain, '.python-version': '3.13.1\n' });
    expect(pinned.services[0]!.runtimeVersion).toBe('3.13.1');
  });
});

describe('the module a server imports', () => {
  it('strips a src/ layout into --app-dir', async () => {
    const t = await detectFiles({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'src/shop/__init__.py': '',
      'src/shop/api/__init__.py': '',
      'src/shop/api/main.py': fastapiMain,
    });
    expect(t.services[0]!.commands.start).toBe('uvicorn shop.api.main:app --host 0.0.0.0 --port 8000 --app-dir src');
  });

  it('keeps a folder without __init__.py in the module path when the app imports through it', async () => {
    const t = await detectFiles({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'app/main.py': `from app.db import engine\n${fastapiMain}`,
      'app/db.py': 'engine = None\n',
    });
    expect(t.services[0]!.commands.start).toBe('uvicorn app.main:app --host 0.0.0.0 --port 8000');
  });

  it('runs from the folder when the app imports its siblings directly', async () => {
    const t = await detectFiles({
      'requirements.txt': 'fastapi\nuvicorn\n',
      'backend/server.py': `from routes import router\n${fastapiMain.replace('app = FastAPI()', 'api = FastAPI()').replace('@app.', '@api.')}`,
      'backend/routes.py': 'router = None\n',
    });
    expect(t.services[0]!.commands.start).toBe('uvicorn server:api --host 0.0.0.0 --port 8000 --app-dir backend');
  });

  it('uses the port the app passes to uvicorn.run', async () => {
    const t = await detectFiles({
      'requirements.txt': 'fastapi==0.111.0\nuvicorn[standard]==0.30.0\n',
      'main.py': `import uvicorn\n${fastapiMain}\nif __name__ == "__main__":\n    uvicorn.run(app, host="0.0.0.0", port=8081)\n`,
    });
    expect(t.services[0]).toMatchObject({ framework: 'fastapi', port: 8081, commands: { start: 'uvicorn main:app --host 0.0.0.0 --port 8081' } });
  });
});

describe('package managers', () => {
  const poetryPyproject = '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.12"\nfastapi = "*"\nuvicorn = "*"\n';

  it('trusts the lockfile: uv.lock beats a [tool.poetry] table', async () => {
    const t = await detectFiles({ 'pyproject.toml': poetryPyproject, 'uv.lock': 'version = 1\n', 'main.py': fastapiMain });
    expect(t.services[0]).toMatchObject({ packageManager: 'uv', commands: { install: 'uv sync --frozen --no-dev' } });
  });

  it('is Poetry with poetry.lock, and with both lockfiles when only Poetry is configured', async () => {
    const a = await detectFiles({ 'pyproject.toml': poetryPyproject, 'poetry.lock': '# lock\n', 'main.py': fastapiMain });
    expect(a.services[0]).toMatchObject({ packageManager: 'poetry', runtimeVersion: '3.12', commands: { install: 'poetry install --only main --no-root' } });
    const b = await detectFiles({ 'pyproject.toml': poetryPyproject, 'poetry.lock': '# lock\n', 'uv.lock': 'version = 1\n', 'main.py': fastapiMain });
    expect(b.services[0]!.packageManager).toBe('poetry');
  });

  it('follows -r includes of requirements.txt for dependencies', async () => {
    const t = await detectFiles({
      'requirements.txt': '-r requirements/base.txt\ngunicorn==22.0\n',
      'requirements/base.txt': 'flask==3.0\npsycopg2-binary==2.9\n',
      'requirements/dev.txt': '-r base.txt\npytest\nredis\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    const s = t.services[0]!;
    expect(s).toMatchObject({ framework: 'flask', packageManager: 'pip', port: 8000, commands: { install: 'pip install -r requirements.txt', start: 'gunicorn --bind 0.0.0.0:8000 app:app' } });
    expect(s.backingServices).toEqual(['postgres']);
    const pg = t.backingServices.find((b) => b.kind === 'postgres')!;
    expect(pg.evidence[0]).toMatchObject({ file: 'requirements/base.txt', line: 2 });
  });

  it('does not treat a tool-only pyproject.toml as a Python project', async () => {
    const t = await detectFiles({ 'pyproject.toml': '[tool.black]\nline-length = 100\n', 'README.md': '# hi\n' });
    expect(t.services).toEqual([]);
  });
});

describe('frameworks', () => {
  it('serves Flask with the dev server on 5000 when no production server is declared', async () => {
    const t = await detectFiles({ 'requirements.txt': 'Flask>=3\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/healthz")\ndef h():\n    return "ok"\n' });
    expect(t.services[0]).toMatchObject({ framework: 'flask', port: 5000, healthPath: '/healthz', commands: { start: 'flask --app app:app run --host 0.0.0.0 --port 5000' } });
  });

  it('runs Django with runserver without gunicorn, from the folder of manage.py', async () => {
    const t = await detectFiles({
      'requirements.txt': 'django==5.0\nmysqlclient\n',
      'backend/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
      'backend/mysite/__init__.py': '',
      'backend/mysite/settings.py': 'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.mysql",\n    }\n}\n',
      'backend/mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    });
    const s = t.services[0]!;
    expect(s).toMatchObject({ path: '.', framework: 'django', port: 8000, commands: { start: 'python backend/manage.py runserver 0.0.0.0:8000', build: null } });
    expect(s.backingServices).toEqual(['mysql']);
  });

  it('uses gunicorn for Django when declared, with --chdir to manage.py', async () => {
    const t = await detectFiles({
      'requirements.txt': 'django==5.0\ngunicorn\n',
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")\n',
      'src/config/__init__.py': '',
      'src/config/wsgi.py': 'application = get_wsgi_application()\n',
    });
    expect(t.services[0]!.commands.start).toBe('gunicorn config.wsgi:application --bind 0.0.0.0:8000 --chdir src');
  });

  it('finds a standard-library server and its PORT default', async () => {
    const t = await detectFiles({
      'requirements.txt': '# nothing\n',
      'server.py': 'import os\nfrom http.server import HTTPServer, BaseHTTPRequestHandler\n\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        if self.path == "/ping":\n            pass\n\nif __name__ == "__main__":\n    HTTPServer(("", int(os.getenv("PORT", "9000"))), H).serve_forever()\n',
    });
    expect(t.services[0]).toMatchObject({ framework: null, port: 9000, healthPath: '/ping', commands: { start: 'python server.py' } });
  });

  it('makes a looping script a worker, one that ends a job, and a package without an entry point nothing', async () => {
    const w = await detectFiles({ 'requirements.txt': 'requests\n', 'main.py': 'import time\n\nif __name__ == "__main__":\n    while True:\n        time.sleep(60)\n' });
    expect(w.services[0]).toMatchObject({ role: 'worker', port: null, commands: { start: 'python main.py' } });
    expect(w.services[0]!.evidence).toContainEqual({ file: 'main.py', line: 4, signal: '`while True:`: keeps running, a worker' });
    const cli = await detectFiles({ 'requirements.txt': 'click\n', 'main.py': 'import click\n\nif __name__ == "__main__":\n    print("hi")\n' });
    expect(cli.services[0]).toMatchObject({ role: 'job', port: null, commands: { start: 'python main.py' } });
    // One script of any name, without a main block, is the program.
    const lone = await detectFiles({ 'requirements.txt': '', 'export_rows.py': 'import csv\nprint("done")\n' });
    expect(lone.services[0]).toMatchObject({ role: 'job', commands: { start: 'python export_rows.py' } });
    // A queue consumer library keeps the script running.
    const consumer = await detectFiles({ 'requirements.txt': 'pika==1.3.2\n', 'consume.py': 'import pika\n\nif __name__ == "__main__":\n    run()\n' });
    expect(consumer.services[0]).toMatchObject({ role: 'worker', port: null, commands: { start: 'python consume.py' } });
    const lib = await detectFiles({ 'setup.py': 'from setuptools import setup\nsetup(name="lib", install_requires=["requests"])\n', 'lib/__init__.py': 'def f():\n    return 1\n' });
    expect(lib.services).toEqual([]);
  });

  it('a gRPC server is a web service on the port it adds, passed through the variable it reads', async () => {
    const lit = await detectFiles({ 'requirements.txt': 'grpcio\n', 'server.py': 'import grpc\nfrom concurrent import futures\n\ndef serve():\n    server = grpc.server(futures.ThreadPoolExecutor())\n    server.add_insecure_port("[::]:50052")\n    server.start()\n    server.wait_for_termination()\n\nif __name__ == "__main__":\n    serve()\n' });
    expect(lit.services[0]).toMatchObject({ port: 50052, commands: { start: 'python server.py' } });
    expect(lit.services[0]!.role).toBeUndefined();
    expect(lit.services[0]!.evidence).toContainEqual({ file: 'server.py', line: 6, signal: '`server.add_insecure_port("[::]:50052")`' });
    const env = await detectFiles({ 'requirements.txt': 'grpcio\n', 'server.py': 'import os\nimport grpc\n\nPORT = os.environ.get("GRPC_PORT", 9090)\n\ndef serve():\n    server = grpc.server(None)\n    server.add_insecure_port(f"[::]:{PORT}")\n\nif __name__ == "__main__":\n    serve()\n' });
    expect(env.services[0]).toMatchObject({ port: 9090, portEnv: 'GRPC_PORT' });
  });

  it('the app\'s own app.run(port=…) beats an installed server\'s default', async () => {
    const t = await detectFiles({ 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(port=80)\n' });
    expect(t.services[0]).toMatchObject({ port: 80, commands: { start: 'gunicorn --bind 0.0.0.0:80 app:app' } });
  });

  it('takes the port from a Procfile web command and from env files', async () => {
    const p = await detectFiles({ 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': fastapiMain, Procfile: 'web: uvicorn main:app --host 0.0.0.0 --port 5050\n' });
    expect(p.services[0]).toMatchObject({ port: 5050, commands: { start: 'uvicorn main:app --host 0.0.0.0 --port 5050' } });
    const e = await detectFiles({ 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': fastapiMain, '.env.example': 'PORT=7001\n' });
    expect(e.services[0]).toMatchObject({ port: 7001, commands: { start: 'uvicorn main:app --host 0.0.0.0 --port 7001' } });
  });
});

describe('broken manifests', () => {
  it('warns with the line of a broken pyproject.toml and still reads the app', async () => {
    const t = await detectFiles({
      'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask"\n',
      'requirements.txt': 'flask\ngunicorn\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(t.warnings.some((w) => w.file === 'pyproject.toml' && w.line !== undefined && /invalid TOML/.test(w.message))).toBe(true);
    expect(t.services[0]).toMatchObject({ language: 'python', framework: 'flask', commands: { start: 'gunicorn --bind 0.0.0.0:8000 app:app' } });
  });
});

describe('uv workspaces', () => {
  it('installs a member with --package and leaves library members out', async () => {
    const t = await detectFiles({
      'pyproject.toml': '[project]\nname = "root"\nversion = "0"\n\n[tool.uv.workspace]\nmembers = ["apps/*", "libs/*"]\n',
      'uv.lock': 'version = 1\n',
      'apps/web/pyproject.toml': '[project]\nname = "web"\nversion = "0"\ndependencies = ["flask", "gunicorn", "common"]\n',
      'apps/web/web/__init__.py': '',
      'apps/web/web/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'libs/common/pyproject.toml': '[project]\nname = "common"\nversion = "0"\ndependencies = ["redis"]\n',
      'libs/common/common/__init__.py': 'X = 1\n',
    });
    expect(t.services.map((s) => s.name)).toEqual(['web']);
    expect(t.services[0]).toMatchObject({ packageManager: 'uv', commands: { install: 'uv sync --frozen --no-dev --package web', start: 'gunicorn --bind 0.0.0.0:8000 web.app:app' } });
  });
});

describe('ports of other services in the config', () => {
  it('MAIL_PORT / REDIS_PORT defaults are not the app\'s port (a Flask config module beside the app)', async () => {
    const t = await detectFiles({
      'requirements.txt': 'flask\ngunicorn\nredis\n',
      'config.py': 'import os\n\nclass Config:\n    MAIL_PORT = int(os.environ.get(\'MAIL_PORT\') or 25)\n    REDIS_PORT = os.getenv("REDIS_PORT", 6380)\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    expect(t.services.map((s) => [s.port, s.commands.start])).toEqual([[8000, 'gunicorn --bind 0.0.0.0:8000 app:app']]);
  });

  it('the app\'s own APP_PORT default still counts', async () => {
    const t = await detectFiles({ 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\nPORT = int(os.environ.get("APP_PORT", 7070))\n' });
    expect(t.services.map((s) => s.port)).toEqual([7070]);
  });
});

describe('a virtual uv workspace root and maintenance scripts', () => {
  const release = 'import sys\n\ndef main():\n    print(sys.argv)\n\nif __name__ == "__main__":\n    main()\n';

  it('a root pyproject.toml with [tool.uv.workspace] and no [project] is a workspace root, not a job running scripts/', async () => {
    const t = await detectFiles({
      'pyproject.toml': '[dependency-groups]\ndev = ["typer>=0.20"]\n\n[tool.uv.workspace]\nmembers = ["backend"]\n',
      'uv.lock': 'version = 1\n',
      'scripts/bump_release.py': release,
      'backend/pyproject.toml': '[project]\nname = "app"\nversion = "0"\ndependencies = ["fastapi[standard]", "psycopg"]\n',
      'backend/app/__init__.py': '',
      'backend/app/main.py': fastapiMain,
    });
    expect(t.services.map((s) => [s.name, s.path, s.role ?? 'web'])).toEqual([['app', 'backend', 'web']]);
    expect(t.services[0]!.commands.install).toBe('uv sync --frozen --no-dev --package app');
  });

  it('a main block under scripts/ is not the entry point of a project that has no other', async () => {
    const t = await detectFiles({ 'pyproject.toml': '[project]\nname = "tools"\nversion = "0"\ndependencies = ["httpx"]\n', 'scripts/bump_release.py': release, 'tools/lint.py': release });
    expect(t.services).toEqual([]);
  });

  it('a main block elsewhere still makes a job', async () => {
    const t = await detectFiles({ 'pyproject.toml': '[project]\nname = "etl"\nversion = "0"\ndependencies = ["httpx"]\n', 'etl/load.py': release, 'etl/__init__.py': '' });
    expect(t.services.map((s) => [s.name, s.role, s.commands.start])).toEqual([['etl', 'job', 'python etl/load.py']]);
  });
});

describe('a Celery app beside a web app', () => {
  const django = {
    'requirements.txt': 'Django==5.1.3\ngunicorn==23.0.0\ncelery[redis]==5.4.0\n',
    'manage.py': 'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
    'shop/__init__.py': 'from .celery import app as celery_app\n',
    'shop/settings.py': 'ROOT_URLCONF = "shop.urls"\nWSGI_APPLICATION = "shop.wsgi.application"\n',
    'shop/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
    'shop/celery.py': 'from celery import Celery\n\napp = Celery("shop")\napp.autodiscover_tasks()\n',
  };

  it('without a Procfile: a worker service on the same code runs the Celery app', async () => {
    const t = await detectFiles(django);
    const [web, worker] = t.services;
    expect(t.services.map((s) => [s.name, s.framework, s.port === null])).toEqual([[web!.name, 'django', false], [`${web!.name}-worker`, 'django', true]]);
    expect(worker!.commands.start).toBe('celery -A shop.celery worker --loglevel=info');
    expect(worker!.path).toBe(web!.path);
    expect(worker!.evidence).toContainEqual(expect.objectContaining({ file: 'shop/celery.py', line: 3 }));
    expect(t.backingServices.map((b) => b.kind)).toContain('redis');
  });

  it('with a Procfile, the Procfile alone says which processes run', async () => {
    const t = await detectFiles({ ...django, Procfile: 'web: gunicorn shop.wsgi --bind 0.0.0.0:8000\n' });
    expect(t.services).toHaveLength(1);
    const both = await detectFiles({ ...django, Procfile: 'web: gunicorn shop.wsgi\nworker: celery -A shop worker -l info\n' });
    expect(both.services.map((s) => s.commands.start)).toEqual(['gunicorn shop.wsgi', 'celery -A shop worker -l info']);
  });
});

describe('a packaged command-line program', () => {
  it("runs the console script `pip install .` installs (httpie: setup.cfg's `http`), not a benchmark's test server under extras/", async () => {
    const t = await detectFiles({
      'setup.py': 'from setuptools import setup\nsetup()\n',
      'setup.cfg': '[metadata]\nname = httpie\n\n[options]\npackages = find:\ninstall_requires =\n    requests>=2.22.0\n\n[options.entry_points]\nconsole_scripts =\n    http = httpie.__main__:main\n    https = httpie.__main__:main\n',
      'httpie/__init__.py': '',
      'httpie/__main__.py': "import sys\n\ndef main():\n    from .core import main\n    return main()\n\nif __name__ == '__main__':\n    sys.exit(main())\n",
      'extras/profiling/benchmarks.py': "from http.server import HTTPServer\n\nif __name__ == '__main__':\n    server = HTTPServer(('localhost', 0), None)\n",
    });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ role: 'job', port: null, commands: { install: 'pip install .', start: 'http' } });
    expect(t.services[0]!.evidence).toContainEqual(expect.objectContaining({ file: 'setup.cfg', line: 11, signal: expect.stringMatching(/console script `http` \(httpie\.__main__:main\)/) }));
  });

  it('[project.scripts] in pyproject.toml names the command; a web framework app keeps its server', async () => {
    const cli = await detectFiles({
      'pyproject.toml': '[project]\nname = "reporter"\nversion = "1.0"\ndependencies = ["click>=8"]\n\n[project.scripts]\nreport = "reporter.cli:main"\n',
      'reporter/__init__.py': '',
      'reporter/cli.py': 'import click\n\n@click.command()\ndef main():\n    click.echo("done")\n',
    });
    expect(cli.services[0]).toMatchObject({ role: 'job', commands: { start: 'report' } });
    const web = await detectFiles({
      'pyproject.toml': '[project]\nname = "api"\nversion = "1.0"\ndependencies = ["fastapi", "uvicorn"]\n\n[project.scripts]\nserve = "api.main:run"\n',
      'api/__init__.py': '',
      'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    });
    expect(web.services[0]).toMatchObject({ framework: 'fastapi', port: 8000 });
    expect(web.services[0]!.role).toBeUndefined();
  });
});
