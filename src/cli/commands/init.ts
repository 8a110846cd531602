/**
 * `stackgen init [dir]`: detect → show → ask (only when a person is there) → spec → render → one
 * flush. The spec is the user's file: written when missing; on a re-run the new detection is merged
 * into it in place, so their edits and comments stay.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { detectWithReport } from '../../detect/detect.js';
import { BACKING_KINDS, type BackingKind } from '../../detect/types.js';
import { StackgenError } from '../../errors.js';
import { normalizeTargets, TARGETS, type SpecFromTopologyOptions, type Target } from '../../spec/from-topology.js';
import { SPEC_FILE, specFileFor } from '../../spec/spec-file.js';
import type { MergeResult } from '../../spec/stringify.js';
import { CI_FILES } from '../../render/artifacts/ci-files.js';
import { userFileText } from '../../render/contexts/repo.js';
import type { FlushedTree } from '../../tree/virtual-tree.js';
import { conflictError, info, note, printChanges, printJson, style } from '../output.js';
import { cliEnv, fromCwd, session } from '../session.js';
import { askInitOptions, type GivenAnswers } from '../prompts/init-prompts.js';
import { printTopology } from './detect.js';
import { generateFromArgs, writeFlags, type WriteArgs } from './render.js';
import { COMMAND_META } from './meta.js';

interface InitArgs extends WriteArgs {
  dir: string;
  yes: boolean;
  name?: string;
  service?: string[];
  port?: string[];
  start?: string[];
  with?: string[];
  without?: string[];
  observability?: boolean;
  proxy?: 'none' | 'traefik' | 'caddy';
  tls?: 'self-signed' | 'acme';
  domain?: string[];
  email?: string;
  ci?: 'github' | 'gitlab' | 'none';
  registry?: string;
  targets?: string[];
  prune: boolean;
  ownDockerfile: 'keep' | 'replace';
  imageMap?: string;
  gitignore: boolean;
}

/** `api=8080` / `api="node server.js"` → { api: … }. */
function pairs(flag: string, values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new StackgenError('E_INPUT', `--${flag} ${v}: expected SERVICE=VALUE`, { hint: `e.g. --${flag} api=${flag === 'port' ? '8080' : '"node server.js"'}` });
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function kinds(flag: string, values: string[] | undefined): BackingKind[] | undefined {
  if (values === undefined) return undefined;
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const k of list) {
    if (!(BACKING_KINDS as readonly string[]).includes(k)) throw new StackgenError('E_INPUT', `--${flag} ${k}: not a backing service stackgen knows`, { hint: `Known: ${BACKING_KINDS.join(', ')}.` });
  }
  return list as BackingKind[];
}

/** `--targets swarm,kubernetes` (repeatable): compose is implied, it holds the builds. */
function targetsFlag(values: string[] | undefined): Target[] | undefined {
  if (values === undefined) return undefined;
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const t of list) {
    if (!(TARGETS as readonly string[]).includes(t)) throw new StackgenError('E_INPUT', `--targets ${t}: not a target stackgen renders`, { hint: `Known: ${TARGETS.join(', ')}.` });
  }
  return normalizeTargets(list as Target[]);
}

function givenAnswers(args: InitArgs): GivenAnswers {
  const ports: Record<string, number> = {};
  for (const [k, v] of Object.entries(pairs('port', args.port))) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new StackgenError('E_INPUT', `--port ${k}=${v}: a port is a whole number from 1 to 65535`);
    ports[k] = n;
  }
  const g: GivenAnswers = { ports, start: pairs('start', args.start) };
  if (args.service && args.service.length > 0) g.services = args.service.flatMap((s) => s.split(',')).filter(Boolean);
  const w = kinds('with', args.with);
  const wo = kinds('without', args.without);
  if (w) g.with = w;
  if (wo) g.without = wo;
  if (args.observability !== undefined) g.observability = args.observability;
  if (args.proxy) g.proxy = args.proxy;
  if (args.tls) g.tls = args.tls;
  if (args.domain) g.domains = args.domain.flatMap((d) => d.split(',')).filter(Boolean);
  if (args.email) g.email = args.email;
  if (args.ci) g.ci = args.ci;
  if (args.registry !== undefined) g.registry = args.registry;
  const targets = targetsFlag(args.targets);
  if (targets) g.targets = targets;
  // --tls or --domain without --proxy: the proxy they imply.
  if (!g.proxy && (g.tls || g.domains)) g.proxy = 'traefik';
  return g;
}

/** The answers a non-interactive run takes: the flags, else every default. */
function defaultsFrom(g: GivenAnswers): SpecFromTopologyOptions {
  const o: SpecFromTopologyOptions = { ports: g.ports, start: g.start };
  if (g.services) o.services = g.services;
  if (g.with) o.with = g.with;
  if (g.without) o.without = g.without;
  if (g.observability !== undefined) o.observability = g.observability;
  if (g.proxy && g.proxy !== 'none') {
    o.proxy = { kind: g.proxy, tls: g.tls ?? 'self-signed', ...(g.domains ? { domains: g.domains } : {}), ...(g.email ? { email: g.email } : {}) };
  } else if (g.proxy === 'none') o.proxy = { kind: 'none' };
  if (g.ci) o.ci = g.ci;
  if (g.registry !== undefined) o.registry = g.registry || null;
  if (g.targets) o.targets = g.targets;
  return o;
}

function isPromptExit(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'ExitPromptError' || name === 'AbortPromptError';
}

export const initCommand: CommandModule<object, InitArgs> = {
  ...COMMAND_META.init,
  builder: (y) =>
    writeFlags(y)
      .positional('dir', { type: 'string', default: '.', describe: 'Repository folder' })
      .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Take every default; ask nothing' })
      .option('name', { type: 'string', describe: 'Project name (default: the folder name)' })
      .option('service', { type: 'string', array: true, describe: 'Include only this service (repeatable)' })
      .option('port', { type: 'string', array: true, describe: 'Container port of a service: api=8080 (repeatable)' })
      .option('start', { type: 'string', array: true, describe: 'Start command of a service: api="node server.js" (repeatable)' })
      .option('with', { type: 'string', array: true, describe: 'Add a backing service, e.g. postgres (repeatable)' })
      .option('without', { type: 'string', array: true, describe: 'Leave out a detected backing service (repeatable)' })
      .option('observability', { type: 'boolean', describe: 'Prometheus, Grafana and alert rules (--no-observability to leave out)' })
      .option('proxy', { choices: ['none', 'traefik', 'caddy'] as const, describe: 'Reverse proxy' })
      .option('tls', { choices: ['self-signed', 'acme'] as const, describe: 'Proxy TLS certificates' })
      .option('domain', { type: 'string', array: true, describe: 'Domain served by the proxy (repeatable)' })
      .option('email', { type: 'string', describe: 'ACME account e-mail (with --tls acme)' })
      .option('ci', { choices: ['github', 'gitlab', 'none'] as const, describe: 'CI provider' })
      .option('registry', { type: 'string', describe: 'Registry CI pushes to, e.g. ghcr.io/acme' })
      .option('targets', { type: 'string', array: true, describe: 'Deploy targets besides compose: swarm, kubernetes (comma-separated or repeatable)' })
      .option('own-dockerfile', { choices: ['keep', 'replace'] as const, default: 'keep' as const, describe: "A Dockerfile the repository already has: build with it (keep) or render stackgen's in its place (replace; overwriting it needs --force)" })
      .option('prune', { type: 'boolean', default: false, describe: 'Remove services from stackgen.yaml that are no longer detected' })
      .option('image-map', { type: 'string', describe: 'Image map YAML (mirror / overrides) applied to every image reference' })
      .option('gitignore', { type: 'boolean', default: true, describe: 'Honour .gitignore files while detecting' }) as never,
  handler: async (args) => {
    const rootDir = fromCwd(args.dir);
    const report = await detectWithReport(rootDir, { gitignore: args.gitignore });
    const { topology } = report;
    if (!args.json) printTopology(topology, false, report.providerOf);
    if (topology.services.length === 0) {
      throw new StackgenError('E_INPUT', `nothing to containerise in ${args.dir}`, { hint: topology.warnings.at(-1)?.message });
    }

    const given = givenAnswers(args);
    const interactive = !args.yes && session().io.stdinIsTTY && !cliEnv().CI;
    let options: SpecFromTopologyOptions;
    if (interactive) {
      if (!args.json) info();
      try {
        options = await askInitOptions(topology, given);
      } catch (err) {
        if (isPromptExit(err)) throw new StackgenError('E_INTERRUPTED', 'interrupted; nothing written');
        throw err;
      }
    } else {
      if (!args.yes) note(`${style.dim('no terminal to ask on')}: taking the detected defaults and the flags given (pass --yes to say so).`);
      options = defaultsFrom(given);
      // The default pipeline's file already holds a workflow of the user's (`docker.yml` is a common
      // name): keep theirs and render none, rather than stop on a conflict nobody asked for.
      const own = given.ci === undefined && !fs.existsSync(path.join(rootDir, SPEC_FILE)) && userFileText(rootDir, CI_FILES.github) !== undefined ? CI_FILES.github : undefined;
      if (own) {
        options.ci = 'none';
        note(`${style.dim('kept your')} ${own}${style.dim(': no CI pipeline rendered (ci.provider: none); --ci github --force replaces it, --ci gitlab writes .gitlab-ci.yml')}`);
      }
    }
    if (args.name) options.name = args.name;
    options.ownDockerfile = args.ownDockerfile;
    // Only flags overwrite values in an existing spec: a prompt's default comes from detection, and Enter must not undo the user's edit.
    const { path: specPath, text, spec, merge } = specFileFor(rootDir, topology, { spec: options, explicit: defaultsFrom(given), prune: args.prune, displayPath: path.relative(session().io.cwd, path.join(rootDir, SPEC_FILE)) || SPEC_FILE });

    // The spec joins the tree after lint: it is the user's file, not a rendered artifact.
    const { flushed, diff, lint, warnings } = await generateFromArgs(spec, { ...args, rootDir }, { userFiles: [{ path: SPEC_FILE, content: text }] });

    if (args.json) {
      printJson({
        spec: specPath,
        dryRun: flushed.dryRun,
        changes: flushed.changes,
        added: merge ? { services: merge.addedServices, backingServices: merge.addedBacking } : null,
        dropped: merge?.dropped ?? [],
        ...(args.dryRun ? { diff } : {}),
        findings: lint.findings,
        warnings,
      });
    } else printResult(flushed, diff, merge, Object.entries(spec.services).filter(([, s]) => s.role === 'job').map(([n]) => n));
    if (flushed.conflicts.length > 0) throw conflictError(rootDir, flushed.conflicts, 'init');
  },
};

function printResult(f: FlushedTree, diff: string, merge: MergeResult | null, jobs: string[]): void {
  info();
  if (merge) {
    if (merge.addedServices.length) info(`${style.green('+')} services added to ${SPEC_FILE}: ${merge.addedServices.join(', ')}`);
    if (merge.addedBacking.length) info(`${style.green('+')} backing services added to ${SPEC_FILE}: ${merge.addedBacking.join(', ')}`);
    if (merge.pruned.length) info(`${style.yellow('-')} services removed (--prune): ${merge.pruned.join(', ')}`);
    const kept = merge.dropped.filter((d) => !merge.pruned.includes(d));
    if (kept.length) info(`${style.yellow('!')} no longer detected, kept in ${SPEC_FILE} (--prune removes): ${kept.join(', ')}`);
  }
  printChanges(f, diff, { listUnchanged: true });
  const changed = f.changes.filter((c) => c.kind !== 'unchanged' && c.kind !== 'skip');
  if (f.dryRun || changed.length === 0) return;
  info(`\nNext: ${style.bold('docker compose up --build')}`);
  // Jobs sit in the compose `jobs` profile: `up` leaves them alone, `run` runs one to completion.
  for (const j of jobs) info(`      ${style.bold(`docker compose run --rm --build ${j}`)}   (a job: runs to completion)`);
}
