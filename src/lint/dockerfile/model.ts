/**
 * A typed view of a Dockerfile built on dockerfile-ast: instructions with joined continuations,
 * flags, exec-form values, stages with their aliases, and each RUN's parsed shell script. Rules read
 * only this model, so the AST library stays behind one file.
 */
import { DockerfileParser, type Instruction, type Onbuild } from 'dockerfile-ast';
import { parseShell, type ParsedScript } from './shell.js';

export interface InstrFlag {
  name: string;
  value: string | null;
}

export interface Property {
  name: string;
  /** Value after quote removal; null when none was given (`ARG NAME`). */
  value: string | null;
}

export interface Instr {
  /** Upper-case keyword; for an ONBUILD trigger, the trigger's keyword. */
  keyword: string;
  /** 1-based line where the instruction starts (the ONBUILD line for triggers). */
  line: number;
  endLine: number;
  /** Arguments without flags, continuations joined and comment lines inside them dropped. */
  text: string;
  flags: InstrFlag[];
  /** Exec-form values when the arguments are a JSON array of strings. */
  json: string[] | null;
  /** Whitespace-separated argument words (quotes kept), flags excluded. */
  words: string[];
  /** True for the instruction inside `ONBUILD`. */
  onbuild: boolean;
  /** Index into `stages`; -1 before the first FROM. */
  stage: number;
  /** ENV, ARG and LABEL key/value pairs. */
  properties: Property[];
  /** RUN only: the shell script (empty when the stage's shell is not POSIX). */
  script?: ParsedScript;
  /** The trigger instruction, on an ONBUILD. */
  trigger?: Instr;
}

export interface FromInfo {
  /** The image reference as written, e.g. `docker.io/library/node:20@sha256:…`. */
  image: string;
  /** Reference without tag and digest. */
  name: string;
  tag: string | null;
  digest: string | null;
  /** Registry host when the reference names one, else null (Docker Hub). */
  registry: string | null;
  /** Stage name from `AS name`, lower-cased as BuildKit treats it. */
  alias: string | null;
  platform: string | null;
}

export interface Stage {
  index: number;
  /** Line of the FROM. */
  line: number;
  from: FromInfo;
  /** The earlier stage this one builds on (`FROM <alias>`), if any. */
  parent: Stage | null;
  /** Instructions after the FROM, ONBUILD triggers excluded (they sit on their ONBUILD). */
  instructions: Instr[];
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface CommentLine {
  line: number;
  /** Text after `#`, trimmed. */
  text: string;
}

export interface DockerfileModel {
  instructions: Instr[];
  stages: Stage[];
  directives: Directive[];
  /** Every whole-line comment, including those inside continuations and the directive block. */
  comments: CommentLine[];
  /** Instructions with a keyword Docker does not know. */
  unknown: Instr[];
  escape: string;
}

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

const NON_POSIX_SHELLS = new Set(['pwsh', 'powershell', 'cmd']);

export function isKnownKeyword(keyword: string): boolean {
  return KEYWORDS.has(keyword);
}

/** Joins `\`-continued lines the way Docker does (no space added) and drops comment lines inside them. */
export function joinContinuations(raw: string, escape: string): string {
  const lines = raw.split(/\r?\n/);
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > 0 && /^\s*#/.test(line)) continue;
    const trimmed = line.replace(/\s+$/, '');
    if (i < lines.length - 1 && trimmed.endsWith(escape)) out += trimmed.slice(0, -1);
    else out += line + (i < lines.length - 1 ? '\n' : '');
  }
  return out;
}

export function dropQuotes(s: string): string {
  return s.replace(/^["']+|["']+$/g, '');
}

function splitWords(text: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g;
  let cur = '';
  let last = -1;
  let m: RegExpExecArray | null;
  // Adjacent quoted/unquoted pieces (`a"b c"`) form one word.
  while ((m = re.exec(text)) !== null) {
    if (m.index === last) cur += m[0];
    else {
      if (cur) out.push(cur);
      cur = m[0];
    }
    last = m.index + m[0].length;
  }
  if (cur) out.push(cur);
  return out;
}

function parseJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

export function parseImageRef(image: string): Pick<FromInfo, 'name' | 'tag' | 'digest' | 'registry'> {
  let rest = image;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const registry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : null;
  return { name: rest, tag, digest, registry };
}

function parseFrom(instr: Instr): FromInfo {
  const words = instr.words;
  const image = words[0] ?? '';
  const asIdx = words.findIndex((w, i) => i > 0 && w.toLowerCase() === 'as');
  const alias = asIdx > 0 && words[asIdx + 1] ? words[asIdx + 1]!.toLowerCase() : null;
  const platform = instr.flags.find((f) => f.name === 'platform')?.value ?? null;
  return { image, ...parseImageRef(image), alias, platform };
}

interface Heredoc {
  delim: string;
  body: string;
}

const HEREDOC_MARK = /(?<!<)<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;

function splitHeredocs(raw: string): { firstLine: string; heredocs: Heredoc[] } | null {
  const lines = raw.split(/\r?\n/);
  const firstLine = lines[0] ?? '';
  const marks = [...firstLine.matchAll(HEREDOC_MARK)].filter((m) => firstLine[m.index + 2] !== '<');
  if (marks.length === 0) return null;
  const heredocs: Heredoc[] = [];
  let li = 1;
  for (const m of marks) {
    const strip = m[1] === '-';
    const delim = m[3]!;
    const body: string[] = [];
    for (; li < lines.length; li++) {
      const l = strip ? lines[li]!.replace(/^\t+/, '') : lines[li]!;
      if (l.trim() === delim) {
        li++;
        break;
      }
      body.push(l);
    }
    heredocs.push({ delim, body: body.join('\n') });
  }
  return { firstLine: firstLine.replace(HEREDOC_MARK, ' ').trim(), heredocs };
}

const SHELL_RUNNER = /^(\S*\/)?(ba|da|a|z)?sh(\s+-[A-Za-z]+)*(\s+-c)?$/;

/** The shell text a RUN executes; heredoc bodies are the script when the RUN line only opens them. */
export function runScriptText(raw: string, escape: string): string {
  const hd = splitHeredocs(raw);
  if (!hd) return joinContinuations(raw, escape);
  const cmd = hd.firstLine;
  if (cmd !== '' && !SHELL_RUNNER.test(cmd)) return cmd;
  return hd.heredocs
    .map((h) => h.body)
    .filter((b) => !/^#!/.test(b) || /^#!\s*(\S*\/)?(env\s+)?(ba|da|a|z)?sh\b/.test(b))
    .join('\n');
}

function buildInstr(node: Instruction, escape: string, stage: number, onbuildLine?: number): Instr {
  const keyword = node.getKeyword().toUpperCase();
  const range = node.getRange();
  const raw = node.getRawArgumentsContent() ?? '';
  const text = keyword === 'RUN' ? raw : joinContinuations(raw, escape);
  const flagged = node as Instruction & { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  const flags = typeof flagged.getFlags === 'function' ? flagged.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() })) : [];
  const joined = keyword === 'RUN' ? joinContinuations(raw, escape) : text;
  const propNode = node as Instruction & { getProperties?: () => { getName(): string; getValue(): string | null }[] };
  const properties =
    ['ENV', 'ARG', 'LABEL'].includes(keyword) && typeof propNode.getProperties === 'function'
      ? propNode.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() }))
      : [];
  const line = (onbuildLine ?? range.start.line) + 1;
  return {
    keyword,
    line,
    endLine: onbuildLine !== undefined ? line : range.end.line + 1,
    text: joined,
    flags,
    json: parseJsonArray(joined),
    words: splitWords(joined),
    onbuild: onbuildLine !== undefined,
    stage,
    properties,
  };
}

export interface ModelOptions {
  /** Shell from a `# hadolint shell=…` pragma; applies until a SHELL instruction. */
  defaultShell?: string;
}

function shellIsPosix(shell: string): boolean {
  const exe = (shell.split(/[\\/]/).pop() ?? '').toLowerCase().replace(/\.exe$/, '');
  return !NON_POSIX_SHELLS.has(exe);
}

export function buildModel(text: string, options: ModelOptions = {}): DockerfileModel {
  const df = DockerfileParser.parse(text);
  const escape = df.getEscapeCharacter();
  const directives = df.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), line: d.getRange().start.line + 1 }));
  const comments: CommentLine[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /^\s*#(.*)$/.exec(l);
    if (m) comments.push({ line: i + 1, text: m[1]!.trim() });
  });

  const instructions: Instr[] = [];
  const stages: Stage[] = [];
  const unknown: Instr[] = [];
  const defaultPosix = options.defaultShell === undefined || shellIsPosix(options.defaultShell);
  let posix = defaultPosix;

  const attachScript = (instr: Instr): void => {
    if (instr.keyword !== 'RUN') return;
    if (!posix) {
      instr.script = { text: instr.text, commands: [], hasPipes: false };
      return;
    }
    const src = instr.json ? instr.json.join(' ') : runScriptText(rawOf(instr), escape);
    instr.script = parseShell(src);
  };
  // Heredoc detection needs the raw (unjoined) text; keep it aside per instruction.
  const raws = new WeakMap<Instr, string>();
  const rawOf = (instr: Instr): string => raws.get(instr) ?? instr.text;

  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword().toUpperCase();
    const instr = buildInstr(node, escape, stages.length - 1);
    raws.set(instr, node.getRawArgumentsContent() ?? '');
    if (!KEYWORDS.has(keyword)) {
      unknown.push(instr);
      continue;
    }
    if (keyword === 'FROM') {
      const from = parseFrom(instr);
      const parent = stages.find((s) => s.from.alias !== null && s.from.alias === from.name.toLowerCase()) ?? null;
      instr.stage = stages.length;
      stages.push({ index: stages.length, line: instr.line, from, parent, instructions: [] });
      posix = defaultPosix;
    } else if (keyword === 'SHELL') {
      const exe = instr.json?.[0];
      if (exe !== undefined) posix = shellIsPosix(exe);
    } else if (keyword === 'ONBUILD') {
      const trigger = (node as Onbuild).getTriggerInstruction();
      if (trigger) {
        const t = buildInstr(trigger, escape, instr.stage, node.getRange().start.line);
        raws.set(t, trigger.getRawArgumentsContent() ?? '');
        attachScript(t);
        instr.trigger = t;
      }
    }
    attachScript(instr);
    instructions.push(instr);
    const stage = stages[instr.stage];
    if (stage && keyword !== 'FROM') stage.instructions.push(instr);
  }
  return { instructions, stages, directives, comments, unknown, escape };
}

const onbuildViews = new WeakMap<DockerfileModel, DockerfileModel>();

/**
 * The ONBUILD triggers alone, as one stage with no base: hadolint's `onbuild` wrapper runs a rule
 * over the unwrapped triggers in a state of their own, which never sees a FROM. Lines stay the ONBUILD lines.
 */
export function onbuildModel(model: DockerfileModel): DockerfileModel {
  const cached = onbuildViews.get(model);
  if (cached) return cached;
  const triggers = model.instructions.flatMap((i) => (i.trigger ? [{ ...i.trigger, stage: 0 }] : []));
  const from: FromInfo = { image: 'scratch', name: 'scratch', tag: null, digest: null, registry: null, alias: null, platform: null };
  const stages: Stage[] = triggers.length ? [{ index: 0, line: triggers[0]!.line, from, parent: null, instructions: triggers }] : [];
  const view: DockerfileModel = { ...model, instructions: triggers, stages, unknown: [] };
  onbuildViews.set(model, view);
  return view;
}

/**
 * A per-stage fact that a stage passes to the stages built on it, keyed the way hadolint keys it:
 * a stage is known by its alias, or by its image name when it has none, and `FROM <key>` starts
 * with that key's value (so `FROM scratch` or an unrelated image starts from `initial`).
 * `update(value, instr)` sees each instruction of the stage in order; `visit` sees the value in force before it.
 */
export function foldStages<T>(
  model: DockerfileModel,
  initial: T,
  update: (value: T, instr: Instr) => T,
  visit?: (value: T, instr: Instr, stage: Stage) => void,
): Map<Stage, T> {
  const byKey = new Map<string, T>();
  const out = new Map<Stage, T>();
  for (const stage of model.stages) {
    let value = byKey.get(stage.from.name.toLowerCase()) ?? initial;
    for (const instr of stage.instructions) {
      visit?.(value, instr, stage);
      value = update(value, instr);
    }
    byKey.set(stage.from.alias ?? stage.from.name.toLowerCase(), value);
    out.set(stage, value);
  }
  return out;
}

/**
 * The last stage and every stage whose alias some FROM names as its image (anywhere in the file, as
 * hadolint matches): the stages whose layers ship, for the "clean up after installing" rules.
 */
export function shippedStageIndexes(model: DockerfileModel): Set<number> {
  const named = new Set(model.stages.map((s) => s.from.name.toLowerCase()));
  const out = new Set<number>();
  for (const s of model.stages) if (s.index === model.stages.length - 1 || (s.from.alias !== null && named.has(s.from.alias))) out.add(s.index);
  return out;
}

/** Every instruction of the stages that end up in an image (the final stage and those built upon). */
export function shippedInstructions(model: DockerfileModel): Stage['instructions'] {
  const shipped = shippedStageIndexes(model);
  return model.stages.filter((s) => shipped.has(s.index)).flatMap((s) => s.instructions);
}

export function finalStage(model: DockerfileModel): Stage | undefined {
  return model.stages[model.stages.length - 1];
}
