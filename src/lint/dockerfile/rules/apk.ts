/** Alpine package rules. */
import { argsNoFlags, cmdHasArgs, dropFlagArg, hasFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, scriptRule, type DockerfileRule } from './define.js';

/** `pkg=1.2`, fuzzy `pkg~1.2` / `pkg=~1.2`, and ranges `pkg>=1.2`, `pkg<2`. */
const APK_PIN = ['=', '~', '>', '<'];

const isApkAdd = (c: ShellCommand): boolean => cmdHasArgs(c, 'apk', ['add']);

export const DL3018 = commandRule(
  {
    id: 'DL3018',
    onbuild: true,
    severity: 'warning',
    message: 'Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`',
    fix: 'Pin each package as `<package>=<version>` so rebuilds install the same versions.',
  },
  (c) =>
    isApkAdd(c) &&
    !argsNoFlags(dropFlagArg(c, ['t', 'virtual', 'repository', 'X']))
      .filter((a) => a !== 'add')
      .every((p) => APK_PIN.some((sym) => p.includes(sym)) || p.endsWith('.apk')),
);

export const DL3019 = scriptRule(
  {
    id: 'DL3019',
    onbuild: true,
    severity: 'info',
    message: 'Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages',
    fix: 'Use `apk add --no-cache <package>` (or mount a cache at /var/cache/apk).',
  },
  (script, run) => !hasCacheMount(run, '/var/cache/apk') && script.commands.some((c) => isApkAdd(c) && !hasFlag(c, 'no-cache')),
);

export const apkRules: DockerfileRule[] = [DL3018, DL3019];
