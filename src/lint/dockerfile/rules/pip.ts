/** Python package rules: pip pinning and cache. */
import { argsNoFlags, dropFlagArg, hasAnyFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, type DockerfileRule } from './define.js';
import type { Instr } from '../model.js';

const PIP = /^pip(\d+(\.\d+)?)?$/;

/** `pip install …`, `pip3.11 install …` or `python -m pip install …`. */
export function isPipInstall(c: ShellCommand): boolean {
  if (PIP.test(c.name)) return c.args.includes('install');
  if (/^python(\d+(\.\d+)?)?$/.test(c.name)) {
    const m = c.args.indexOf('-m');
    return m >= 0 && c.args[m + 1] === 'pip' && c.args.slice(m + 2).includes('install');
  }
  return false;
}

const FLAGS_WITH_VALUES = [
  'abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation',
  'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python-version', 'root', 'src', 't',
  'target', 'trusted-host', 'upgrade-strategy', 'm',
];
const VERSION_SYMBOLS = ['==', '>=', '<=', '>', '<', '!=', '~=', '==='];

function pipPackages(c: ShellCommand): string[] {
  const args = argsNoFlags(dropFlagArg(c, FLAGS_WITH_VALUES));
  const install = args.indexOf('install');
  return args.slice(install + 1);
}

function pinned(p: string): boolean {
  return (
    VERSION_SYMBOLS.some((s) => p.includes(s)) ||
    (p.startsWith('git+') && p.includes('@')) ||
    /^(\.|\/|~)/.test(p) ||
    /^https?:\/\//.test(p) ||
    /\.(whl|tar\.gz|zip|tgz)$/.test(p)
  );
}

export const DL3013 = commandRule(
  {
    id: 'DL3013',
    severity: 'warning',
    message:
      'Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`',
    fix: 'Pin each package as `<package>==<version>`, or install from a pinned requirements file.',
  },
  (c) => isPipInstall(c) && !hasAnyFlag(c, ['r', 'requirement', 'c', 'constraint']) && !pipPackages(c).every(pinned),
);

/** `ENV PIP_NO_CACHE_DIR=…` earlier in the stage already disables pip's cache. */
function stageDisablesCache(run: Instr, stageInstrs: readonly Instr[]): boolean {
  return stageInstrs.some((i) => i.line < run.line && (i.keyword === 'ENV' || i.keyword === 'ARG') && i.properties.some((p) => p.name === 'PIP_NO_CACHE_DIR'));
}

export const DL3042 = commandRule(
  {
    id: 'DL3042',
    severity: 'warning',
    message: 'Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`',
    fix: 'Add `--no-cache-dir` to `pip install` (or set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache at /root/.cache/pip).',
  },
  (c, run, { model }) =>
    isPipInstall(c) &&
    !c.args.includes('--no-cache-dir') &&
    !c.assignments.some((a) => a.startsWith('PIP_NO_CACHE_DIR=')) &&
    !hasCacheMount(run, '/root/.cache/pip') &&
    !stageDisablesCache(run, model.stages[run.stage]?.instructions ?? []),
);

export const pipRules: DockerfileRule[] = [DL3013, DL3042];
