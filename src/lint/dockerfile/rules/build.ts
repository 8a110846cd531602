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

/**
 * Measured with BuildKit (Engine 20.10): copying from an earlier stage works; from a later stage the
 * build fails (the stage is empty when copied from); a bare name that is no stage is pulled as an image.
 */
export const SG1007: DockerfileRule = {
  id: 'SG1007',
  severity: 'error',
  message: '`COPY --from` names no earlier stage of this Dockerfile and no image reference',
  fix: 'Name a stage defined above the COPY (`FROM … AS <name>`), spelled as in its FROM line, or give a full image reference with a tag (`--from=nginx:1.27`).',
  check: ({ model }) => {
    const hits: RuleHit[] = [];
    for (const stage of model.stages) {
      const earlier = new Map(model.stages.slice(0, stage.index).flatMap((s) => (s.from.alias ? [[s.from.alias, s] as const] : [])));
      for (const i of stage.instructions) {
        const raw = i.keyword === 'COPY' ? i.flags.find((f) => f.name === 'from')?.value : undefined;
        if (raw === undefined || raw === null) continue;
        const ref = dropQuotes(raw);
        const name = ref.toLowerCase();
        // Its own stage is DL3023's finding.
        if (ref === '' || ref.includes('$') || isImageReference(ref) || earlier.has(name) || name === stage.from.alias) continue;
        const later = model.stages.find((s) => s.index > stage.index && s.from.alias === name);
        if (/^\d+$/.test(ref)) {
          if (Number(ref) >= stage.index) hits.push({ line: i.line, message: `\`COPY --from=${ref}\` names stage ${ref}, which is not above this COPY (it is in stage ${stage.index})` });
        } else if (later) {
          hits.push({ line: i.line, message: `\`COPY --from=${ref}\` names a stage defined later (line ${later.line}); BuildKit copies from it before it is built and the build fails` });
        } else {
          hits.push({ line: i.line, message: `\`COPY --from=${ref}\` names no stage of this Dockerfile; Docker would pull an image called \`${ref}\`` });
        }
      }
    }
    return hits;
  },
};

export const buildRules: DockerfileRule[] = [DL3061, SG1006, SG1007];
