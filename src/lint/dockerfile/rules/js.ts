/** JavaScript and Ruby package rules: npm, yarn, gem. */
import { argsNoFlags, cmdHasArgs, hasAnyFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, scriptRule, type DockerfileRule } from './define.js';

const GIT_PREFIXES = ['git://', 'git+ssh://', 'git+http://', 'git+https://'];
const TARBALL_SUFFIXES = ['.tar', '.tar.gz', '.tgz'];
const PATH_PREFIXES = ['/', './', '../', '~/'];

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
    severity: 'warning',
    message: 'Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`',
    fix: 'Pin each package as `<package>@<version>`, or install from package-lock.json with `npm ci`.',
  },
  (c) => {
    if (!cmdHasArgs(c, 'npm', ['install'])) return false;
    const args = argsNoFlags(c);
    return args[0] === 'install' && !args.slice(1).every(npmPinned);
  },
);

const isGemInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'gem', ['install', 'i']);

export const DL3028 = commandRule(
  {
    id: 'DL3028',
    severity: 'warning',
    message: 'Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`',
    fix: 'Pin each gem as `<gem>:<version>` (or pass `-v <version>`).',
  },
  (c) =>
    isGemInstall(c) &&
    !hasAnyFlag(c, ['v', 'version']) &&
    !argsNoFlags(c)
      .filter((a) => a !== 'install' && a !== 'i')
      .every((p) => p.includes(':')),
);

export const DL3060 = scriptRule(
  {
    id: 'DL3060',
    severity: 'info',
    message: '`yarn cache clean` missing after `yarn install` was run.',
    fix: 'End the RUN with `&& yarn cache clean` (or mount a cache for yarn).',
  },
  (script, run) => {
    const install = script.commands.some((c) => cmdHasArgs(c, 'yarn', ['install']));
    const clean = script.commands.some((c) => c.name === 'yarn' && c.args.includes('cache') && c.args.includes('clean'));
    return install && !clean && !hasCacheMount(run, '/usr/local/share/.cache/yarn');
  },
);

export const jsRules: DockerfileRule[] = [DL3016, DL3028, DL3060];
