/** FROM rules: tags, stage aliases, registries, platform. */
import type { FromInfo, Stage } from '../model.js';
import type { DockerfileRule, RuleContext, RuleHit } from './define.js';

/** Each FROM with the aliases defined before it, so `FROM <earlier stage>` is recognised. */
function eachFrom(ctx: RuleContext, fires: (from: FromInfo, earlierAliases: Set<string>, stage: Stage) => boolean): RuleHit[] {
  const aliases = new Set<string>();
  const hits: RuleHit[] = [];
  for (const stage of ctx.model.stages) {
    if (fires(stage.from, aliases, stage)) hits.push({ line: stage.line });
    if (stage.from.alias) aliases.add(stage.from.alias);
  }
  return hits;
}

const isStageRef = (from: FromInfo, aliases: Set<string>): boolean => aliases.has(from.image.toLowerCase());
const isVariable = (from: FromInfo): boolean => from.image.startsWith('$');

export const DL3006: DockerfileRule = {
  id: 'DL3006',
  severity: 'warning',
  message: 'Always tag the version of an image explicitly',
  fix: 'Add an explicit tag (or digest) to the image, e.g. `node:20.11-bookworm-slim`.',
  check: (ctx) =>
    eachFrom(ctx, (f, aliases) => f.tag === null && f.digest === null && f.name !== 'scratch' && f.image !== '' && !isStageRef(f, aliases) && !isVariable(f)),
};

export const DL3007: DockerfileRule = {
  id: 'DL3007',
  severity: 'warning',
  message: 'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  fix: 'Replace `:latest` with a release tag (or pin a digest).',
  check: (ctx) => eachFrom(ctx, (f) => f.tag === 'latest' && f.digest === null),
};

export const DL3024: DockerfileRule = {
  id: 'DL3024',
  severity: 'error',
  message: '`FROM` aliases (stage names) must be unique',
  fix: 'Rename one of the stages so every `AS <name>` is unique.',
  check: (ctx) => eachFrom(ctx, (f, aliases) => f.alias !== null && aliases.has(f.alias)),
};

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(value);
}

export const DL3026: DockerfileRule = {
  id: 'DL3026',
  severity: 'error',
  message: 'Use only an allowed registry in the `FROM image`',
  fix: 'Pull the base image from one of the registries listed in `trustedRegistries`.',
  check: (ctx) => {
    const allowed = ctx.config.trustedRegistries;
    if (allowed.length === 0) return [];
    return eachFrom(ctx, (f, aliases) => {
      if (f.name === 'scratch' || isStageRef(f, aliases) || isVariable(f) || f.image === '') return false;
      const registry = f.registry ?? 'docker.io';
      const ok = allowed.some((a) => globMatch(a, registry)) || (f.registry === null && allowed.includes('hub.docker.com'));
      return !ok;
    });
  },
};

export const DL3029: DockerfileRule = {
  id: 'DL3029',
  severity: 'warning',
  message: 'Do not use --platform flag with FROM',
  fix: 'Drop `--platform` and let the builder pick the platform (or use `$BUILDPLATFORM` for cross-builds).',
  check: (ctx) => eachFrom(ctx, (f) => f.platform !== null && !/BUILDPLATFORM|TARGETPLATFORM/.test(f.platform)),
};

export const DL3043: DockerfileRule = {
  id: 'DL3043',
  severity: 'error',
  message: '`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.',
  fix: 'Remove the nested instruction from ONBUILD; Docker rejects it.',
  check: ({ model }) =>
    model.instructions
      .filter((i) => i.trigger && ['ONBUILD', 'FROM', 'MAINTAINER'].includes(i.trigger.keyword))
      .map((i) => ({ line: i.line })),
};

export const DL4000: DockerfileRule = {
  id: 'DL4000',
  severity: 'error',
  message: 'MAINTAINER is deprecated',
  fix: 'Replace MAINTAINER with `LABEL org.opencontainers.image.authors="…"`.',
  check: ({ model }) => model.instructions.filter((i) => i.keyword === 'MAINTAINER').map((i) => ({ line: i.line })),
};

export const fromRules: DockerfileRule[] = [DL3006, DL3007, DL3024, DL3026, DL3029, DL3043, DL4000];
