/** JavaScript and Ruby package rules: npm, yarn, gem. */
import { shippedInstructions } from '../model.js';
import { argsNoFlags, cmdHasArgs, dropFlagArg, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, type DockerfileRule } from './define.js';

const GIT_PREFIXES = ['git://', 'git+ssh://', 'git+http://', 'git+https://'];
const TARBALL_SUFFIXES = ['.tar', '.tar.gz', '.tgz'];
const PATH_PREFIXES = ['/', './', '../', '~/'];
/** npm options whose value is the next word (`--registry URL`, `--loglevel verbose`). */
const NPM_VALUE_FLAGS = ['loglevel', 'registry'];

function npmPinned(p: string): boolean {
  if (GIT_PREFIXES.some((g) => p.startsWith(g))) return p.includes('#');
  if (TARBALL_SUFFIXES.some((s) => p.endsWith(s))) return true;
  if (PATH_PREFIXES.some((s) => p.startsWith(s))) return true;
  // A scope (`@org/pkg`) is not a version.
  const unscoped = p.startsWith('@') ? p.slice(p.indexOf('/') + 1) : p;
  return unscoped.includes('@');
}

export const DL3016 = commandRule(
  {
    id: 'DL3016',
    onbuild: true,
    severity: 'warning',
    message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
    fix: 'Pin each package as `<package>@<version>`, or install from package-lock.json with `npm ci`.',
  },
  (c) => {
    if (!cmdHasArgs(c, 'npm', ['install'])) return false;
    const args = argsNoFlags(dropFlagArg(c, NPM_VALUE_FLAGS));
    return args[0] === 'install' && !args.slice(1).filter((a) => a !== 'install').every(npmPinned);
  },
);

/**
 * Gems a `gem install` names: words before `--` (after it come build flags), skipping each option
 * and the word after it, as hadolint does (so `gem install --no-document rails` names no gem).
 */
function gemNames(c: ShellCommand): string[] {
  if (!cmdHasArgs(c, 'gem', ['install', 'i'])) return [];
  if (c.args.includes('-v') || c.args.includes('--version') || c.args.some((a) => a.startsWith('--version='))) return [];
  const until = c.args.indexOf('--');
  const args = until < 0 ? c.args : c.args.slice(0, until);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-')) i++;
    else if (a !== 'install' && a !== 'i') out.push(a);
  }
  return out;
}

export const DL3028 = commandRule(
  {
    id: 'DL3028',
    onbuild: true,
    severity: 'warning',
    message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
    fix: 'Pin each gem as `<gem>:<version>` (or pass `-v <version>`).',
  },
  (c) => !gemNames(c).every((g) => g.includes(':')),
);

const yarnInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'yarn', ['install']);
const yarnClean = (c: ShellCommand): boolean => cmdHasArgs(c, 'yarn', ['cache', 'clean']);

export const DL3060: DockerfileRule = {
  id: 'DL3060',
  onbuild: true,
  severity: 'info',
  message: '`yarn cache clean` missing after `yarn install` was run.',
  fix: 'End the RUN with `&& yarn cache clean` (or mount a cache at the yarn cache folder, e.g. /usr/local/share/.cache/yarn).',
  check: ({ model }) => {
    return shippedInstructions(model)
      .filter((run) => {
        const cmds = run.script?.commands ?? [];
        const install = cmds.findIndex(yarnInstall);
        if (install < 0) return false;
        const clean = cmds.findIndex(yarnClean);
        if (clean < 0) return !hasCacheMount(run, '.cache/yarn');
        return clean < install;
      })
      .map((run) => ({ line: run.line }));
  },
};

export const jsRules: DockerfileRule[] = [DL3016, DL3028, DL3060];
