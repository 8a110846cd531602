/**
 * Python: pip, Poetry, uv (with workspaces), Pipenv and PDM projects running Django, FastAPI,
 * Flask, FastHTML, Starlette or another server. The app object is found in the source
 * (`app = FastAPI()`), so the start command imports the module that really holds it, and a
 * production server the project declares (gunicorn, uvicorn, …) is preferred over a dev server.
 *
 * A Celery app in the same code becomes a worker service beside the web one (a Procfile, when
 * present, declares the processes instead).
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { backingFromDependency } from '../backing.js';
import { scanEnvFiles } from '../env-files.js';
import { parseProcfile } from '../procfile.js';
import { candidate, inDir, type BackingUse, type Candidate, type Fact, type Provider } from '../provider.js';
import type { Framework, PackageManager } from '../types.js';
import { toolVersionsPin, upTo, versionFilePin } from '../readers.js';
import { moduleOf, pythonFiles, relTo, scanPython, type AppObject, type Located, type PyScan } from './python/app.js';
import { lineOpt, pipfileDeps, pyprojectDeps, readRequirements, requirementFiles, setupDeps, tomlPath, type PyDep, type Toml } from './python/deps.js';

const MANIFEST_NAMES = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py', 'setup.cfg', 'manage.py', 'uv.lock', 'poetry.lock', 'pdm.lock'];
const REQ_FILE = /^requirements[\w.-]*\.(txt|in)$/;

export const pythonProvider: Provider = {
  name: 'python',
  detect(source: SourceView): Candidate[] {
    const projects = findProjects(source);
    const dirs = [...projects.keys()].sort();
    return dirs.map((d) => {
      const nested = dirs.filter((x) => x !== d && (d === '.' || x.startsWith(`${d}/`)));
      return describe(source, d, projects.get(d)!, nested);
    }).filter((c): c is Candidate => c !== undefined);
  },
};

interface Project {
  /** Folder of manage.py when it is not the project folder itself. */
  djangoDir?: string;
}

/** Folders holding a Python project; a manage.py without a manifest of its own belongs to the nearest project above. */
function findProjects(source: SourceView): Map<string, Project> {
  const reqNames = new Set<string>();
  for (const f of source.files) {
    const base = f.slice(f.lastIndexOf('/') + 1);
    if (REQ_FILE.test(base)) reqNames.add(base);
  }
  const projects = new Map<string, Project>();
  const manages: string[] = [];
  for (const f of source.manifests([...MANIFEST_NAMES, ...reqNames])) {
    const base = path.posix.basename(f);
    let d = path.posix.dirname(f);
    if (REQ_FILE.test(base) && path.posix.basename(d) === 'requirements') d = path.posix.dirname(d);
    if (base === 'manage.py') {
      manages.push(d);
      continue;
    }
    if (base === 'pyproject.toml' && !isPythonPyproject(source, f)) continue;
    if (base === 'setup.py' && !/\bsetup\s*\(/.test(source.readText(f) ?? '')) continue;
    if (!projects.has(d)) projects.set(d, {});
  }
  for (const m of manages) {
    if (!/DJANGO_SETTINGS_MODULE|django/.test(source.readText(inDir(m, 'manage.py')) ?? '')) continue;
    const owner = upTo(m).find((d) => projects.has(d));
    if (owner !== undefined) {
      const p = projects.get(owner)!;
      if (p.djangoDir === undefined || owner === m) p.djangoDir = m;
    } else projects.set(m, { djangoDir: m });
  }
  return projects;
}

/** A pyproject.toml that only configures tools (ruff, black) does not make a folder a Python project. */
function isPythonPyproject(source: SourceView, file: string): boolean {
  const { value, error } = source.readToml<Toml>(file);
  if (error) return true;
  if (!value) return false;
  return ['project', 'build-system'].some((k) => k in value) || ['poetry', 'uv', 'pdm', 'hatch', 'flit', 'setuptools'].some((k) => tomlPath(value, 'tool', k) !== undefined);
}

interface Ctx {
  source: SourceView;
  dir: string;
  facts: Fact[];
  deps: PyDep[];
  has(dep: string): PyDep | undefined;
}

function describe(source: SourceView, dir: string, project: Project, nested: string[]): Candidate | undefined {
  const pyFile = inDir(dir, 'pyproject.toml');
  const parsed = source.has(pyFile) ? source.readToml<Toml>(pyFile) : {};
  const pyproject = parsed.value;
  const pyText = source.has(pyFile) ? (source.readText(pyFile) ?? '') : '';
  const facts: Fact[] = [];
  const c = candidate({ path: dir, language: 'python', facts });

  // Dependencies, from every manifest that declares runtime ones.
  const deps: PyDep[] = [];
  const reqs = requirementFiles(source, dir);
  for (const r of reqs) facts.push({ file: r, signal: path.posix.basename(r), kind: 'manifest' });
  deps.push(...readRequirements(source, reqs));
  if (source.has(pyFile)) {
    facts.push({ file: pyFile, signal: parsed.error ? 'pyproject.toml (unparsable)' : 'pyproject.toml', kind: 'manifest' });
    if (pyproject) deps.push(...pyprojectDeps(pyproject, pyFile, pyText));
  }
  const pipfile = inDir(dir, 'Pipfile');
  const pipParsed = source.has(pipfile) ? source.readToml<Toml>(pipfile) : {};
  if (source.has(pipfile)) {
    facts.push({ file: pipfile, signal: 'Pipfile', kind: 'manifest' });
    if (pipParsed.value) deps.push(...pipfileDeps(pipParsed.value, pipfile, source.readText(pipfile) ?? ''));
  }
  const setup = setupDeps(source, dir);
  deps.push(...setup);
  for (const f of ['setup.py', 'setup.cfg']) if (source.has(inDir(dir, f)) && !reqs.length && !pyproject) facts.push({ file: inDir(dir, f), signal: f, kind: 'manifest' });
  const ctx: Ctx = { source, dir, facts, deps, has: (n) => deps.find((d) => d.name === n) };

  const name = str(tomlPath(pyproject, 'project', 'name')) ?? str(tomlPath(pyproject, 'tool', 'poetry', 'name'));
  if (name) c.name = name;

  const ws = uvWorkspaceRoot(source, dir);
  c.packageManager = packageManager(ctx, pyproject, ws);
  c.commands.install = installCommand(ctx, c.packageManager, reqs[0], ws !== undefined && ws !== dir ? name : undefined);
  c.runtimeVersion = runtimeVersion(ctx, pyproject, pipParsed.value);

  const scan = scanPython(source, pythonFiles(source, dir, nested));
  c.backing = backing(ctx, scan);
  const metrics = ['prometheus-client', 'prometheus-fastapi-instrumentator', 'django-prometheus', 'prometheus-flask-exporter', 'starlette-exporter', 'starlette-prometheus', 'aioprometheus'].map((n) => ctx.has(n)).find(Boolean);
  if (metrics) {
    c.metricsPath = '/metrics';
    facts.push({ file: metrics.file, ...lineOpt(metrics.line), signal: `dependency \`${metrics.name}\`: metrics at /metrics`, kind: 'heuristic' });
  }

  const env = scanEnvFiles(source, dir);
  const envPort = env.port !== null && env.portFact ? { port: env.port, fact: env.portFact } : undefined;
  const web = procfileWeb(source, dir);
  // A uv workspace root without a `[project]` table (a virtual root) installs nothing of its own:
  // its dev tools and maintenance scripts are not a program, so it is a workspace root only.
  const virtualRoot = ws === dir && pyproject !== undefined && !('project' in pyproject) && tomlPath(pyproject, 'tool', 'poetry') === undefined;
  if (virtualRoot) facts.push({ file: pyFile, ...lineOpt(source.lineOf(pyFile, /^\s*\[tool\.uv\.workspace\]/)), signal: '[tool.uv.workspace] without [project]: a virtual workspace root', kind: 'manifest' });
  const plan = virtualRoot ? undefined : servePlan(ctx, scan, project, envPort);
  if (plan) {
    c.framework = plan.framework;
    c.role = plan.role;
    c.commands.start = web?.command ?? plan.start;
    c.commands.build = plan.build ?? null;
    const procPort = web ? portInCommand(web.command) : undefined;
    c.port = plan.role !== 'web' ? null : (procPort ?? plan.port);
    if (plan.portEnv && c.port === plan.port) c.portEnv = plan.portEnv;
    if (web) facts.push({ file: web.file, line: web.line, signal: `Procfile web: ${web.command}`, kind: 'start' });
    else if (plan.startFrom) facts.push({ file: plan.startFrom.file, line: plan.startFrom.line, signal: '`if __name__ == "__main__":` starts the server', kind: 'start' });
    if (plan.role === 'web' && scan.celery && ctx.has('celery')) {
      // The web app's code also defines a Celery app: its worker runs from the same image.
      const mod = moduleOf(source, dir, scan.celery.file);
      c.companions = [{ type: 'worker', start: `celery -A ${mod.module} worker --loglevel=info`, fact: { file: scan.celery.file, line: scan.celery.line, signal: `\`${scan.celery.text}\`: a Celery worker beside the web app`, kind: 'usage' } }];
    }
    if (plan.role === 'web') {
      const h = [...scan.health].sort((a, b) => a.rank - b.rank)[0];
      if (plan.healthPath) c.healthPath = plan.healthPath;
      else if (h) {
        c.healthPath = h.path;
        facts.push({ file: h.file, line: h.line, signal: `health route \`${h.text}\``, kind: 'heuristic' });
      }
    }
  } else if (web) {
    c.commands.start = web.command;
    c.port = portInCommand(web.command) ?? envPort?.port ?? 8000;
    facts.push({ file: web.file, line: web.line, signal: `Procfile web: ${web.command}`, kind: 'start' });
  } else {
    c.role = ws === dir ? 'workspace' : 'library';
  }
  if (parsed.error && !plan && !web) c.role = 'library';
  return c;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The nearest folder (this one or above) whose pyproject.toml declares `[tool.uv.workspace]`. */
function uvWorkspaceRoot(source: SourceView, dir: string): string | undefined {
  for (const d of upTo(dir)) {
    const f = inDir(d, 'pyproject.toml');
    if (!source.has(f)) continue;
    const t = source.readToml<Toml>(f).value;
    if (tomlPath(t, 'tool', 'uv', 'workspace') !== undefined) return d;
  }
  return undefined;
}

/** A lockfile says which tool really installs the project; tool tables and plain manifests come after. */
function packageManager(ctx: Ctx, pyproject: Toml | undefined, ws: string | undefined): PackageManager {
  const { source, dir, facts } = ctx;
  const lockDirs = ws !== undefined && ws !== dir ? [dir, ws] : [dir];
  const lock = (n: string) => lockDirs.map((d) => inDir(d, n)).find((f) => source.has(f));
  const uvLock = lock('uv.lock');
  const poetryLock = lock('poetry.lock');
  const poetryTable = tomlPath(pyproject, 'tool', 'poetry') !== undefined;
  const uvTable = tomlPath(pyproject, 'tool', 'uv') !== undefined;
  const pick = (pm: PackageManager, file: string, signal: string, kind: Fact['kind']): PackageManager => {
    facts.push({ file, signal, kind });
    return pm;
  };
  if (uvLock && poetryLock) return poetryTable && !uvTable ? pick('poetry', poetryLock, 'poetry.lock', 'lockfile') : pick('uv', uvLock, 'uv.lock', 'lockfile');
  if (uvLock) return pick('uv', uvLock, 'uv.lock', 'lockfile');
  if (poetryLock) return pick('poetry', poetryLock, 'poetry.lock', 'lockfile');
  const pdmLock = lock('pdm.lock');
  if (pdmLock) return pick('pdm', pdmLock, 'pdm.lock', 'lockfile');
  const pipLock = inDir(dir, 'Pipfile.lock');
  if (source.has(pipLock)) return pick('pipenv', pipLock, 'Pipfile.lock', 'lockfile');
  if (source.has(inDir(dir, 'Pipfile'))) return 'pipenv';
  const pyFile = inDir(dir, 'pyproject.toml');
  const backend = str(tomlPath(pyproject, 'build-system', 'build-backend')) ?? '';
  if (poetryTable && (tomlPath(pyproject, 'tool', 'poetry', 'dependencies') !== undefined || backend.startsWith('poetry'))) return pick('poetry', pyFile, '[tool.poetry]', 'heuristic');
  if (uvTable || (ws !== undefined && ws !== dir)) return pick('uv', pyFile, '[tool.uv]', 'heuristic');
  if (tomlPath(pyproject, 'tool', 'pdm') !== undefined) return pick('pdm', pyFile, '[tool.pdm]', 'heuristic');
  return 'pip';
}

function installCommand(ctx: Ctx, pm: PackageManager | null, req: string | undefined, uvMember: string | undefined): string | null {
  const { source, dir } = ctx;
  switch (pm) {
    case 'poetry':
      return 'poetry install --only main --no-root';
    case 'uv': {
      const locked = upTo(dir).some((d) => source.has(inDir(d, 'uv.lock')));
      return `uv sync${locked ? ' --frozen' : ''} --no-dev${uvMember ? ` --package ${uvMember}` : ''}`;
    }
    case 'pipenv':
      return source.has(inDir(dir, 'Pipfile.lock')) ? 'pipenv install --deploy' : 'pipenv install';
    case 'pdm':
      return 'pdm install --prod';
    default:
      if (req) return `pip install -r ${relTo(dir, req)}`;
      if (['pyproject.toml', 'setup.py', 'setup.cfg'].some((f) => source.has(inDir(dir, f)))) return 'pip install .';
      return null;
  }
}

/**
 * The lowest Python minor a `requires-python` (or Poetry `python`) range allows:
 * ">=3.10" → "3.10", ">3.9" → "3.10", "^3.11" → "3.11", "==3.11.4" → "3.11.4", "<3.12" → undefined.
 */
export function lowestPython(range: string): string | undefined {
  let best: [number, number, number | undefined] | undefined;
  for (const clauseRaw of range.split(/[,|]/)) {
    const clause = clauseRaw.trim();
    const m = /^(>=|>|==|~=|\^|~|===)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?/.exec(clause);
    if (!m?.[2] || m[3] === undefined || m[3] === '*') continue;
    const op = m[1] ?? '==';
    const major = Number(m[2]);
    let minor = Number(m[3]);
    let patch: number | undefined = m[4] !== undefined && m[4] !== '*' ? Number(m[4]) : undefined;
    if (op === '>' && patch === undefined) minor += 1;
    if (op !== '==' && op !== '===') patch = undefined;
    const v: [number, number, number | undefined] = [major, minor, patch];
    if (!best || major > best[0] || (major === best[0] && minor > best[1])) best = v;
  }
  if (!best) return undefined;
  return best[2] !== undefined ? `${best[0]}.${best[1]}.${best[2]}` : `${best[0]}.${best[1]}`;
}

function cleanPin(v: string): string | undefined {
  return /(\d+\.\d+(?:\.\d+)?)/.exec(v.replace(/^(python|cpython)-?/i, ''))?.[1];
}

function runtimeVersion(ctx: Ctx, pyproject: Toml | undefined, pipfile: Toml | undefined): string | null {
  const { source, dir, facts } = ctx;
  const pin = (version: string | undefined, file: string, signal: string, line?: number): string | null => {
    if (!version) return null;
    facts.push({ file, ...lineOpt(line), signal, kind: 'version' });
    return version;
  };
  const pv = versionFilePin(source, dir, '.python-version');
  if (pv && cleanPin(pv.version)) return pin(cleanPin(pv.version), pv.file, `.python-version ${pv.version}`, pv.line);
  const rt = inDir(dir, 'runtime.txt');
  const rtText = source.has(rt) ? source.readText(rt)?.trim() : undefined;
  if (rtText && cleanPin(rtText)) return pin(cleanPin(rtText), rt, `runtime.txt ${rtText}`, 1);
  const tv = toolVersionsPin(source, dir, ['python']);
  if (tv && cleanPin(tv.version)) return pin(cleanPin(tv.version), tv.file, `.tool-versions python ${tv.version}`, tv.line);
  const mise = misePython(source, dir);
  if (mise) return pin(mise.version, mise.file, `mise python ${mise.version}`, mise.line);
  const pf = str(tomlPath(pipfile, 'requires', 'python_full_version')) ?? str(tomlPath(pipfile, 'requires', 'python_version'));
  if (pf && cleanPin(pf)) return pin(cleanPin(pf), inDir(dir, 'Pipfile'), `Pipfile python_version ${pf}`, source.lineOf(inDir(dir, 'Pipfile'), /python_(full_)?version/));
  const pyFile = inDir(dir, 'pyproject.toml');
  const rp = str(tomlPath(pyproject, 'project', 'requires-python'));
  if (rp && lowestPython(rp)) return pin(lowestPython(rp), pyFile, `requires-python ${rp}`, source.lineOf(pyFile, /^\s*requires-python\s*=/));
  const poetryPy = str(tomlPath(pyproject, 'tool', 'poetry', 'dependencies', 'python'));
  if (poetryPy && lowestPython(poetryPy)) return pin(lowestPython(poetryPy), pyFile, `poetry python ${poetryPy}`, source.lineOf(pyFile, /^\s*python\s*=/));
  return null;
}

function misePython(source: SourceView, dir: string): { version: string; file: string; line?: number } | undefined {
  for (const d of upTo(dir)) {
    for (const n of ['mise.toml', '.mise.toml']) {
      const f = inDir(d, n);
      if (!source.has(f)) continue;
      const v = tomlPath(source.readToml<Toml>(f).value, 'tools', 'python');
      const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : str(tomlPath(v as Toml, 'version'));
      const clean = s ? cleanPin(s) : undefined;
      if (clean) return { version: clean, file: f, ...lineOpt(source.lineOf(f, /^\s*python\s*=/)) };
    }
  }
  return undefined;
}

function backing(ctx: Ctx, scan: PyScan): BackingUse[] {
  const out: BackingUse[] = [];
  const add = (b: BackingUse) => {
    if (!out.some((x) => x.kind === b.kind)) out.push(b);
  };
  for (const d of ctx.deps) {
    const kind = backingFromDependency('pypi', d.name) ?? d.extras.map((e) => backingFromDependency('pypi', `${d.name}[${e}]`)).find(Boolean);
    if (kind) add({ kind, evidence: { file: d.file, ...lineOpt(d.line), signal: `dependency \`${d.name}${d.extras.length ? `[${d.extras.join(',')}]` : ''}\`` } });
  }
  for (const b of scan.backing) add({ kind: b.kind, evidence: { file: b.file, line: b.line, signal: b.signal } });
  return out;
}

function procfileWeb(source: SourceView, dir: string): { file: string; line: number; command: string } | undefined {
  const file = inDir(dir, 'Procfile');
  const web = parseProcfile(source, file).find((p) => p.type === 'web');
  return web ? { file, line: web.line, command: web.command } : undefined;
}

/** The port a server command line binds: `--port 8080`, `--bind 0.0.0.0:8000`, `runserver 0.0.0.0:8000`, `${PORT:-8000}`. */
export function portInCommand(cmd: string): number | undefined {
  const pats = [/\$\{PORT:-(\d{2,5})\}/, /(?:--port|-p)[=\s]+(\d{2,5})\b/, /(?:--bind|-b|--listen)[=\s]+\S*?:(\d{2,5})\b/, /runserver\s+\S*?:?(\d{2,5})\b/, /--server\.port[=\s]+(\d{2,5})/];
  for (const re of pats) {
    const n = Number(re.exec(cmd)?.[1]);
    if (Number.isInteger(n) && n > 0 && n < 65536) return n;
  }
  if (/\$\{?PORT\b/.test(cmd)) {
    if (/^\s*(gunicorn|uvicorn|hypercorn|daphne|granian)\b/.test(cmd) || /runserver/.test(cmd)) return 8000;
    if (/flask\s.*\brun\b/.test(cmd)) return 5000;
  }
  return undefined;
}

interface Plan {
  framework: Framework | null;
  role: 'web' | 'worker' | 'job';
  start: string | null;
  startFrom?: Located;
  build?: string;
  port: number | null;
  healthPath?: string;
  /** The environment variable the code reads the port from. */
  portEnv?: string;
}

type PortPick = { port: number; fact: Fact } | undefined;

function codePort(scan: PyScan, file?: string): PortPick {
  const list = [...scan.ports].sort((a, b) => (file ? Number(b.file === file) - Number(a.file === file) : 0) || a.rank - b.rank);
  const p = list[0];
  return p ? { port: p.port, fact: { file: p.file, line: p.line, signal: `\`${p.text}\``, kind: 'port' } } : undefined;
}

const FRAMEWORK_DEP: Array<[Framework, string[]]> = [
  ['fasthtml', ['python-fasthtml']],
  ['fastapi', ['fastapi', 'fastapi-slim']],
  ['flask', ['flask']],
  ['starlette', ['starlette']],
];

/** How the app is served: framework, start command, port. Undefined when nothing runs. */
function servePlan(ctx: Ctx, scan: PyScan, project: Project, envPort: PortPick): Plan | undefined {
  const { source, dir, facts, has } = ctx;
  const depFact = (d: PyDep, kind: Fact['kind'], note = '') => facts.push({ file: d.file, ...lineOpt(d.line), signal: `dependency \`${d.name}\`${note}`, kind });
  const imp = (mod: string) => scan.imports.get(mod);
  const usage = (mod: string) => {
    const i = imp(mod);
    if (i) facts.push({ file: i.file, line: i.line, signal: `\`${i.text}\``, kind: 'usage' });
  };
  const portFact = (p: PortPick, fallback: number): number => {
    if (p) facts.push(p.fact);
    return p?.port ?? fallback;
  };
  const servers = {
    gunicorn: has('gunicorn'),
    uvicorn: has('uvicorn') ?? deps(ctx).find((d) => (d.name === 'fastapi' || d.name === 'uvicorn') && d.extras.some((e) => e === 'standard' || e === 'all')),
    hypercorn: has('hypercorn'),
    granian: has('granian'),
    daphne: has('daphne'),
    waitress: has('waitress'),
  };
  const serverFact = (n: keyof typeof servers) => {
    const d = servers[n];
    if (d) depFact(d, 'start', ' (production server)');
  };

  // Django: manage.py names the settings module; the WSGI/ASGI module sits next to it.
  const django = has('django');
  if (project.djangoDir !== undefined || (django && scan.apps.some((a) => a.kind.startsWith('django')))) {
    const ddir = project.djangoDir ?? path.posix.dirname(scan.apps.find((a) => a.kind.startsWith('django'))!.file);
    const manage = inDir(ddir, 'manage.py');
    const settings = /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(source.readText(manage) ?? '')?.[1];
    const proj = settings?.split('.')[0] ?? scan.apps.find((a) => a.kind === 'django-wsgi')?.file.split('/').slice(-2, -1)[0] ?? 'config';
    if (django) depFact(django, 'framework');
    usage('django');
    if (source.has(manage)) facts.push({ file: manage, ...lineOpt(source.lineOf(manage, 'DJANGO_SETTINGS_MODULE')), signal: settings ? `manage.py (settings ${settings})` : 'manage.py', kind: 'entrypoint' });
    const rel = relTo(dir, ddir);
    const port = portFact(envPort, 8000);
    const asgi = source.has(inDir(ddir, `${proj}/asgi.py`));
    let start: string;
    if (servers.gunicorn) {
      serverFact('gunicorn');
      start = `gunicorn ${proj}.wsgi:application --bind 0.0.0.0:${port}${rel !== '.' ? ` --chdir ${rel}` : ''}`;
    } else if (servers.uvicorn && asgi) {
      serverFact('uvicorn');
      start = `uvicorn ${proj}.asgi:application --host 0.0.0.0 --port ${port}${rel !== '.' ? ` --app-dir ${rel}` : ''}`;
    } else if (servers.daphne && asgi) {
      serverFact('daphne');
      start = `${rel !== '.' ? `PYTHONPATH=${rel} ` : ''}daphne -b 0.0.0.0 -p ${port} ${proj}.asgi:application`;
    } else if (servers.granian) {
      serverFact('granian');
      start = `${rel !== '.' ? `PYTHONPATH=${rel} ` : ''}granian --interface wsgi --host 0.0.0.0 --port ${port} ${proj}.wsgi:application`;
    } else start = `python ${rel === '.' ? '' : `${rel}/`}manage.py runserver 0.0.0.0:${port}`;
    const plan: Plan = { framework: 'django', role: 'web', start, port };
    if (scan.staticRoot) {
      plan.build = `python ${rel === '.' ? '' : `${rel}/`}manage.py collectstatic --noinput`;
      facts.push({ file: scan.staticRoot.file, line: scan.staticRoot.line, signal: '`STATIC_ROOT` set: collectstatic at build', kind: 'heuristic' });
    }
    return plan;
  }

  // Frameworks with an app object: the declared or imported framework that has an object wins.
  const fw = pickFramework(ctx, scan);
  if (fw) {
    const declared = FRAMEWORK_DEP.find(([f]) => f === fw.framework)?.[1].map((n) => has(n)).find(Boolean);
    if (declared) depFact(declared, 'framework');
    usage(fw.framework);
    const app = fw.app;
    if (app) facts.push({ file: app.file, line: app.line, signal: `${fw.framework} app \`${app.attr}\``, kind: 'entrypoint' });
    const file = app?.file ?? entryFile(source, dir, scan);
    const target = file ? moduleOf(source, dir, file) : { root: '.', module: 'main' };
    const spec = `${target.module}:${app?.attr ?? 'app'}`;
    const fileRel = file ? relTo(dir, file) : 'main.py';
    const main = file ? scan.mains.find((m) => m.file === file && m.runs === 'server') : undefined;
    const code = codePort(scan, file);

    if (fw.framework === 'fasthtml') {
      const port = portFact(code ?? envPort, 5001);
      return { framework: 'fasthtml', role: 'web', start: `python ${fileRel}`, ...(main ? { startFrom: main } : {}), port };
    }
    if (fw.framework === 'flask') {
      const gconf = ['gunicorn.conf.py', 'gunicorn_config.py', 'gunicorn.config.py'].map((n) => inDir(dir, n)).find((f) => source.has(f));
      if (servers.gunicorn) {
        serverFact('gunicorn');
        const bind = gconf ? scan.ports.find((p) => p.file === gconf) : undefined;
        // The app's own port (`app.run(port=80)`) beats the server's default: it is what the app documents.
        const port = bind ? portFact({ port: bind.port, fact: { file: bind.file, line: bind.line, signal: `\`${bind.text}\``, kind: 'port' } }, 8000) : portFact(code ?? envPort, 8000);
        const chdir = target.root !== '.' ? ` --chdir ${target.root}` : '';
        return { framework: 'flask', role: 'web', start: gconf ? `gunicorn -c ${relTo(dir, gconf)}${chdir} ${spec}` : `gunicorn --bind 0.0.0.0:${port}${chdir} ${spec}`, port };
      }
      if (servers.waitress) {
        serverFact('waitress');
        const port = portFact(code ?? envPort, 8080);
        return { framework: 'flask', role: 'web', start: `waitress-serve --listen=0.0.0.0:${port} ${spec}`, port };
      }
      const text = file ? (source.readText(file) ?? '') : '';
      if (main && /\.run\s*\([^)]*host\s*=\s*["']0\.0\.0\.0["']/.test(text)) {
        const port = portFact(code ?? envPort, 5000);
        return { framework: 'flask', role: 'web', start: `python ${fileRel}`, startFrom: main, port };
      }
      const port = portFact(code ?? envPort, 5000);
      const appArg = target.root === '.' ? spec : `${fileRel}:${app?.attr ?? 'app'}`;
      return { framework: 'flask', role: 'web', start: `flask --app ${appArg} run --host 0.0.0.0 --port ${port}`, port };
    }
    // ASGI: FastAPI, Starlette, Litestar, Quart, Sanic.
    const port = portFact(code ?? envPort, 8000);
    const appDir = target.root !== '.' ? ` --app-dir ${target.root}` : '';
    const pyPath = target.root !== '.' ? `PYTHONPATH=${target.root} ` : '';
    let start: string;
    if (fw.framework === 'sanic') start = `${pyPath}sanic ${spec} --host 0.0.0.0 --port ${port}`;
    else if (servers.uvicorn) {
      serverFact('uvicorn');
      start = `uvicorn ${spec} --host 0.0.0.0 --port ${port}${appDir}`;
    } else if (servers.hypercorn) {
      serverFact('hypercorn');
      start = `${pyPath}hypercorn ${spec} --bind 0.0.0.0:${port}`;
    } else if (servers.granian) {
      serverFact('granian');
      start = `${pyPath}granian --interface asgi --host 0.0.0.0 --port ${port} ${spec}`;
    } else if (servers.gunicorn && has('uvicorn-worker')) {
      serverFact('gunicorn');
      start = `gunicorn ${spec} -k uvicorn_worker.UvicornWorker --bind 0.0.0.0:${port}${target.root !== '.' ? ` --chdir ${target.root}` : ''}`;
    } else if (main) start = `python ${fileRel}`;
    else start = `uvicorn ${spec} --host 0.0.0.0 --port ${port}${appDir}`;
    const framework: Framework | null = fw.framework === 'fastapi' || fw.framework === 'starlette' ? fw.framework : null;
    return { framework, role: 'web', start, ...(main && start.startsWith('python ') ? { startFrom: main } : {}), port };
  }

  // Servers without a framework id of their own.
  const other = otherServer(ctx, scan);
  if (other) return other(portFact, codePort(scan), envPort, usage, depFact);

  // A stdlib http.server app, or any script with a main block: a web server if it listens, else a worker.
  const entry = entryFile(source, dir, scan);
  if (scan.stdlibServer && !inToolFolder(dir, scan.stdlibServer.file)) {
    const file = scan.mains.find((m) => m.runs === 'server')?.file ?? scan.stdlibServer.file;
    facts.push({ file: scan.stdlibServer.file, line: scan.stdlibServer.line, signal: `\`${scan.stdlibServer.text}\``, kind: 'usage' });
    const port = portFact(codePort(scan, scan.stdlibServer.file) ?? envPort, 8000);
    facts.push({ file, signal: `entry ${relTo(dir, file)}`, kind: 'entrypoint' });
    return { framework: null, role: 'web', start: `python ${relTo(dir, file)}`, port };
  }
  if (scan.celery && has('celery')) {
    const mod = moduleOf(source, dir, scan.celery.file);
    depFact(has('celery')!, 'framework');
    facts.push({ file: scan.celery.file, line: scan.celery.line, signal: `\`${scan.celery.text}\``, kind: 'usage' });
    return { framework: null, role: 'worker', start: `celery -A ${mod.module} worker --loglevel=info`, port: null };
  }
  // A packaged command-line program: the console script `pip install .` puts on PATH runs it (httpie's
  // `http`), where running its module as a file would break its package imports.
  const script = consoleScripts(source, dir)[0];
  if (script) {
    facts.push({ file: script.file, ...lineOpt(script.line), signal: `console script \`${script.name}\` (${script.target}): a command that runs to completion`, kind: 'entrypoint' });
    return { framework: null, role: 'job', start: script.name, port: null };
  }
  const entryOrLone = entry ?? loneScript(source, dir, scan);
  // A gRPC server listens too: on the port it adds, else gRPC's conventional 50051.
  const grpcServer = scan.imports.has('grpc') || has('grpcio') ? grpcServerOf(source, scan.files) : undefined;
  if (grpcServer && entry) {
    facts.push({ file: grpcServer.file, line: grpcServer.line, signal: `\`${grpcServer.text}\`: a gRPC server`, kind: 'usage' });
    const lit = grpcPortOf(source, scan.files);
    const code = lit ? { port: lit.port, fact: { file: lit.file, line: lit.line, signal: `\`${lit.text}\``, kind: 'port' as const } } : codePort(scan, grpcServer.file);
    const port = portFact(code ?? envPort, 50051);
    const file = scan.mains.find((m) => m.file === grpcServer.file)?.file ?? entry;
    facts.push({ file, signal: `entry ${relTo(dir, file)}`, kind: 'entrypoint' });
    return { framework: null, role: 'web', start: `python ${relTo(dir, file)}`, port, ...envOf(scan, code) };
  }
  if (entryOrLone && (scan.mains.some((m) => m.file === entryOrLone) || /(^|\/)(main|app|run|bot|worker|server|__main__)\.py$/.test(entryOrLone) || loneScript(source, dir, scan) === entryOrLone)) {
    const entry = entryOrLone;
    // A script that does not listen: a worker when it keeps running (a loop, a bot, a queue
    // consumer), else a job that runs to completion.
    const text = source.readText(entry) ?? '';
    const loop = LOOP.exec(text);
    const queue = ctx.deps.find((d) => QUEUE_DEPS.has(d.name));
    facts.push({ file: entry, signal: `entry ${relTo(dir, entry)}`, kind: 'entrypoint' });
    if (loop) facts.push({ file: entry, line: text.slice(0, loop.index).split('\n').length, signal: `\`${loop[0].trim()}\`: keeps running, a worker`, kind: 'usage' });
    else if (queue) depFact(queue, 'usage', ': a queue consumer keeps running, a worker');
    else facts.push({ file: entry, signal: 'no listener and no loop: a job that runs to completion', kind: 'heuristic' });
    return { framework: null, role: loop || queue ? 'worker' : 'job', start: `python ${relTo(dir, entry)}`, port: null };
  }
  return undefined;
}

/** What keeps a script running: a loop, a bot's or scheduler's run call, a consumer. */
const LOOP = /^\s*while\s+True\s*:|\brun_forever\(|\brun_polling\(|\bstart_polling\(|\bclient\.run\(|\bbot\.run\(|\bschedule\.run_pending\(|\bbasic_consume\(|\.subscribe\(|\bBlockingScheduler\b|\bKafkaConsumer\(|\bConsumer\(\s*\{|\.start_consuming\(|\bserve_forever\(/m;

/** Queue-consumer libraries: a script depending on one keeps consuming. */
const QUEUE_DEPS = new Set(['pika', 'aio-pika', 'kombu', 'kafka-python', 'confluent-kafka', 'aiokafka', 'nats-py', 'rq', 'dramatiq', 'arq', 'huey', 'boto3-sqs', 'google-cloud-pubsub', 'paho-mqtt']);

/** A folder holding exactly one Python script at its top: that script is the program. */
function loneScript(source: SourceView, dir: string, scan: PyScan): string | undefined {
  const top = scan.files.filter((f) => path.posix.dirname(f) === dir && !/(^|\/)(setup|conftest|noxfile|fabfile|tasks|manage)\.py$/.test(f) && !/(^|\/)test_[^/]*\.py$|_test\.py$/.test(f));
  return top.length === 1 ? top[0] : undefined;
}

const GRPC_SERVER = /\bgrpc(?:\.aio)?\.server\s*\(/;
const GRPC_PORT = /\.add_(?:insecure|secure)_port\(\s*f?["'][^"']*:(\d{2,5})["']/;

function grpcServerOf(source: SourceView, files: string[]): Located | undefined {
  return lineIn(source, files, GRPC_SERVER);
}

function grpcPortOf(source: SourceView, files: string[]): (Located & { port: number }) | undefined {
  const hit = lineIn(source, files, GRPC_PORT);
  const port = Number(hit ? GRPC_PORT.exec(hit.text)?.[1] : NaN);
  return hit && port > 0 && port < 65536 ? { ...hit, port } : undefined;
}

function lineIn(source: SourceView, files: string[], re: RegExp): Located | undefined {
  for (const file of files.slice(0, 200)) {
    const lines = (source.readText(file) ?? '').split('\n');
    const i = lines.findIndex((l) => !/^\s*#/.test(l) && re.test(l));
    if (i >= 0) return { file, line: i + 1, text: lines[i]!.trim().slice(0, 100) };
  }
  return undefined;
}

/** The variable a port came from (`os.environ.get("GRPC_PORT", 50051)`), to pass the port through it. */
function envOf(scan: PyScan, pick: PortPick): { portEnv?: string } {
  const name = pick ? /(?:environ\.get|getenv|environ\[|env(?:\.int|\.str)?)\(?\s*["']([A-Za-z_][A-Za-z0-9_]*)["']/.exec(pick.fact.signal)?.[1] : undefined;
  return name ? { portEnv: name } : {};
}

function deps(ctx: Ctx): PyDep[] {
  return ctx.deps;
}

/** The framework in use: one with an app object first, then one imported, then one only declared. */
function pickFramework(ctx: Ctx, scan: PyScan): { framework: Framework | 'litestar' | 'quart' | 'sanic'; app?: AppObject } | undefined {
  const kinds: Array<[Framework | 'litestar' | 'quart' | 'sanic', AppObject['kind'][], string[]]> = [
    ['fasthtml', ['fasthtml'], ['python-fasthtml']],
    ['fastapi', ['fastapi'], ['fastapi', 'fastapi-slim']],
    ['flask', ['flask', 'flask-factory'], ['flask']],
    ['litestar', ['litestar'], ['litestar']],
    ['quart', ['quart'], ['quart']],
    ['sanic', ['sanic'], ['sanic']],
    ['starlette', ['starlette'], ['starlette']],
  ];
  const declared = (names: string[]) => names.some((n) => ctx.has(n));
  for (const [fw, appKinds, names] of kinds) {
    if (!declared(names) && !scan.imports.has(fw)) continue;
    // A module-level object beats `app = create_app()`, which beats the factory itself.
    const app = scan.apps.find((a) => appKinds.includes(a.kind) && !a.attr.endsWith('()')) ?? scan.apps.find((a) => a.kind === 'factory-call') ?? scan.apps.find((a) => appKinds.includes(a.kind));
    if (app) return { framework: fw, app };
  }
  // Without an app object, only a project with an entry file runs a server: a library that merely
  // depends on a framework (an extension, a router package) is not a service.
  if (!entryFile(ctx.source, ctx.dir, scan)) return undefined;
  for (const [fw, , names] of kinds) if (scan.imports.has(fw) && declared(names)) return { framework: fw };
  for (const [fw, , names] of kinds) if (declared(names) && fw !== 'starlette') return { framework: fw };
  return undefined;
}

function entryFile(source: SourceView, dir: string, scan: PyScan): string | undefined {
  for (const n of ['main.py', 'app.py', 'server.py', 'run.py', 'api.py', 'bot.py', 'worker.py', 'src/main.py', 'app/main.py', 'src/app.py', '__main__.py']) {
    const f = inDir(dir, n);
    if (source.has(f)) return f;
  }
  return scan.mains.find((m) => !inToolFolder(dir, m.file))?.file;
}

/**
 * Maintenance scripts (`scripts/release.py`, `tools/bump.py`) have a main block too, but they are
 * not the project's program: only a file something names (a Procfile, a well-known entry name)
 * starts a service from there.
 */
function inToolFolder(dir: string, file: string): boolean {
  return relTo(dir, file).split('/').slice(0, -1).some((seg) => /^(scripts|tools|hack|benchmarks?|bench|profiling|extras?)$/.test(seg));
}

/**
 * The commands a package installs (`[project.scripts]`, Poetry's `[tool.poetry.scripts]`, setup.cfg's
 * and setup.py's `console_scripts`), in the order declared. Read as text and TOML, never executed.
 */
function consoleScripts(source: SourceView, dir: string): Array<{ name: string; target: string; file: string; line?: number }> {
  const out: Array<{ name: string; target: string; file: string; line?: number }> = [];
  const pyFile = inDir(dir, 'pyproject.toml');
  if (source.has(pyFile)) {
    const t = source.readToml<Toml>(pyFile).value;
    const tables = [tomlPath(t, 'project', 'scripts'), tomlPath(t, 'tool', 'poetry', 'scripts')];
    for (const table of tables) {
      if (!table || typeof table !== 'object') continue;
      for (const [name, target] of Object.entries(table as Record<string, unknown>)) {
        if (typeof target === 'string' && SCRIPT_NAME.test(name)) out.push({ name, target, file: pyFile, ...lineOpt(source.lineOf(pyFile, new RegExp(`^\\s*["']?${name.replace(/\./g, '\\.')}["']?\\s*=`))) });
      }
    }
  }
  for (const f of ['setup.cfg', 'setup.py'].map((n) => inDir(dir, n))) {
    const text = source.readText(f);
    if (!text) continue;
    // The console_scripts block (setup.cfg) or list (setup.py): `name = module:func` / `'name=module:func'`.
    const block = /console_scripts["']?\s*[:=]\s*(\[[^\]]*\]|(?:\n[ \t]+[^\n]*)+)/.exec(text)?.[1] ?? '';
    for (const m of block.matchAll(/["']?([A-Za-z0-9][\w.-]*)\s*=\s*([\w.]+:[\w.]+)/g)) {
      if (SCRIPT_NAME.test(m[1]!)) out.push({ name: m[1]!, target: m[2]!, file: f, ...lineOpt(source.lineOf(f, m[0]!.replace(/^["']/, ''))) });
    }
  }
  return out;
}

const SCRIPT_NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;

type OtherPlan = (
  portFact: (p: PortPick, fallback: number) => number,
  code: PortPick,
  envPort: PortPick,
  usage: (mod: string) => void,
  depFact: (d: PyDep, kind: Fact['kind'], note?: string) => void,
) => Plan;

/** Streamlit, Gradio, aiohttp, Tornado, Bottle and Falcon apps: web servers without a framework id. */
function otherServer(ctx: Ctx, scan: PyScan): OtherPlan | undefined {
  const { source, dir, has } = ctx;
  const fileImporting = (mod: string) => scan.imports.get(mod)?.file;
  const servers: Array<[string, string, number]> = [['streamlit', 'streamlit', 8501], ['gradio', 'gradio', 7860], ['aiohttp', 'aiohttp', 8080], ['tornado', 'tornado', 8888], ['bottle', 'bottle', 8080], ['falcon', 'falcon', 8000]];
  for (const [mod, dep, dflt] of servers) {
    const d = has(dep);
    const file = fileImporting(mod);
    if (!d || !file) continue;
    // aiohttp is also an HTTP client: only a server when it builds an Application.
    if (mod === 'aiohttp' && !/web\.(Application|run_app)\b/.test(source.readText(file) ?? '')) continue;
    return (portFact, code, envPort, usage, depFact) => {
      depFact(d, 'framework');
      usage(mod);
      const rel = relTo(dir, file);
      if (mod === 'streamlit') {
        const port = portFact(envPort, dflt);
        return { framework: null, role: 'web', start: `streamlit run ${rel} --server.port ${port} --server.address 0.0.0.0`, port, healthPath: '/_stcore/health' };
      }
      if (mod === 'falcon' && has('gunicorn')) {
        const m = moduleOf(source, dir, file);
        const port = portFact(envPort, 8000);
        return { framework: null, role: 'web', start: `gunicorn --bind 0.0.0.0:${port} ${m.module}:app`, port };
      }
      const main = scan.mains.find((x) => x.runs === 'server')?.file ?? file;
      const port = portFact(code ?? envPort, dflt);
      return { framework: null, role: 'web', start: `python ${relTo(dir, main)}`, port };
    };
  }
  return undefined;
}
