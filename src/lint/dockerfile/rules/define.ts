/**
 * The rule shape and three builders that keep each rule a few lines: per instruction, per shell
 * command, or free-form over the whole model. Rules marked `onbuild` run a second time over the
 * ONBUILD triggers alone (see `onbuildModel`), as hadolint's `onbuild` wrapper does.
 */
import type { Severity } from '../../types.js';
import type { HadolintConfig } from '../config.js';
import type { BuildContext } from '../build-context.js';
import type { DockerfileModel, Instr } from '../model.js';
import type { ParsedScript, ShellCommand } from '../shell.js';

export interface RuleContext {
  model: DockerfileModel;
  config: HadolintConfig;
  /** The build cannot pull images (no registry): frontends named by `# syntax=` are unreachable. */
  airGapped: boolean;
  /** The build contexts the file is built with (none: context checks are skipped). */
  contexts: readonly BuildContext[];
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
  /**
   * hadolint also applies the rule to the instructions inside ONBUILD: a second pass over the triggers
   * alone, in their own state (an ENV outside ONBUILD does not satisfy a trigger, and vice versa).
   */
  onbuild?: boolean;
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
    check: (ctx) => ctx.model.instructions.filter((i) => keywords.includes(i.keyword) && violates(i, ctx)).map((i) => ({ line: i.line })),
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

/** Targets of the RUN's cache and tmpfs mounts (`--mount=type=cache,target=…`). */
export function cacheMountTargets(run: Instr): string[] {
  return run.flags.flatMap((f) => {
    if (f.name !== 'mount' || f.value === null) return [];
    const opts = Object.fromEntries(f.value.split(',').map((kv) => [kv.split('=')[0]!.trim(), kv.split('=').slice(1).join('=').trim()]));
    if (opts.type !== 'cache' && opts.type !== 'tmpfs') return [];
    return [opts.target ?? opts.dst ?? opts.destination ?? ''];
  });
}

/**
 * True when a cache or tmpfs mount's target contains `fragment` (hadolint matches by infix, so
 * `.cache/pip` covers `/root/.cache/pip` and `/home/app/.cache/pip`).
 */
export function hasCacheMount(run: Instr, fragment: string): boolean {
  return cacheMountTargets(run).some((t) => t.includes(fragment));
}
