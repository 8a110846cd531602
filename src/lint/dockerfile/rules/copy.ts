/** COPY and ADD rules: sources, destinations and `--from` references. */
import path from 'node:path/posix';
import { dropQuotes, foldStages, type Instr, type Stage } from '../model.js';
import { argsNoFlags, getFlags } from '../shell.js';
import { instructionRule, type DockerfileRule, type RuleHit } from './define.js';

export const ARCHIVE_EXTENSIONS = ['.tar', '.Z', '.bz2', '.gz', '.lz', '.lzma', '.tZ', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz'];

const isArchive = (p: string): boolean => ARCHIVE_EXTENSIONS.some((e) => p.endsWith(e));
const isUrl = (p: string): boolean => /^https?:\/\//.test(p);

/** Sources and destination of COPY/ADD, in either shell or exec form. */
export function copyPaths(i: Instr): { sources: string[]; dest: string } | null {
  if (/^<</.test(i.text.trim())) return null;
  const parts = (i.json ?? i.words).map(dropQuotes);
  if (parts.length < 2) return null;
  return { sources: parts.slice(0, -1), dest: parts[parts.length - 1]! };
}

const fromFlag = (i: Instr): string | null => i.flags.find((f) => f.name === 'from')?.value ?? null;

export const DL3020 = instructionRule(
  {
    id: 'DL3020',
    severity: 'error',
    message: 'Use COPY instead of ADD for files and folders',
    fix: 'Use COPY; keep ADD only for URLs and local tar archives it should extract.',
  },
  ['ADD'],
  (i) => {
    const p = copyPaths(i);
    return p !== null && !p.sources.every((s) => isArchive(s) || isUrl(s));
  },
);

export const DL3021 = instructionRule(
  {
    id: 'DL3021',
    severity: 'error',
    message: 'COPY with more than 2 arguments requires the last argument to end with /',
    fix: 'End the destination with `/` when copying several sources.',
  },
  ['COPY'],
  (i) => {
    const p = copyPaths(i);
    return p !== null && p.sources.length > 1 && !/[/\\]$/.test(p.dest);
  },
);

/** COPY --from checks need the aliases known when each COPY is reached. */
function eachCopyFrom(stages: readonly Stage[], fires: (ref: string, known: Set<string>, stage: Stage) => boolean): RuleHit[] {
  const known = new Set<string>();
  const hits: RuleHit[] = [];
  for (const stage of stages) {
    if (stage.from.alias) known.add(stage.from.alias);
    for (const i of stage.instructions) {
      const ref = i.keyword === 'COPY' ? fromFlag(i) : null;
      if (ref !== null && fires(dropQuotes(ref), known, stage)) hits.push({ line: i.line });
    }
  }
  return hits;
}

export const DL3022: DockerfileRule = {
  id: 'DL3022',
  severity: 'warning',
  message: '`COPY --from` should reference a previously defined `FROM` alias',
  fix: 'Name an earlier stage (`FROM … AS name`) and copy from it, or give a full image reference with a tag.',
  check: ({ model }) =>
    eachCopyFrom(model.stages, (ref, known, stage) => {
      if (ref.includes(':')) return false;
      if (/^\d+$/.test(ref)) return Number(ref) >= stage.index;
      return !known.has(ref.toLowerCase());
    }),
};

export const DL3023: DockerfileRule = {
  id: 'DL3023',
  severity: 'error',
  message: '`COPY --from` cannot reference its own `FROM` alias',
  fix: 'Copy from an earlier stage; a stage cannot copy from itself.',
  check: ({ model }) => eachCopyFrom(model.stages, (ref, _known, stage) => stage.from.alias !== null && ref.toLowerCase() === stage.from.alias),
};

const isAbsoluteDest = (d: string): boolean => d.startsWith('/') || /^[A-Za-z]:[\\/]/.test(d) || d.startsWith('$');

/**
 * COPY (not ADD) to a relative path while no WORKDIR is in force. A WORKDIR carries over to stages
 * built FROM this one (by alias, or by image name for a stage without one, as hadolint keys them).
 */
export const DL3045: DockerfileRule = {
  id: 'DL3045',
  severity: 'warning',
  message: '`COPY` to a relative destination without `WORKDIR` set.',
  fix: 'Set `WORKDIR` before the COPY, or copy to an absolute path.',
  check: ({ model }) => {
    const hits: RuleHit[] = [];
    foldStages(
      model,
      false,
      (set, i) => set || i.keyword === 'WORKDIR',
      (set, i) => {
        const p = i.keyword === 'COPY' ? copyPaths(i) : null;
        if (p !== null && !set && !isAbsoluteDest(p.dest)) hits.push({ line: i.line });
      },
    );
    return hits;
  },
};

/** Paths an archive copied by COPY may land at, so a later `tar -x` on it can be matched. */
function landedPaths(src: string, dest: string): string[] {
  const base = path.basename(src);
  return dest.endsWith('/') ? [path.join(dest, base)] : [dest, path.join(dest, base)];
}

function extractsTar(args: readonly string[]): boolean {
  if (args.includes('--extract') || args.includes('--get')) return true;
  const flags = getFlags({ name: 'tar', args: [...args], assignments: [], inPipeline: false });
  if (flags.includes('x')) return true;
  // Old-style `tar xzf file`: the first word is a flag cluster without a dash.
  const first = argsNoFlags({ name: 'tar', args: [...args], assignments: [], inPipeline: false })[0];
  return first !== undefined && /^[a-zA-Z]*x[a-zA-Z]*$/.test(first) && args[0] === first;
}

export const DL3010: DockerfileRule = {
  id: 'DL3010',
  severity: 'info',
  message: 'Use ADD for extracting archives into an image',
  fix: 'Use `ADD <archive> <dir>`, which extracts local tar archives in one layer, instead of COPY plus tar.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      const archives = new Set<string>();
      const hits: RuleHit[] = [];
      for (const i of stage.instructions) {
        const p = i.keyword === 'COPY' && fromFlag(i) === null ? copyPaths(i) : null;
        for (const src of p?.sources ?? []) if (isArchive(src)) landedPaths(src, p!.dest).forEach((x) => archives.add(x));
        if (i.keyword !== 'RUN' || archives.size === 0) continue;
        const extracts = (i.script?.commands ?? []).some(
          (c) => c.name === 'tar' && extractsTar(c.args) && c.args.some((a) => archives.has(a) || archives.has(path.normalize(a))),
        );
        if (extracts) hits.push({ line: i.line });
      }
      return hits;
    }),
};

export const copyRules: DockerfileRule[] = [DL3010, DL3020, DL3021, DL3022, DL3023, DL3045];
