/** COPY and ADD rules: sources, destinations and `--from` references. */
import { dropQuotes, foldStages, type Instr, type Stage } from '../model.js';
import { argsNoFlags } from '../shell.js';
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

/** The last segment of a path, `/` or `\\` separated, quotes dropped. */
const basename = (p: string): string => dropQuotes(p).split(/[\\/]/).pop() ?? '';

/** `tar` with `--extract`/`--get` or a dash cluster holding `x`; or one of the decompressors. */
const UNPACKERS = ['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat'];
function extracts(c: { name: string; args: string[] }): boolean {
  if (UNPACKERS.includes(c.name)) return true;
  return c.name === 'tar' && c.args.some((a) => a === '--extract' || a === '--get' || (a.startsWith('-') && !a.startsWith('--') && a.includes('x')));
}

/**
 * A COPY of a local archive that a later RUN of the same stage extracts, reported on the COPY (as
 * hadolint does): archives are matched by file name, the destination's when it names an archive.
 */
export const DL3010: DockerfileRule = {
  id: 'DL3010',
  severity: 'info',
  message: 'Use `ADD` for extracting archives into an image',
  fix: 'Use `ADD <archive> <dir>`, which extracts local tar archives in one layer, instead of COPY plus tar.',
  check: ({ model }) =>
    model.stages.flatMap((stage) => {
      const archives: { line: number; name: string }[] = [];
      const hit = new Set<number>();
      for (const i of stage.instructions) {
        const p = i.keyword === 'COPY' && fromFlag(i) === null ? copyPaths(i) : null;
        if (p) {
          if (isArchive(dropQuotes(p.dest))) archives.push({ line: i.line, name: basename(p.dest) });
          else for (const src of p.sources) if (isArchive(src)) archives.push({ line: i.line, name: basename(src) });
        }
        if (i.keyword !== 'RUN') continue;
        for (const c of i.script?.commands ?? []) {
          if (!extracts(c)) continue;
          const names = argsNoFlags(c).map(basename);
          for (const a of archives) if (names.includes(a.name)) hit.add(a.line);
        }
      }
      return [...hit].sort((x, y) => x - y).map((line) => ({ line }));
    }),
};

/** `COPY --from=<stage> / /`: the whole root filesystem of another stage or image. */
export const DL3067 = instructionRule(
  {
    id: 'DL3067',
    severity: 'warning',
    message: 'Do not copy an entire filesystem from another stage',
    fix: 'Copy only the files the stage produced (e.g. `COPY --from=build /app/dist /app/`).',
  },
  ['COPY'],
  (i) => {
    const p = fromFlag(i) !== null ? copyPaths(i) : null;
    return p !== null && p.sources.some((s) => s === '/') && p.dest === '/';
  },
);

export const copyRules: DockerfileRule[] = [DL3010, DL3020, DL3021, DL3022, DL3023, DL3045, DL3067];
