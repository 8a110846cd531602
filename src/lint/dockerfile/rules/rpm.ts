/** RPM-family package rules: yum, dnf/microdnf and zypper. */
import { foldStages, type DockerfileModel, type Instr } from '../model.js';
import { argsNoFlags, cmdHasArgs, hasAnyFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, scriptRule, type DockerfileRule, type RuleContext, type RuleHit, type RuleMeta } from './define.js';

const DNF = ['dnf', 'microdnf'];
const YUM_INSTALL = ['install', 'groupinstall', 'localinstall'];
/** dnf's install verbs and their short aliases, for "clean all missing" (DL3040). */
const DNF_INSTALL = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei'];

const zypperPinned = (p: string): boolean => ['=', '>', '<'].some((s) => p.includes(s)) || p.endsWith('.rpm');

/**
 * An install not followed by its cleanup in the same RUN: the first cleanup must come after the
 * first install (a `clean all` before the install cleans nothing).
 */
function cleansAfter(cmds: readonly ShellCommand[], install: (c: ShellCommand) => boolean, clean: (c: ShellCommand) => boolean): boolean {
  const i = cmds.findIndex(install);
  if (i < 0) return true;
  const c = cmds.findIndex(clean);
  return c >= 0 && i < c;
}

function missingClean(meta: RuleMeta, install: (c: ShellCommand) => boolean, clean: (c: ShellCommand) => boolean, cacheDirs: readonly string[]): DockerfileRule {
  return scriptRule(meta, (script, run) => !cacheDirs.some((d) => hasCacheMount(run, d)) && !cleansAfter(script.commands, install, clean));
}

/** `${VAR}` names an ENV of this stage (or a stage it builds on) or an earlier ARG: a version chosen elsewhere. */
function variablesInScope(model: DockerfileModel): Map<Instr, Set<string>> {
  const args = new Set<string>();
  const argsAt = new Map<Instr, Set<string>>();
  for (const i of model.instructions) {
    if (i.keyword === 'ARG') i.properties.forEach((p) => args.add(p.name));
    if (i.keyword === 'RUN') argsAt.set(i, new Set(args));
  }
  const out = new Map<Instr, Set<string>>();
  foldStages<Set<string>>(
    model,
    new Set(),
    (envs, i) => (i.keyword === 'ENV' ? new Set([...envs, ...i.properties.map((p) => p.name)]) : envs),
    (envs, i) => {
      if (i.keyword === 'RUN') out.set(i, new Set([...envs, ...(argsAt.get(i) ?? [])]));
    },
  );
  return out;
}

/** `name-version[-release]`: every part after the name made of version characters, one starting with a digit. */
function rpmPinned(pkg: string, vars: ReadonlySet<string>): boolean {
  const parts = pkg.split('-');
  if (parts.length <= 1) return false;
  if (pkg.endsWith('.rpm')) return true;
  if (pkg.includes('$')) return [...vars].some((v) => pkg.includes(`\${${v}}`));
  const rest = parts.slice(1);
  return rest.every((p) => /^[0-9A-Za-z.~^_:+]*$/.test(p)) && rest.some((p) => /^\d/.test(p));
}

/** Packages and modules a yum/dnf install names; `module install` takes `name:stream`, `group install` group names. */
function rpmInstallRule(meta: RuleMeta, names: readonly string[]): DockerfileRule {
  const installArgs = (c: ShellCommand): string[] =>
    names.includes(c.name) && c.args.includes('install') ? argsNoFlags(c).filter((a) => a !== 'install' && a !== 'module') : [];
  return {
    ...meta,
    check: ({ model }: RuleContext): RuleHit[] => {
      const scope = variablesInScope(model);
      return model.instructions
        .filter((run) => {
          const cmds = run.script?.commands ?? [];
          const vars = scope.get(run) ?? new Set<string>();
          const packagesOk = cmds.filter((c) => !cmdHasArgs(c, names, ['module', 'group'])).every((c) => installArgs(c).every((p) => rpmPinned(p, vars)));
          const modulesOk = cmds.filter((c) => cmdHasArgs(c, names, ['module'])).every((c) => installArgs(c).every((m) => m.includes(':')));
          return run.keyword === 'RUN' && !(packagesOk && modulesOk);
        })
        .map((run) => ({ line: run.line }));
    },
  };
}

export const DL3030 = commandRule(
  {
    id: 'DL3030',
    onbuild: true,
    severity: 'warning',
    message: 'Use the -y switch to avoid manual input `yum install -y <package>`',
    fix: 'Add `-y` to `yum install` so the build never waits for confirmation.',
  },
  (c) => cmdHasArgs(c, 'yum', YUM_INSTALL) && !hasAnyFlag(c, ['y', 'assumeyes']),
);

export const DL3032 = missingClean(
  {
    id: 'DL3032',
    onbuild: true,
    severity: 'warning',
    message: '`yum clean all` missing after yum command.',
    fix: 'End the RUN with `&& yum clean all` to keep the package cache out of the layer.',
  },
  (c) => cmdHasArgs(c, 'yum', ['install']),
  (c) => cmdHasArgs(c, 'yum', ['clean', 'all']) || cmdHasArgs(c, 'rm', ['-rf', '/var/cache/yum/*']),
  // hadolint accepts no cache mount for yum (it does for dnf's libdnf5 cache).
  [],
);

export const DL3033 = rpmInstallRule(
  {
    id: 'DL3033',
    onbuild: true,
    severity: 'warning',
    message: 'Specify version with `yum install -y <package>-<version>`.',
    fix: 'Pin each package as `<package>-<version>` (a `module install` as `<module>:<stream>`).',
  },
  ['yum'],
);

export const DL3034 = commandRule(
  {
    id: 'DL3034',
    onbuild: true,
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
    onbuild: true,
    severity: 'warning',
    message: 'Do not use `zypper dist-upgrade`.',
    fix: 'Use a newer base image instead of upgrading the distribution inside the build.',
  },
  (c) => cmdHasArgs(c, 'zypper', ['dist-upgrade', 'dup']),
);

export const DL3036 = missingClean(
  {
    id: 'DL3036',
    onbuild: true,
    severity: 'warning',
    message: '`zypper clean` missing after zypper use.',
    fix: 'End the RUN with `&& zypper clean` to keep the package cache out of the layer.',
  },
  (c) => cmdHasArgs(c, 'zypper', ['install', 'in']),
  (c) => cmdHasArgs(c, 'zypper', ['clean', 'cc']),
  ['/var/cache/zypp'],
);

export const DL3037 = commandRule(
  {
    id: 'DL3037',
    onbuild: true,
    severity: 'warning',
    message: 'Specify version with `zypper install -y <package>=<version>`.',
    fix: 'Pin each package as `<package>=<version>`.',
  },
  (c) => cmdHasArgs(c, 'zypper', ['install', 'in']) && !argsNoFlags(c).filter((a) => a !== 'install' && a !== 'in').every(zypperPinned),
);

export const DL3038 = commandRule(
  {
    id: 'DL3038',
    onbuild: true,
    severity: 'warning',
    message: 'Use the -y switch to avoid manual input `dnf install -y <package>`',
    fix: 'Add `-y` to `dnf install` so the build never waits for confirmation.',
  },
  (c) => cmdHasArgs(c, DNF, YUM_INSTALL) && !hasAnyFlag(c, ['y', 'assumeyes']),
);

/** dnf and microdnf are judged separately: a `microdnf clean all` does not clean after `dnf install`. */
export const DL3040: DockerfileRule = scriptRule(
  {
    id: 'DL3040',
    onbuild: true,
    severity: 'warning',
    message: '`dnf clean all` missing after dnf command.',
    fix: 'End the RUN with `&& dnf clean all` (or mount a cache at /var/cache/libdnf5).',
  },
  (script, run) =>
    !hasCacheMount(run, '/var/cache/libdnf5') &&
    !hasCacheMount(run, '.cache/libdnf5') &&
    DNF.some(
      (name) =>
        !cleansAfter(
          script.commands,
          (c) => cmdHasArgs(c, name, DNF_INSTALL),
          (c) => cmdHasArgs(c, name, ['clean', 'all']) || cmdHasArgs(c, 'rm', ['-rf', '/var/cache/libdnf5*']),
        ),
    ),
);

export const DL3041 = rpmInstallRule(
  {
    id: 'DL3041',
    onbuild: true,
    severity: 'warning',
    message: 'Specify version with `dnf install -y <package>-<version>`.',
    fix: 'Pin each package as `<package>-<version>` (a `module install` as `<module>:<stream>`).',
  },
  DNF,
);

export const rpmRules: DockerfileRule[] = [DL3030, DL3032, DL3033, DL3034, DL3035, DL3036, DL3037, DL3038, DL3040, DL3041];
