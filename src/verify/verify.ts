/**
 * verify(dir): prove a rendered stack works, in stages — load, lint, images, build, up, wait healthy,
 * settle (app logs free of connection errors to backing services), probe, report — around one
 * teardown that every path runs (containers, networks, volumes, and the images it built).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StackgenError } from '../errors.js';
import { envGroups, envLines } from '../render/artifacts/env.js';
import { backingModel } from '../render/contexts/backing.js';
import { buildImages, planImages } from './build.js';
import { settleAndReadLogs, teardown, upStack, waitHealthy, writeRunFile, type ComposeProject } from './compose-run.js';
import { composeCommand } from './docker-cli.js';
import { aborted, connectEngine, engineAddress, parseDuration } from './engine.js';
import { probeStack, publishedPorts } from './probe.js';
import { lintStack, loadStack, serviceReports, type LoadedStack } from './stack.js';
import type { VerifyRole } from './roles.js';
import type { VerifyOptions, VerifyReport } from './types.js';

export type { BuildInfo, ProbeResult, ServiceReport, VerifyEvent, VerifyOptions, VerifyReport } from './types.js';
export { engineAddress } from './engine.js';
export { leftovers } from './compose-run.js';

export async function verify(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const progress = (message: string) => options.onProgress?.({ type: 'phase', message });

  for (const [flag, v] of [['--timeout', options.timeout], ['--settle', options.settle]] as const) {
    if (typeof v === 'string' && !/^\d+(ms|s|m|h)?$/.test(v)) throw new StackgenError('E_INPUT', `${flag} ${v}: not a duration`, { hint: 'Give a number with a unit, e.g. 500ms, 10s, 2m.' });
  }
  // load, then the engine: without one nothing else can be checked (exit 75, try again later).
  const stack = loadStack(dir, options);
  const { root, spec } = stack;
  const docker = await connectEngine();

  // lint: static errors stop here.
  progress('lint');
  await lintStack(stack, options);

  const project = options.projectName ?? `stackgen-verify-${spec.name}-${randomBytes(3).toString('hex')}`.slice(0, 60);
  const address = engineAddress();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgen-verify-'));
  const envArgs = throwawayEnv(stack, work);
  const reports = serviceReports(stack);
  const report: VerifyReport = { ok: false, project, services: [...reports.values()], checks: [], skipped: [], durationMs: 0, kept: false, probeHost: address.probeHost, ...(envArgs.generated.length ? { generatedEnv: envArgs.generated } : {}) };
  const toStart = stack.active.map(([n]) => n).filter((n) => !stack.skip.has(n));
  const builtImages: string[] = [];
  let run: ComposeProject | undefined;
  const runFile = path.join(work, 'compose.verify.yaml');
  const fail = (failure: string) => {
    report.failure = failure;
    return finish(report, started);
  };

  try {
    // images: every base and service image present, pullable or mapped — named up front.
    progress('images');
    const plan = await planImages(docker, root, stack.compose, stack.active.filter(([n]) => !stack.skip.has(n)), stack.imageMap, work, options.signal);
    const images = new Map(plan.images);
    for (const [name, image] of plan.images) reports.get(name)!.image = image;

    // build: every app image with BuildKit, under a fresh tag.
    const caBundle = options.caBundle ?? spec.build.caBundle ?? undefined;
    const builds = await buildImages(docker, plan, {
      project,
      root,
      ...(caBundle ? { caBundle } : {}),
      options,
      onBuilt: (b) => {
        builtImages.push(b.tag);
        images.set(b.service, b.tag);
        Object.assign(reports.get(b.service)!, { image: b.tag, build: b.info });
      },
    });
    if (!builds.ok) {
      reports.get(builds.service)!.logsTail = builds.logTail;
      return fail(`build of ${builds.service} failed${builds.failingStep ? ` at: ${builds.failingStep}` : ''}`);
    }
    writeRunFile(stack.composeFile, runFile, images, address.bindIp);

    // up: under its own project name; compose waits for service_healthy dependencies.
    aborted(options.signal);
    progress('start');
    run = { cmd: await composeCommand(), project, root, envArgs: envArgs.args, file: runFile, profiles: stack.profiles };
    const timeoutMs = parseDuration(options.timeout ?? spec.verify.timeout, 180_000);
    const deadline = Date.now() + timeoutMs;
    const up = await upStack(run, toStart, timeoutMs, options.signal);

    // wait: every healthcheck, recording time to healthy.
    progress('wait healthy');
    const settleMs = parseDuration(options.settle ?? spec.verify.settle, 5_000);
    const roleOf = (name: string): VerifyRole => (reports.get(name)!.kind === 'app' ? (spec.services[name]?.role ?? 'web') : 'backing');
    const bad = await waitHealthy(docker, project, toStart, reports, deadline, { roleOf, settleMs, options });
    if (bad.length > 0) return fail(`not healthy within ${Math.round(timeoutMs / 1000)}s: ${bad.map((b) => (b.why ? `${b.name} (${b.why})` : b.name)).join(', ')}${up.exitCode !== 0 ? ` (compose up: ${up.lastLine})` : ''}`);

    // settle: healthy is not enough when the app cannot reach its database; its logs say so. Jobs
    // have finished by now; their logs were theirs to read while they ran.
    const apps = toStart.filter((n) => reports.get(n)!.kind === 'app' && roleOf(n) !== 'job');
    const backing = Object.keys(spec.backingServices).filter((n) => toStart.includes(n)).map((n) => ({ name: n, port: backingModel(spec, n, stack.imageMap).port }));
    if (apps.length > 0 && settleMs > 0) progress(`settle ${Math.round(settleMs / 1000)}s`);
    const unsettled = await settleAndReadLogs(docker, project, apps, backing, reports, settleMs, options.signal);
    if (unsettled.length > 0) {
      return fail(unsettled.map((n) => {
        const svc = reports.get(n)!;
        return svc.connectionError ? `${n} cannot reach a backing service: "${svc.connectionError}"` : `${n} exited within ${Math.round(settleMs / 1000)}s of turning healthy`;
      }).join('; '));
    }

    // probe: health paths, the spec's checks, observability.
    progress('probe');
    await probeStack(spec, reports, report, await publishedPorts(docker, project, address.bindIp), address.probeHost, deadline, options.signal);
    const failedProbes = [...report.services.flatMap((s) => s.probes), ...report.checks].filter((p) => !p.ok);
    if (failedProbes.length > 0) return fail(`probes failed: ${failedProbes.map((p) => `${p.name}${p.message ? ` (${p.message})` : ''}`).join('; ')}`);
    report.ok = true;
    return finish(report, started);
  } finally {
    if (options.keep && !options.signal?.aborted && run) {
      report.kept = true;
      // With the profiles it started: `down` leaves a profile's services running otherwise.
      report.stopCommand = `${[run.cmd.file, ...run.cmd.args, '-p', project, '--project-directory', root, ...run.envArgs, '-f', runFile, ...run.profiles.flatMap((p) => ['--profile', p])].join(' ')} down -v --remove-orphans`;
    } else {
      progress('teardown');
      await teardown(docker, project, root, stack.composeFile, run);
      if (!options.keepImages) for (const tag of builtImages) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

/**
 * A fresh checkout (CI) has no .env (it is git-ignored), so compose would start databases with
 * empty passwords: throwaway values for this run only, kept in verify's own folder.
 */
function throwawayEnv(stack: LoadedStack, work: string): { args: string[]; generated: string[] } {
  if (fs.existsSync(path.join(stack.root, '.env'))) return { args: [], generated: [] };
  const groups = envGroups({ spec: stack.spec, imageMap: stack.imageMap, rootDir: stack.root });
  if (groups.length === 0) return { args: [], generated: [] };
  const file = path.join(work, '.env');
  fs.writeFileSync(file, envLines(groups), { mode: 0o600 });
  return { args: ['--env-file', file], generated: groups.flatMap((g) => g.vars.filter((v) => v.secret).map((v) => v.name)) };
}

function finish(report: VerifyReport, started: number): VerifyReport {
  report.durationMs = Date.now() - started;
  report.skipped = report.services.filter((s) => s.health === 'skipped').map((s) => ({ name: s.name, reason: s.skippedReason ?? 'skipped' }));
  return report;
}
