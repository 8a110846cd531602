/** Python package rules: pip pinning and cache. */
import { foldStages, type Instr } from '../model.js';
import { argsNoFlags, dropFlagArg, hasAnyFlag, type ShellCommand } from '../shell.js';
import { hasCacheMount, scriptRule, type DockerfileRule, type RuleHit } from './define.js';

/** `a` appears in `args` as the consecutive run `seq`. */
function hasSequence(args: readonly string[], seq: readonly string[]): boolean {
  return args.some((_, i) => seq.every((s, k) => args[i + k] === s));
}

/**
 * `pip install …`, `pip3.11 install …`, `pipx install …` (any command whose name starts with `pip`,
 * pipenv excepted) or `python… -m pip install …`, as hadolint recognises them.
 */
export function isPipInstall(c: ShellCommand): boolean {
  if (c.name.startsWith('pip') && !c.name.startsWith('pipenv')) return c.args.includes('install');
  return c.name.startsWith('python') && hasSequence(c.args, ['-m', 'pip', 'install']);
}

/** Options whose value is the next word, so the value is not taken for a package. */
const FLAGS_WITH_VALUES = [
  'abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation',
  'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python', 'python-version', 'root',
  'root-user-action', 'src', 't', 'target', 'trusted-host', 'upgrade-strategy',
];
const VERSION_SYMBOLS = ['==', '>=', '<=', '>', '<', '!=', '~=', '==='];
const VCS_SCHEMES = [
  'git+file', 'git+https', 'git+ssh', 'git+http', 'git+git', 'git', 'hg+file', 'hg+http', 'hg+https', 'hg+ssh', 'hg+static-http',
  'svn', 'svn+svn', 'svn+http', 'svn+https', 'svn+ssh', 'bzr+http', 'bzr+https', 'bzr+ssh', 'bzr+sftp', 'bzr+ftp', 'bzr+lp',
];

function pipPackages(c: ShellCommand): string[] {
  const args = argsNoFlags(dropFlagArg(c, FLAGS_WITH_VALUES));
  let k = args.indexOf('install');
  if (k < 0) return [];
  while (args[k] === 'install') k++;
  return args.slice(k);
}

/** A version specifier, a VCS URL with `@ref`, a wheel or sdist file, or a path (`./pkg`, `foo/bar`): not a bare name. */
function pinned(p: string): boolean {
  const vcs = VCS_SCHEMES.some((s) => p.startsWith(s));
  return (
    VERSION_SYMBOLS.some((s) => p.includes(s)) ||
    (vcs && p.includes('@')) ||
    p.endsWith('.whl') ||
    p.endsWith('.tar.gz') ||
    (!vcs && p.includes('/'))
  );
}

const installsFromFile = (c: ShellCommand): boolean => c.args.includes('--requirement') || c.args.includes('-r') || c.args.includes('.');

export const DL3013 = scriptRule(
  {
    id: 'DL3013',
    onbuild: true,
    severity: 'warning',
    message:
      'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
    fix: 'Pin each package as `<package>==<version>`, or install from a pinned requirements file.',
  },
  (script) =>
    script.commands.some((c) => isPipInstall(c) && !hasAnyFlag(c, ['c', 'constraint']) && !installsFromFile(c) && !pipPackages(c).every(pinned)),
);

/** hadolint's true-ish spellings; anything else (`0`, `false`, `off`) leaves pip's cache on. */
const TRUTHY = new Set(['1', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'yes', 'Yes', 'YES']);

/** `PIP_NO_CACHE_DIR=<true-ish>` anywhere in the RUN: `export PIP_NO_CACHE_DIR=1 && …` or a command prefix. */
function runSetsNoCache(run: Instr): boolean {
  const text = run.script?.text ?? run.text;
  const at = text.indexOf('PIP_NO_CACHE_DIR=');
  if (at < 0) return false;
  const value = text.slice(at + 'PIP_NO_CACHE_DIR='.length);
  return [...TRUTHY].some((t) => value.startsWith(t));
}

/** pipx and pipenv manage their own caches; `--no-cache-dir` is pip's. */
function isPipWrapper(c: ShellCommand): boolean {
  return ['pipx', 'pipenv'].some((w) => c.name.includes(w) || (c.name.startsWith('python') && hasSequence(c.args, ['-m', w])));
}

export const DL3042: DockerfileRule = {
  id: 'DL3042',
  onbuild: true,
  severity: 'warning',
  message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
  fix: 'Add `--no-cache-dir` to `pip install` (or set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache at /root/.cache/pip).',
  check: ({ model }) => {
    const hits: RuleHit[] = [];
    // A true-ish ENV in the stage, or in the stage it is built FROM, turns the cache off for what follows.
    const envOff = (i: Instr): boolean => i.keyword === 'ENV' && i.properties.some((p) => p.name === 'PIP_NO_CACHE_DIR' && p.value !== null && TRUTHY.has(p.value));
    foldStages(
      model,
      false,
      (off, i) => off || envOff(i),
      (off, run) => {
        if (run.keyword !== 'RUN' || off || runSetsNoCache(run) || hasCacheMount(run, '.cache/pip')) return;
        const forgot = (run.script?.commands ?? []).some((c) => isPipInstall(c) && !c.args.includes('--no-cache-dir') && !isPipWrapper(c));
        if (forgot) hits.push({ line: run.line });
      },
    );
    return hits;
  },
};

export const pipRules: DockerfileRule[] = [DL3013, DL3042];
