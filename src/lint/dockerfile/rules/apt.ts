/** Debian/Ubuntu package rules: apt-get install hygiene. */
import { shippedInstructions } from '../model.js';
import { argsNoFlags, cmdHasArgs, dropFlagArg, getFlags, hasAnyFlag, hasFlag, type ShellCommand } from '../shell.js';
import { commandRule, hasCacheMount, type DockerfileRule } from './define.js';

const isAptGetInstall = (c: ShellCommand): boolean => cmdHasArgs(c, 'apt-get', ['install']);

function aptGetPackages(c: ShellCommand): string[] {
  return argsNoFlags(dropFlagArg(c, ['t', 'target-release'])).filter((a) => a !== 'install');
}

export const DL3008 = commandRule(
  {
    id: 'DL3008',
    onbuild: true,
    severity: 'warning',
    message: 'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
    fix: 'Pin each package as `<package>=<version>` so rebuilds install the same versions.',
  },
  (c) => isAptGetInstall(c) && !aptGetPackages(c).every((p) => p.includes('=') || p.includes('/') || p.endsWith('.deb')),
);

/** Any of the three front ends refreshes the lists that DL3009 wants deleted. */
const isAptUpdate = (c: ShellCommand): boolean => cmdHasArgs(c, ['apt', 'apt-get', 'aptitude'], ['update']);

export const DL3009: DockerfileRule = {
  id: 'DL3009',
  onbuild: true,
  severity: 'info',
  message: 'Delete the apt lists (/var/lib/apt/lists) after installing something',
  fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*` (or mount a cache at /var/lib/apt/lists).',
  check: ({ model }) => {
    return shippedInstructions(model)
      .filter((run) => {
        const cmds = run.script?.commands ?? [];
        if (!cmds.some(isAptUpdate) || cmds.some((c) => cmdHasArgs(c, 'rm', ['-rf', '/var/lib/apt/lists/*']))) return false;
        // A cache mount keeps the lists out of the layer: on the lists themselves, or on both apt folders.
        // Removing docker-clean alone (so the cache survives) satisfies nothing.
        if (hasCacheMount(run, '/var/lib/apt/lists')) return false;
        return !(hasCacheMount(run, '/var/lib/apt') && hasCacheMount(run, '/var/cache/apt'));
      })
      .map((run) => ({ line: run.line }));
  },
};

/** `-y`, `--yes`, `--assume-yes`, `--qq`, exactly two quiet flags (`-qq`, `-q -q`, `--quiet --quiet`), or `-q=2`. */
function answersYes(c: ShellCommand): boolean {
  const flags = getFlags(c);
  const count = (f: string): number => flags.filter((x) => x === f).length;
  return hasAnyFlag(c, ['y', 'yes', 'qq', 'assume-yes']) || count('q') === 2 || count('quiet') === 2 || c.args.includes('-q=2');
}

export const DL3014 = commandRule(
  {
    id: 'DL3014',
    onbuild: true,
    severity: 'warning',
    message: 'Use the `-y` switch to avoid manual input `apt-get -y install <package>`',
    fix: 'Add `-y` to `apt-get install` so the build never waits for confirmation.',
  },
  (c) => isAptGetInstall(c) && !answersYes(c),
);

export const DL3015 = commandRule(
  {
    id: 'DL3015',
    onbuild: true,
    severity: 'info',
    message: 'Avoid additional packages by specifying `--no-install-recommends`',
    fix: 'Add `--no-install-recommends` to `apt-get install` to keep the image small.',
  },
  (c) => isAptGetInstall(c) && !hasFlag(c, 'no-install-recommends') && !c.args.includes('APT::Install-Recommends=false'),
);

export const DL3027 = commandRule(
  {
    id: 'DL3027',
    onbuild: true,
    severity: 'warning',
    message: 'Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead',
    fix: 'Use `apt-get` (or `apt-cache`), whose interface is stable for scripts.',
  },
  (c) => c.name === 'apt',
);

export const aptRules: DockerfileRule[] = [DL3008, DL3009, DL3014, DL3015, DL3027];
