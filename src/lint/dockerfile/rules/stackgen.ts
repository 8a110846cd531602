/** stackgen's own Dockerfile rules (SG1xxx): production concerns hadolint does not cover. */
import { finalStage, type Instr, type Stage } from '../model.js';
import { argsNoFlags, cmdHasArgs, type ShellCommand } from '../shell.js';
import { copyPaths } from './copy.js';
import { isRootUser } from './misc.js';
import { isPipInstall } from './pip.js';
import type { DockerfileRule, RuleHit } from './define.js';

/** Instructions of a stage and of the stages it builds on, nearest first. */
function lineage(stage: Stage): Instr[][] {
  const out: Instr[][] = [];
  for (let s: Stage | null = stage; s; s = s.parent) out.push(s.instructions);
  return out;
}

export const SG1001: DockerfileRule = {
  id: 'SG1001',
  severity: 'warning',
  message: 'The final stage runs as root: no USER sets an unprivileged user',
  fix: 'Add `USER <non-root user>` (e.g. `USER node` or a user created with useradd) at the end of the final stage.',
  check: ({ model }) => {
    const last = finalStage(model);
    if (!last) return [];
    // Images whose tag says they default to an unprivileged user.
    if (/nonroot|rootless/.test(`${last.from.name}:${last.from.tag ?? ''}`)) return [];
    for (const instrs of lineage(last)) {
      const users = instrs.filter((i) => i.keyword === 'USER');
      const user = users[users.length - 1];
      if (!user) continue;
      // An explicit root USER in the final stage itself is DL3002's finding.
      if (instrs === last.instructions || !isRootUser(user.text)) return [];
      return [{ line: last.line, message: `The final stage runs as root: it inherits \`USER ${user.text.trim()}\` from line ${user.line}` }];
    }
    return [{ line: last.line }];
  },
};

export const SG1002: DockerfileRule = {
  id: 'SG1002',
  severity: 'warning',
  message: 'The final stage has no HEALTHCHECK',
  fix: 'Add a HEALTHCHECK that probes the service (or `HEALTHCHECK NONE` to state there is none).',
  check: ({ model }) => {
    const last = finalStage(model);
    if (!last) return [];
    return lineage(last).some((instrs) => instrs.some((i) => i.keyword === 'HEALTHCHECK')) ? [] : [{ line: last.line }];
  },
};

/** Commands that install dependencies from manifests, whose layer should not depend on the sources. */
export function installsDependencies(c: ShellCommand): boolean {
  const args = argsNoFlags(c);
  switch (c.name) {
    case 'npm':
      return args[0] === 'ci' || ((args[0] === 'install' || args[0] === 'i') && args.length === 1);
    case 'yarn':
      return args.length === 0 || args[0] === 'install';
    case 'pnpm':
    case 'bun':
      return args[0] === 'install' || args[0] === 'i';
    case 'poetry':
    case 'pipenv':
    case 'bundle':
    case 'composer':
      return args[0] === 'install';
    case 'uv':
      return args[0] === 'sync';
    case 'go':
      return args[0] === 'mod' && args[1] === 'download';
    case 'cargo':
      return args[0] === 'fetch';
    case 'mvn':
    case './mvnw':
      return args.some((a) => a.startsWith('dependency:'));
    default:
      return isPipInstall(c) && (cmdHasArgs(c, c.name, ['-r', '--requirement']) || c.args.some((a) => a.startsWith('--requirement=')));
  }
}

const copiesEverything = (i: Instr): boolean => {
  if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.some((f) => f.name === 'from')) return false;
  return copyPaths(i)?.sources.some((s) => s === '.' || s === './') ?? false;
};

export const SG1003: DockerfileRule = {
  id: 'SG1003',
  severity: 'warning',
  message: 'The whole source tree is copied before dependencies are installed, so every source change reinstalls them',
  fix: 'Copy only the dependency manifests (package.json and lock file, requirements.txt, go.mod/go.sum, …), install, then copy the rest.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      const hits: RuleHit[] = [];
      stage.instructions.forEach((copy, k) => {
        if (!copiesEverything(copy)) return;
        const install = stage.instructions.slice(k + 1).find((i) => i.script?.commands.some(installsDependencies));
        if (install) hits.push({ line: copy.line, message: `${SG1003.message} (the install is on line ${install.line})` });
      });
      return hits;
    }),
};

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY)/i;
const REFERENCE_NAME = /_(FILE|PATH|DIR)$/i;
const ONLY_REFERENCE = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;

export const SG1004: DockerfileRule = {
  id: 'SG1004',
  severity: 'error',
  message: 'A secret is baked into the image',
  fix: 'Remove the value: pass secrets at runtime (environment, compose secrets) or to the build with `RUN --mount=type=secret`.',
  check: ({ model }) =>
    model.instructions
      .filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')
      .flatMap((i) =>
        i.properties
          .filter((p) => SECRET_NAME.test(p.name) && !REFERENCE_NAME.test(p.name) && p.value !== null && p.value.trim() !== '' && !ONLY_REFERENCE.test(p.value.trim()))
          .map((p) => ({ line: i.line, message: `A secret is baked into the image: ${i.keyword} ${p.name} has a literal value` })),
      ),
};

export const SG1005: DockerfileRule = {
  id: 'SG1005',
  severity: 'error',
  message: 'The `# syntax=` directive makes BuildKit pull a frontend image, which fails in an air-gapped build',
  fix: 'Remove the `# syntax=` line; the engine\'s built-in Dockerfile frontend needs no download.',
  check: ({ model, airGapped }) => (airGapped ? model.directives.filter((d) => d.name === 'syntax').map((d) => ({ line: d.line })) : []),
};

export const SG1009: DockerfileRule = {
  id: 'SG1009',
  severity: 'warning',
  message: 'The `dev` stage runs as root: files it writes into a bind-mounted checkout become root\'s',
  fix: 'End the dev stage with `ARG DEV_UID=1000`, `ARG DEV_GID=1000` and `USER ${DEV_UID}:${DEV_GID}` (compose.dev.yaml passes your `id -u`/`id -g` as build args), owning the folders it writes.',
  check: ({ model }) =>
    model.stages
      .filter((stage) => stage.from.alias === 'dev')
      .flatMap((stage) => {
        if (/nonroot|rootless/.test(`${stage.from.name}:${stage.from.tag ?? ''}`)) return [];
        for (const instrs of lineage(stage)) {
          const users = instrs.filter((i) => i.keyword === 'USER');
          const user = users[users.length - 1];
          if (!user) continue;
          // An explicit root USER in the dev stage itself is DL3002's finding.
          if (instrs === stage.instructions || !isRootUser(user.text)) return [];
          return [{ line: stage.line, message: `The \`dev\` stage runs as root: it inherits \`USER ${user.text.trim()}\` from line ${user.line}` }];
        }
        return [{ line: stage.line }];
      }),
};

export const stackgenRules: DockerfileRule[] = [SG1001, SG1002, SG1003, SG1004, SG1005, SG1009];
