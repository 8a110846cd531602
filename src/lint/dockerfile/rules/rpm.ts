/** RPM-family package rules: yum, dnf/microdnf and zypper. */
import { argsNoFlags, cmdHasArgs, hasAnyFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, scriptRule, type DockerfileRule } from './define.js';

const YUM_INSTALL = ['install', 'groupinstall', 'localinstall'];
const DNF = ['dnf', 'microdnf'];
const ZYPPER_INSTALL = ['install', 'in'];

const isYumInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'yum', YUM_INSTALL);
const isDnfInstall = (c: ShellCommand): boolean => cmdHasArgs(c, DNF, YUM_INSTALL);
const isZypperInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'zypper', ZYPPER_INSTALL);

const rpmPackages = (c: ShellCommand, verbs: readonly string[]): string[] => argsNoFlags(c).filter((a) => !verbs.includes(a));
const dashPinned = (p: string): boolean => p.includes('-') || p.endsWith('.rpm');
const zypperPinned = (p: string): boolean => ['=', '>', '<'].some((s) => p.includes(s)) || p.endsWith('.rpm');

/** An install without its cleanup in the same RUN (hadolint's "clean all missing" family). */
function missingClean(
  meta: Parameters<typeof scriptRule>[0],
  install: (c: ShellCommand) => boolean,
  clean: (c: ShellCommand) => boolean,
  cacheDir: string,
): DockerfileRule {
  return scriptRule(meta, (script, run) => !hasCacheMount(run, cacheDir) && script.commands.some(install) && !script.commands.some(clean));
}

export const DL3030 = commandRule(
  {
    id: 'DL3030',
    severity: 'warning',
    message: 'Use the -y switch to avoid manual input `yum install -y <package`>',
    fix: 'Add `-y` to `yum install` so the build never waits for confirmation.',
  },
  (c) => isYumInstall(c) && !hasAnyFlag(c, ['y', 'assumeyes']),
);

export const DL3032 = missingClean(
  {
    id: 'DL3032',
    severity: 'warning',
    message: '`yum clean all` missing after yum command.',
    fix: 'End the RUN with `&& yum clean all` to keep the package cache out of the layer.',
  },
  (c) => cmdHasArgs(c, 'yum', ['install']),
  (c) => cmdHasArgs(c, 'yum', ['clean', 'all']) || cmdHasArgs(c, 'rm', ['/var/cache/yum/*', '/var/cache/yum']),
  '/var/cache/yum',
);

export const DL3033 = commandRule(
  {
    id: 'DL3033',
    severity: 'warning',
    message: 'Specify version with `yum install -y <package>-<version>`.',
    fix: 'Pin each package as `<package>-<version>`.',
  },
  (c) => isYumInstall(c) && !rpmPackages(c, YUM_INSTALL).every(dashPinned),
);

export const DL3034 = commandRule(
  {
    id: 'DL3034',
    severity: 'warning',
    message: 'Non-interactive switch missing from `zypper` command: `zypper install -y`',
    fix: 'Add `-y` (or `--non-interactive`) to the zypper command.',
  },
  (c) =>
    cmdHasArgs(c, 'zypper', ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch']) &&
    !hasAnyFlag(c, ['non-interactive', 'n', 'no-confirm', 'y']),
);

export const DL3035 = commandRule(
  {
    id: 'DL3035',
    severity: 'warning',
    message: 'Do not use `zypper dist-upgrade`.',
    fix: 'Use a newer base image instead of upgrading the distribution inside the build.',
  },
  (c) => cmdHasArgs(c, 'zypper', ['dist-upgrade', 'dup']),
);

export const DL3036 = missingClean(
  {
    id: 'DL3036',
    severity: 'warning',
    message: '`zypper clean` missing after zypper use.',
    fix: 'End the RUN with `&& zypper clean` to keep the package cache out of the layer.',
  },
  isZypperInstall,
  (c) => cmdHasArgs(c, 'zypper', ['clean', 'cc']),
  '/var/cache/zypp',
);

export const DL3037 = commandRule(
  {
    id: 'DL3037',
    severity: 'warning',
    message: 'Specify version with `zypper install -y <package>=<version>`.',
    fix: 'Pin each package as `<package>=<version>`.',
  },
  (c) => isZypperInstall(c) && !rpmPackages(c, ZYPPER_INSTALL).every(zypperPinned),
);

export const DL3038 = commandRule(
  {
    id: 'DL3038',
    severity: 'warning',
    message: 'Use the -y switch to avoid manual input `dnf install -y <package`>',
    fix: 'Add `-y` to `dnf install` so the build never waits for confirmation.',
  },
  (c) => isDnfInstall(c) && !hasAnyFlag(c, ['y', 'assumeyes']),
);

export const DL3040 = missingClean(
  {
    id: 'DL3040',
    severity: 'warning',
    message: '`dnf clean all` missing after dnf command.',
    fix: 'End the RUN with `&& dnf clean all` to keep the package cache out of the layer.',
  },
  (c) => cmdHasArgs(c, DNF, ['install']),
  (c) => cmdHasArgs(c, DNF, ['clean', 'all']) || cmdHasArgs(c, 'rm', ['/var/cache/dnf/*', '/var/cache/yum/*', '/var/cache/dnf']),
  '/var/cache/dnf',
);

export const DL3041 = commandRule(
  {
    id: 'DL3041',
    severity: 'warning',
    message: 'Specify version with `dnf install -y <package>-<version>`',
    fix: 'Pin each package as `<package>-<version>`.',
  },
  (c) => isDnfInstall(c) && !c.args.includes('module') && !rpmPackages(c, YUM_INSTALL).every(dashPinned),
);

export const rpmRules: DockerfileRule[] = [DL3030, DL3032, DL3033, DL3034, DL3035, DL3036, DL3037, DL3038, DL3040, DL3041];
