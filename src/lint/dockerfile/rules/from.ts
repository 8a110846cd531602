/** FROM rules: tags, stage aliases, registries, platform. */
import { dropQuotes, parseImageRef, type FromInfo, type Instr, type Stage } from '../model.js';
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
  message: 'FROM aliases (stage names) must be unique',
  fix: 'Rename one of the stages so every `AS <name>` is unique.',
  check: (ctx) => eachFrom(ctx, (f, aliases) => f.alias !== null && aliases.has(f.alias)),
};

function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return re.test(value);
}

/** `image` may be pulled under `trustedRegistries` (scratch and Docker Hub images count as `docker.io`). */
function registryAllowed(allowed: readonly string[], image: string): boolean {
  const ref = parseImageRef(image);
  if (ref.registry === null) return ref.name === 'scratch' || allowed.some((a) => globMatch(a, 'docker.io')) || allowed.includes('hub.docker.com');
  return allowed.some((a) => globMatch(a, ref.registry!));
}

/** `from=` of the RUN's cache and bind mounts (scratch when absent, as BuildKit reads it). */
function mountSources(i: Instr): string[] {
  return i.flags.flatMap((f) => {
    if (f.name !== 'mount' || f.value === null) return [];
    const opts = Object.fromEntries(f.value.split(',').map((kv) => [kv.split('=')[0]!.trim(), kv.split('=').slice(1).join('=').trim()]));
    return opts.type === 'cache' || opts.type === 'bind' ? [opts.from ?? 'scratch'] : [];
  });
}

/**
 * Every image the build pulls comes from a trusted registry: FROM images, and (hadolint 2.15) images
 * named by `COPY --from=` and by `RUN --mount=…,from=`; a stage defined earlier is not pulled.
 */
export const DL3026: DockerfileRule = {
  id: 'DL3026',
  severity: 'error',
  message: 'Use only an allowed registry in the FROM image',
  fix: 'Pull the base image from one of the registries listed in `trustedRegistries`.',
  check: (ctx) => {
    const allowed = ctx.config.trustedRegistries;
    if (allowed.length === 0) return [];
    const aliases = new Set<string>();
    const ok = (image: string): boolean => aliases.has(image.toLowerCase()) || image.startsWith('$') || image === '' || registryAllowed(allowed, image);
    const hits: RuleHit[] = [];
    for (const i of ctx.model.instructions) {
      if (i.keyword === 'FROM') {
        const stage = ctx.model.stages[i.stage];
        if (stage && !ok(stage.from.image)) hits.push({ line: i.line });
        if (stage?.from.alias) aliases.add(stage.from.alias);
      } else if (i.keyword === 'COPY') {
        const from = i.flags.find((f) => f.name === 'from')?.value;
        if (from && !ok(dropQuotes(from))) hits.push({ line: i.line });
      } else if (i.keyword === 'RUN' && mountSources(i).some((m) => !ok(m))) hits.push({ line: i.line });
    }
    return hits;
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

/** `scratch` and `context` mean something else to BuildKit (the empty image, a named build context). */
export const DL3063: DockerfileRule = {
  id: 'DL3063',
  severity: 'warning',
  message: 'stage name should not be a reserved word',
  fix: 'Rename the stage: `scratch` and `context` are reserved by BuildKit.',
  check: (ctx) => eachFrom(ctx, (f) => f.alias === 'scratch' || f.alias === 'context'),
};

export const DL3065: DockerfileRule = {
  id: 'DL3065',
  severity: 'warning',
  message: 'Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior',
  fix: 'Drop `--platform=$TARGETPLATFORM`: the build already targets that platform.',
  check: (ctx) => eachFrom(ctx, (f) => f.platform === '$TARGETPLATFORM' || f.platform === '${TARGETPLATFORM}'),
};

export const fromRules: DockerfileRule[] = [DL3006, DL3007, DL3024, DL3026, DL3029, DL3043, DL3063, DL3065, DL4000];
