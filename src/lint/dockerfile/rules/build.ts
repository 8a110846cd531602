/**
 * Rules for what fails a build before it starts: an instruction before the first FROM (DL3061), a
 * COPY/ADD source the build context does not hold (SG1006), a `COPY --from` that names nothing (SG1007).
 */
import { dropQuotes, type Instr } from '../model.js';
import type { DockerfileRule, RuleHit } from './define.js';
import { copyPaths } from './copy.js';

export const DL3061: DockerfileRule = {
  id: 'DL3061',
  severity: 'error',
  message: 'Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.',
  fix: 'Move the instruction below the first FROM; before it only ARG, comments and parser directives may stand (Docker rejects the file otherwise).',
  check: ({ model }) => model.instructions.filter((i) => i.stage === -1 && i.keyword !== 'ARG').map((i) => ({ line: i.line })),
};

/** Sources a build reads from the context: not `--from` copies, URLs, git remotes, heredocs or `$VARIABLE` paths. */
function contextSources(i: Instr): string[] {
  if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.some((f) => f.name === 'from')) return [];
  const p = copyPaths(i);
  if (!p) return [];
  return p.sources.filter((s) => s !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && !s.startsWith('git@') && !s.includes('$') && !s.startsWith('<<'));
}

export const SG1006: DockerfileRule = {
  id: 'SG1006',
  severity: 'error',
  message: 'A COPY/ADD source is not in the build context',
  fix: 'Create the file, fix the path (sources are relative to the build context, not to the Dockerfile), or stop the .dockerignore rule from excluding it.',
  check: ({ model, contexts }) => {
    if (contexts.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const i of model.instructions) {
      for (const src of contextSources(i)) {
        for (const ctx of contexts) {
          const problem = ctx.check(src);
          if (!problem) continue;
          const where = ctx.dir === '.' ? 'the build context' : `the build context ${ctx.dir}`;
          const message =
            problem.problem === 'missing'
              ? `${i.keyword} source \`${src}\` does not exist in ${where}`
              : `${i.keyword} source \`${src}\` is excluded from ${where} by \`${problem.rule!.text}\` (${problem.ignoreFile}:${problem.rule!.line})`;
          hits.push({ line: i.line, message });
        }
      }
    }
    return hits;
  },
};

/** A reference Docker would pull: it names a registry or namespace (`/`), a tag (`:`) or a digest (`@`). */
const isImageReference = (ref: string): boolean => /[/:@]/.test(ref);

export const SG1007: DockerfileRule = {
  id: 'SG1007',
  severity: 'error',
  message: '`COPY --from` names no stage of this Dockerfile and no image reference',
  fix: 'Name a stage (`FROM … AS <name>`) spelled as in its FROM line, or give a full image reference with a tag (`--from=nginx:1.27`).',
  check: ({ model }) => {
    const names = new Set(model.stages.map((s) => s.from.alias).filter((a): a is string => a !== null));
    return model.instructions.flatMap((i) => {
      const raw = i.keyword === 'COPY' ? i.flags.find((f) => f.name === 'from')?.value : undefined;
      if (raw === undefined || raw === null) return [];
      const ref = dropQuotes(raw);
      if (ref === '' || ref.includes('$') || isImageReference(ref) || names.has(ref.toLowerCase())) return [];
      if (/^\d+$/.test(ref)) return Number(ref) < model.stages.length ? [] : [{ line: i.line, message: `\`COPY --from=${ref}\` names stage ${ref}, but the Dockerfile has ${model.stages.length}` }];
      return [{ line: i.line, message: `\`COPY --from=${ref}\` names no stage of this Dockerfile; Docker would pull an image called \`${ref}\`` }];
    });
  },
};

export const buildRules: DockerfileRule[] = [DL3061, SG1006, SG1007];
