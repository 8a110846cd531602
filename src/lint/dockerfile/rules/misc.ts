/** Rules on the remaining instructions: WORKDIR, USER, EXPOSE, HEALTHCHECK, CMD, ENTRYPOINT, ENV. */
import { dropQuotes, finalStage } from '../model.js';
import { instructionRule, type DockerfileRule, type RuleHit } from './define.js';

export const DL3000 = instructionRule(
  {
    id: 'DL3000',
    severity: 'error',
    message: 'Use absolute WORKDIR',
    fix: 'Give WORKDIR an absolute path, e.g. `/app`.',
  },
  ['WORKDIR'],
  (i) => {
    const dir = dropQuotes(i.text.trim());
    return !(dir.startsWith('/') || dir.startsWith('$') || /^[A-Za-z]:/.test(dir));
  },
);

export const isRootUser = (user: string): boolean => {
  const u = dropQuotes(user.trim());
  return u === 'root' || u === '0' || u.startsWith('root:') || u.startsWith('0:');
};

/**
 * Every stage whose last USER is root, reported on that USER: hadolint checks each stage, not only the
 * final one. A stage built `FROM` such a stage without a USER of its own is covered by the finding in its base.
 */
export const DL3002: DockerfileRule = {
  id: 'DL3002',
  severity: 'warning',
  message: 'Last USER should not be root',
  fix: 'Switch to an unprivileged user (`USER app`) after the steps that need root.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      const users = stage.instructions.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      return last && isRootUser(last.text) ? [{ line: last.line }] : [];
    }),
};

export const DL3011 = instructionRule(
  {
    id: 'DL3011',
    severity: 'error',
    message: 'Valid UNIX ports range from 0 to 65535',
    fix: 'Expose a port between 0 and 65535.',
  },
  ['EXPOSE'],
  (i) =>
    i.words.some((w) =>
      dropQuotes(w)
        .split('/')[0]!
        .split('-')
        .some((p) => /^\d+$/.test(p) && Number(p) > 65535),
    ),
);

/** Fires on the second and later instruction of a kind within one stage. */
function oncePerStage(meta: Omit<DockerfileRule, 'check'>, keyword: string): DockerfileRule {
  return {
    ...meta,
    check: ({ model }) =>
      model.stages.flatMap((s) =>
        s.instructions
          .filter((i) => i.keyword === keyword)
          .slice(1)
          .map((i): RuleHit => ({ line: i.line })),
      ),
  };
}

export const DL3012 = oncePerStage(
  { id: 'DL3012', severity: 'error', message: 'Multiple `HEALTHCHECK` instructions', fix: 'Keep one HEALTHCHECK per stage; only the last takes effect.' },
  'HEALTHCHECK',
);

export const DL4003 = oncePerStage(
  {
    id: 'DL4003',
    severity: 'warning',
    message: 'Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect',
    fix: 'Keep a single CMD per stage.',
  },
  'CMD',
);

export const DL4004 = oncePerStage(
  {
    id: 'DL4004',
    severity: 'error',
    message: 'Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect',
    fix: 'Keep a single ENTRYPOINT per stage.',
  },
  'ENTRYPOINT',
);

/** The command of a `HEALTHCHECK [options] CMD …`, or null for `HEALTHCHECK NONE`. */
function healthcheckCommand(text: string): string | null {
  const m = /^\s*CMD\b([\s\S]*)$/i.exec(text);
  return m ? m[1]!.trim() : null;
}

function isJsonArray(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

export const DL3025 = instructionRule(
  {
    id: 'DL3025',
    severity: 'warning',
    message: 'Use arguments JSON notation for CMD and ENTRYPOINT arguments',
    fix: 'Write it in exec form, e.g. `CMD ["node", "server.js"]`, so signals reach the process.',
  },
  ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'],
  (i) => {
    if (i.keyword !== 'HEALTHCHECK') return i.json === null && i.text.trim() !== '';
    const cmd = healthcheckCommand(i.text);
    return cmd !== null && cmd !== '' && !isJsonArray(cmd);
  },
);

const VAR_REF = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A name one pair of an ENV defines and another pair of the same ENV reads (before or after it),
 * unless an earlier ENV or ARG already defined it: Docker expands with the value from before the ENV.
 */
export const DL3044: DockerfileRule = {
  id: 'DL3044',
  severity: 'error',
  message: 'Do not refer to an environment variable within the same `ENV` statement where it is defined.',
  fix: 'Split the ENV so the variable is defined in an earlier ENV than the one that uses it.',
  check: ({ model }) => {
    const defined = new Set<string>();
    const hits: RuleHit[] = [];
    for (const i of model.instructions) {
      if (i.keyword === 'ARG') i.properties.forEach((p) => defined.add(p.name));
      if (i.keyword !== 'ENV') continue;
      const fires = i.properties.some((p, k) =>
        i.properties.some((other, j) => j !== k && !defined.has(p.name) && [...(other.value ?? '').matchAll(VAR_REF)].some((m) => m[1] === p.name)),
      );
      if (fires) hits.push({ line: i.line });
      i.properties.forEach((p) => defined.add(p.name));
    }
    return hits;
  },
};

export const DL3057: DockerfileRule = {
  id: 'DL3057',
  severity: 'ignore',
  message: '`HEALTHCHECK` instruction missing.',
  fix: 'Add a HEALTHCHECK so the runtime can tell when the container is unhealthy.',
  check: ({ model }) => {
    const last = finalStage(model);
    if (!last) return [];
    for (let s: typeof last | null = last; s; s = s.parent) if (s.instructions.some((i) => i.keyword === 'HEALTHCHECK')) return [];
    return [{ line: last.line }];
  },
};

export const miscRules: DockerfileRule[] = [DL3000, DL3002, DL3011, DL3012, DL3025, DL3044, DL3057, DL4003, DL4004];
