/** templates/dockerfile/python: a virtualenv at /opt/venv built by pip, Poetry, uv, Pipenv or PDM. */
import { IMAGES } from '../../../images/catalog.js';
import { toExec } from '../commands.js';
import { exists, join, readToml } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export type PythonPm = 'pip' | 'poetry' | 'uv' | 'pipenv' | 'pdm';

export interface PythonX {
  pm: PythonPm;
  /** Manifest and lockfile copied before the sources (every member's in a uv workspace). */
  manifests: string[];
  /** Whether a lockfile pins the install (uv's `--frozen`). */
  frozen: boolean;
  /** In a uv workspace: the member's package name (`uv sync --package`), else null. */
  uvPackage: string | null;
  workdir: string;
  /** A requirements file of dev dependencies for the dev stage, or null. */
  devRequirements: string | null;
  /** pip with only a pyproject.toml: its `[project] dependencies` are installed, not the project. */
  pyprojectOnly: boolean;
}

export type PythonContext = TemplateContext<'python', BuildRuntimeImages, PythonX>;

export function pythonContext({ model: m, rootDir, img, base }: BuildInput): PythonContext {
  const s = m.spec;
  const dir = m.dir;
  const has = (f: string) => exists(rootDir, join(dir, f));
  let pm: PythonPm = 'pip';
  if (s.packageManager === 'poetry' || has('poetry.lock')) pm = 'poetry';
  else if (s.packageManager === 'uv' || has('uv.lock')) pm = 'uv';
  else if (s.packageManager === 'pipenv' || has('Pipfile')) pm = 'pipenv';
  else if (s.packageManager === 'pdm' || has('pdm.lock')) pm = 'pdm';
  const manifests: Record<PythonPm, string[]> = {
    pip: has('requirements.txt') ? ['requirements.txt'] : has('pyproject.toml') ? ['pyproject.toml'] : [],
    poetry: ['pyproject.toml', ...(has('poetry.lock') ? ['poetry.lock'] : [])],
    uv: ['pyproject.toml', ...(has('uv.lock') ? ['uv.lock'] : [])],
    pipenv: ['Pipfile', ...(has('Pipfile.lock') ? ['Pipfile.lock'] : [])],
    pdm: ['pyproject.toml', ...(has('pdm.lock') ? ['pdm.lock'] : [])],
  };
  const devRequirements = ['requirements-dev.txt', 'requirements/dev.txt', 'dev-requirements.txt'].find(has) ?? null;
  const port = m.port ?? 8000;
  const entry = ['main.py', 'app.py', 'server.py', 'manage.py'].find(has) ?? 'main.py';
  const module = entry.replace(/\.py$/, '');
  let start: string[];
  if (s.commands.start) start = toExec(s.commands.start);
  else if (s.framework === 'fastapi' || s.framework === 'starlette') start = ['uvicorn', `${module}:app`, '--host', '0.0.0.0', '--port', String(port)];
  else if (s.framework === 'flask') start = ['gunicorn', '--bind', `0.0.0.0:${port}`, `${module}:app`];
  else if (s.framework === 'django') start = ['python', 'manage.py', 'runserver', `0.0.0.0:${port}`, '--noreload'];
  else start = ['python', entry];
  let dev = start;
  if (start[0] === 'uvicorn') dev = [...start.filter((w) => w !== '--workers'), '--reload'];
  else if (start[0] === 'gunicorn') dev = [...start, '--reload'];
  else if (s.framework === 'django') dev = ['python', 'manage.py', 'runserver', `0.0.0.0:${port}`];
  // A uv workspace member: the root's lockfile and every member's pyproject.toml; members install from source after the copy.
  const ws = m.workspace?.kind === 'uv' ? m.workspace : null;
  const uvPackage = ws ? ((readToml(rootDir, join(dir, 'pyproject.toml'))?.project as { name?: string } | undefined)?.name ?? m.name) : null;
  const image = img(IMAGES.python(s.runtimeVersion).ref);
  return {
    ...base,
    template: 'python',
    images: { build: image, runtime: image },
    start,
    dev,
    devDirs: [],
    env: [...base.env, ['WEB_CONCURRENCY', '2']],
    x: {
      pm: ws ? 'uv' : pm,
      manifests: ws ? ws.manifests : manifests[pm],
      frozen: ws ? ws.manifests.includes('uv.lock') : manifests[pm].length > 1,
      uvPackage,
      workdir: m.workdir,
      devRequirements: ws ? null : devRequirements,
      pyprojectOnly: !ws && pm === 'pip' && manifests.pip[0] === 'pyproject.toml',
    },
  };
}
