import type { CommandModule } from 'yargs';
import { StackgenError } from '../../errors.js';
import { detectWithReport } from '../../detect/detect.js';
import type { Evidence, Topology } from '../../detect/types.js';
import { info, printJson, style } from '../output.js';
import { fromCwd } from '../session.js';
import { COMMAND_META } from './meta.js';

interface DetectArgs {
  dir: string;
  json: boolean;
  explain: boolean;
  gitignore: boolean;
}

export const detectCommand: CommandModule<object, DetectArgs> = {
  ...COMMAND_META.detect,
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder' })
      .option('explain', { type: 'boolean', default: false, describe: 'Show the evidence behind every fact and the files looked at' })
      .option('gitignore', { type: 'boolean', default: true, describe: 'Honour .gitignore files (--no-gitignore to scan everything)' }) as never,
  handler: async (args) => {
    const report = await detectWithReport(fromCwd(args.dir), { gitignore: args.gitignore });
    const { topology } = report;
    if (args.json) printJson(topology);
    else printTopology(topology, args.explain, report.providerOf, report.lookedAt);
    if (topology.services.length === 0) {
      throw new StackgenError('E_INPUT', `nothing to containerise in ${args.dir}`, {
        hint: topology.warnings.at(-1)?.message,
      });
    }
  },
};

function where(e: { file: string; line?: number }): string {
  return e.line === undefined ? e.file : `${e.file}:${e.line}`;
}

export function printTopology(t: Topology, explain: boolean, providerOf: Record<string, string> = {}, lookedAt: string[] = []): void {
  info(`${style.bold('Repository')} ${t.root}`);
  for (const s of t.services) {
    const fw = s.framework ? ` · ${s.framework}` : '';
    const role = s.role ? ` · ${s.role}` : '';
    info(`${style.green('●')} ${style.bold(s.name)} ${style.dim(`(${s.path})`)} ${s.language}${fw}${role} ${style.dim(`confidence ${s.confidence.toFixed(2)}`)}`);
    const rows: Array<[string, string | null]> = [
      ['package manager', s.packageManager],
      ['runtime', s.runtimeVersion],
      ['install', s.commands.install],
      ['build', s.commands.build],
      ['start', s.commands.start],
      ['port', s.port === null ? null : String(s.port)],
      ['health', s.healthPath],
      ['backing', s.backingServices.join(', ') || null],
      ['depends on', s.dependsOn.join(', ') || null],
    ];
    for (const [k, v] of rows) if (v !== null) info(`    ${style.dim(k.padEnd(16))}${v}`);
    if (explain) {
      info(`    ${style.dim('detected by'.padEnd(16))}${providerOf[s.name] ?? '?'}`);
      info(`    ${style.dim('evidence')}`);
      for (const e of s.evidence) info(`      ${style.cyan(where(e))} ${e.signal}`);
      if (s.config && (s.config.reads.length > 0 || s.config.hosts.length > 0)) {
        info(`    ${style.dim('configuration')}`);
        for (const r of s.config.reads) {
          const def = r.default === undefined ? ' (no default)' : ` (default ${JSON.stringify(r.default)})`;
          const via = r.via === 'file' ? ' as a file path' : '';
          const bind = r.binds ? ` → ${r.binds.kind} ${r.binds.field}` : '';
          info(`      ${style.cyan(where(r))} reads ${r.name}${via}${def}${bind}`);
        }
        for (const h of s.config.hosts) info(`      ${style.cyan(where(h))} ${h.signal} → ${h.kind} host \`${h.host}\`${h.credentials ? ' (with its own credentials)' : ''}`);
      }
    }
  }
  if (t.backingServices.length > 0) {
    info(style.bold('Backing services'));
    for (const b of t.backingServices) {
      info(`${style.blue('◆')} ${b.kind}${b.version ? ` ${b.version}` : ''} ${style.dim(`used by ${b.usedBy.join(', ') || '—'}`)}`);
      if (explain) for (const e of b.evidence as Evidence[]) info(`      ${style.cyan(where(e))} ${e.signal}`);
    }
  }
  if (t.warnings.length > 0) {
    info(style.bold('Warnings'));
    for (const w of t.warnings) info(`${style.yellow('!')} ${style.cyan(where(w))} ${w.message}`);
  }
  if (explain && lookedAt.length > 0) info(style.dim(`Files looked at: ${lookedAt.join(', ')}`));
}
