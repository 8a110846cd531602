/** General RUN rules: commands that make no sense in a build, shell behaviour, layer count. */
import { cmdHasArgs, flagValues, hasAnyFlag, hasFlag } from '../shell.js';
import { parseShell } from '../shell.js';
import type { Instr } from '../model.js';
import { commandRule, type DockerfileRule } from './define.js';

const POINTLESS = ['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim'];

export const DL3001 = commandRule(
  {
    id: 'DL3001',
    onbuild: true,
    severity: 'info',
    message:
      'For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`',
    fix: 'Remove the interactive or system-management command; it has no effect in an image build.',
  },
  (c) => POINTLESS.includes(c.name),
);

export const DL3003 = commandRule(
  {
    id: 'DL3003',
    severity: 'warning',
    message: 'Use WORKDIR to switch to a directory',
    fix: 'Replace `cd <dir>` with a `WORKDIR <dir>` instruction.',
  },
  (c) => c.name === 'cd',
);

export const DL3004 = commandRule(
  {
    id: 'DL3004',
    onbuild: true,
    severity: 'error',
    message: 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root',
    fix: 'Drop `sudo`: switch with `USER root` for the step, or use gosu at runtime.',
  },
  (c) => c.name === 'sudo',
);

export const DL3046 = commandRule(
  {
    id: 'DL3046',
    onbuild: true,
    severity: 'warning',
    message: '`useradd` without flag `-l` and high UID will result in excessively large Image.',
    fix: 'Add `-l` (`--no-log-init`) to `useradd` when the UID is large.',
  },
  // hadolint reads the UID from `-u <uid>` only (`--uid` is not looked at).
  (c) => c.name === 'useradd' && !hasAnyFlag(c, ['l', 'no-log-init']) && hasAnyFlag(c, ['u', 'uid']) && flagValues(c, ['u']).some((v) => v.length > 5),
);

export const DL3047 = commandRule(
  {
    id: 'DL3047',
    onbuild: true,
    severity: 'info',
    message:
      'Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).',
    fix: 'Add `--progress=dot:giga` (or `-q` / `-nv`) to wget.',
  },
  (c) =>
    c.name === 'wget' &&
    !hasFlag(c, 'progress') &&
    !hasAnyFlag(c, ['q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output']) &&
    !c.args.includes('-nv'),
);

export const DL4001: DockerfileRule = {
  id: 'DL4001',
  onbuild: true,
  severity: 'warning',
  message: 'Either use Wget or Curl but not both',
  fix: 'Download with one tool throughout the stage (curl or wget), and install only that one.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      const seen = new Set<string>();
      const hits: { line: number }[] = [];
      for (const run of stage.instructions) {
        const used = (run.script?.commands ?? []).map((c) => c.name).filter((n) => n === 'wget' || n === 'curl');
        used.forEach((n) => seen.add(n));
        if (used.length > 0 && seen.size === 2) hits.push({ line: run.line });
      }
      return hits;
    }),
};

export const DL4005 = commandRule(
  {
    id: 'DL4005',
    onbuild: true,
    severity: 'warning',
    message: 'Use SHELL to change the default shell',
    fix: 'Use a `SHELL ["/bin/bash", "-c"]` instruction instead of relinking /bin/sh.',
  },
  (c) => cmdHasArgs(c, 'ln', ['/bin/sh']),
);

/** Shells whose `-o pipefail` hadolint accepts, by basename, so `/usr/local/bin/bash` counts. */
const PIPEFAIL_SHELLS = ['bash', 'zsh', 'ash'];
const NON_POSIX = ['pwsh', 'powershell', 'cmd'];

/** A SHELL that sets pipefail, or a non-POSIX one (pwsh) where the rule does not apply. */
function shellSatisfiesPipefail(shell: Instr): boolean {
  const text = shell.json ? shell.json.join(' ') : shell.text;
  if (NON_POSIX.some((n) => text.trim().startsWith(n))) return true;
  return parseShell(text).commands.some(
    (c) => PIPEFAIL_SHELLS.includes(c.name.split('/').pop() ?? '') && hasFlag(c, 'o') && c.args.includes('pipefail'),
  );
}

export const DL4006: DockerfileRule = {
  id: 'DL4006',
  severity: 'warning',
  message:
    'Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check',
  fix: 'Add `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN so a failing command in the pipe fails the build.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      let ok = false;
      const hits: { line: number }[] = [];
      for (const i of stage.instructions) {
        if (i.keyword === 'SHELL') ok = shellSatisfiesPipefail(i);
        // hadolint resets at every FROM, even `FROM <stage that set SHELL>`, and skips ONBUILD triggers.
        if (i.keyword === 'RUN' && !ok && i.script?.hasPipes) hits.push({ line: i.line });
      }
      return hits;
    }),
};

function sameFlags(a: Instr, b: Instr): boolean {
  const key = (i: Instr): string => JSON.stringify(i.flags.map((f) => [f.name, f.value]));
  return key(a) === key(b);
}

/**
 * Consecutive RUNs with the same flags, unless either runs more than two commands (then the split
 * is taken as deliberate). Comments do not break the sequence; any other instruction, ONBUILD included, does.
 */
export const DL3059: DockerfileRule = {
  id: 'DL3059',
  severity: 'info',
  message: 'Multiple consecutive `RUN` instructions. Consider consolidation.',
  fix: 'Join the consecutive RUN instructions with `&&` to save layers.',
  check: ({ model }) => {
    const hits: { line: number }[] = [];
    let prev: Instr | null = null;
    const count = (i: Instr): number => i.script?.commands.length ?? 0;
    for (const i of model.instructions) {
      if (i.keyword === 'RUN' && prev && sameFlags(prev, i) && count(i) <= 2 && count(prev) <= 2) hits.push({ line: i.line });
      prev = i.keyword === 'RUN' ? i : null;
    }
    return hits;
  },
};

export const runRules: DockerfileRule[] = [DL3001, DL3003, DL3004, DL3046, DL3047, DL3059, DL4001, DL4005, DL4006];
