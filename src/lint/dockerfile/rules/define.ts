/**
 * The rule shape and three builders that keep each rule a few lines: per instruction, per shell
 * command, or free-form over the whole model. Builders apply a rule inside ONBUILD too, as hadolint does.
 */
import type { Severity } from '../../types.js';
import type { HadolintConfig } from '../config.js';
import { withTriggers, type DockerfileModel, type Instr } from '../model.js';
import type { ParsedScript, ShellCommand } from '../shell.js';

export interface RuleContext {
  model: DockerfileModel;
  config: HadolintConfig;
  /** The build cannot pull images (no registry): frontends named by `# syntax=` are unreachable. */
  airGapped: boolean;
}

export interface RuleHit {
  line: number;
  /** Replaces the rule's message, for rules whose text names the offending item. */
  message?: string;
}

export interface DockerfileRule {
  id: string;
  /** Default severity; `ignore` means off unless the config overrides it. */
  severity: Severity | 'ignore';
  message: string;
  /** How to fix it, in one sentence. */
  fix: string;
  check(ctx: RuleContext): RuleHit[];
}

export type RuleMeta = Omit<DockerfileRule, 'check'>;

/** Fires once per instruction of the given keywords for which `violates` is true. */
export function instructionRule(
  meta: RuleMeta,
  keywords: readonly string[],
  violates: (instr: Instr, ctx: RuleContext) => boolean,
): DockerfileRule {
  return {
    ...meta,
    check: (ctx) => withTriggers(ctx.model).filter((i) => keywords.includes(i.keyword) && violates(i, ctx)).map((i) => ({ line: i.line })),
  };
}

/** Fires once per RUN whose parsed script violates. */
export function scriptRule(meta: RuleMeta, violates: (script: ParsedScript, run: Instr, ctx: RuleContext) => boolean): DockerfileRule {
  return instructionRule(meta, ['RUN'], (run, ctx) => run.script !== undefined && violates(run.script, run, ctx));
}

/** Fires once per RUN in which at least one command violates (hadolint's `noCommands`). */
export function commandRule(meta: RuleMeta, violates: (cmd: ShellCommand, run: Instr, ctx: RuleContext) => boolean): DockerfileRule {
  return scriptRule(meta, (script, run, ctx) => script.commands.some((c) => violates(c, run, ctx)));
}

/** True when a RUN mounts a cache or tmpfs at `path` (`--mount=type=cache,target=path`). */
export function hasCacheMount(run: Instr, path: string): boolean {
  return run.flags.some((f) => {
    if (f.name !== 'mount' || f.value === null) return false;
    const opts = Object.fromEntries(f.value.split(',').map((kv) => [kv.split('=')[0]!.trim(), kv.split('=').slice(1).join('=').trim()]));
    const target = opts.target ?? opts.dst ?? opts.destination ?? '';
    return (opts.type === 'cache' || opts.type === 'tmpfs') && target.replace(/\/+$/, '') === path.replace(/\/+$/, '');
  });
}
