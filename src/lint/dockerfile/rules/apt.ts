/** Debian/Ubuntu package rules: apt-get install hygiene. */
import { argsNoFlags, cmdHasArgs, dropFlagArg, hasAnyFlag, hasFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, type DockerfileRule } from './define.js';

const isAptGetInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'apt-get', ['install']);

function aptGetPackages(c: ShellCommand): string[] {
  return argsNoFlags(dropFlagArg(c, ['t', 'target-release'])).filter((a) => a !== 'install');
}

export const DL3008 = commandRule(
  {
    id: 'DL3008',
    severity: 'warning',
    message: 'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
    fix: 'Pin each package as `<package>=<version>` so rebuilds install the same versions.',
  },
  (c) => isAptGetInstall(c) && !aptGetPackages(c).every((p) => p.includes('=') || p.includes('/') || p.endsWith('.deb')),
);

export const DL3009: DockerfileRule = {
  id: 'DL3009',
  severity: 'info',
  message: 'Delete the apt-get lists after installing something',
  fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*` (or mount a cache at /var/lib/apt/lists).',
  check: ({ model }) => {
    const usedAsBase = new Set(model.stages.map((s) => s.parent?.index).filter((i) => i !== undefined));
    const last = model.stages.length - 1;
    return model.stages
      .filter((s) => s.index === last || usedAsBase.has(s.index))
      .flatMap((s) => s.instructions)
      .filter((run) => {
        const cmds = run.script?.commands ?? [];
        const update = cmds.some((c) => cmdHasArgs(c, 'apt-get', ['update']));
        const cleanup = cmds.some((c) => cmdHasArgs(c, 'rm', ['-rf', '/var/lib/apt/lists/*']));
        return update && !cleanup && !hasCacheMount(run, '/var/lib/apt/lists');
      })
      .map((run) => ({ line: run.line }));
  },
};

export const DL3014 = commandRule(
  {
    id: 'DL3014',
    severity: 'warning',
    message: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
    fix: 'Add `-y` to `apt-get install` so the build never waits for confirmation.',
  },
  (c) => isAptGetInstall(c) && !hasAnyFlag(c, ['y', 'yes', 'assume-yes']) && !c.args.includes('-qq') && !c.args.some((a) => a === '-q=2' || a === '--quiet=2'),
);

export const DL3015 = commandRule(
  {
    id: 'DL3015',
    severity: 'info',
    message: 'Avoid additional packages by specifying `--no-install-recommends`',
    fix: 'Add `--no-install-recommends` to `apt-get install` to keep the image small.',
  },
  (c) => isAptGetInstall(c) && !hasFlag(c, 'no-install-recommends') && !c.args.includes('APT::Install-Recommends=false'),
);

export const DL3027 = commandRule(
  {
    id: 'DL3027',
    severity: 'warning',
    message: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
    fix: 'Use `apt-get` (or `apt-cache`), whose interface is stable for scripts.',
  },
  (c) => c.name === 'apt',
);

export const aptRules: DockerfileRule[] = [DL3008, DL3009, DL3014, DL3015, DL3027];
