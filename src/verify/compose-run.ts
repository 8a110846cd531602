/**
 * The compose stages of verify: start the stack under its own project, wait for every healthcheck,
 * let it settle while reading app logs for connection errors, and tear it all down.
 */
import fs from 'node:fs';
import Dockerode from 'dockerode';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { connectionErrorLine, type BackingEndpoint } from './connection-errors.js';
import { failureText, judge, passed, type Judgement, type VerifyRole } from './roles.js';
import type { ComposeCommand } from './docker-cli.js';
import { aborted, containerLogs, ephemeralPort, PROJECT_LABEL, SERVICE_LABEL, sleep } from './engine.js';
import type { ComposeService, ServiceReport, VerifyOptions } from './types.js';

/** How verify addresses its compose project: every call passes the same flags. */
export interface ComposeProject {
  cmd: ComposeCommand;
  project: string;
  root: string;
  /** `--env-file` when verify generated throwaway secrets. */
  envArgs: string[];
  /** verify's own copy of compose.yaml (built images, ephemeral ports). */
  file: string;
  profiles: string[];
}

export function composeArgs(p: ComposeProject): string[] {
  return [...p.cmd.args, '-p', p.project, '--project-directory', p.root, ...p.envArgs, '-f', p.file, ...p.profiles.flatMap((x) => ['--profile', x])];
}

/**
 * verify's copy of compose.yaml: a full copy, not a -f override, since compose appends override
 * ports and fixed host ports collide with whatever else runs here (another verify, the user's dev
 * stack). Images are the ones verify built or mapped; ports go ephemeral on the probe interface.
 */
export function writeRunFile(composeFile: string, target: string, images: Map<string, string>, bindIp: string): void {
  const copy = parseYaml(fs.readFileSync(composeFile, 'utf8')) as { services?: Record<string, ComposeService & Record<string, unknown>> };
  for (const [name, svc] of Object.entries(copy.services ?? {})) {
    const image = images.get(name);
    if (image) svc.image = image;
    if (svc.ports) svc.ports = svc.ports.map((p) => ephemeralPort(p, bindIp));
  }
  fs.writeFileSync(target, stringifyYaml(copy));
}

/** `compose up -d` of the given services, bounded by the run's timeout; the result's last line explains a failure. */
export async function upStack(p: ComposeProject, services: string[], timeoutMs: number, signal?: AbortSignal): Promise<{ exitCode: number | undefined; lastLine: string }> {
  const r = await execa(p.cmd.file, [...composeArgs(p), 'up', '-d', '--no-build', ...services], { cwd: p.root, all: true, reject: false, cancelSignal: signal, timeout: timeoutMs, forceKillAfterDelay: 2000 });
  aborted(signal);
  return { exitCode: r.exitCode, lastLine: String(r.all ?? '').split('\n').filter(Boolean).at(-1) ?? '' };
}

const projectContainers = (docker: Docker, project: string, all = true) => docker.listContainers({ all, filters: { label: [`${PROJECT_LABEL}=${project}`] } });

/**
 * Poll every started service until it has passed for its role (`roles.ts`: healthy, or running
 * without a healthcheck; a worker up for the settle time without a restart; a job exited 0), or
 * has failed, or the deadline passes; records the time each took. Returns the services that did not
 * make it, each with why (a job's exit code, a worker's restarts) and their last healthcheck output
 * and logs in their reports.
 */
export async function waitHealthy(
  docker: Docker,
  project: string,
  services: string[],
  reports: Map<string, ServiceReport>,
  deadline: number,
  opts: { roleOf: (service: string) => VerifyRole; settleMs: number; options: VerifyOptions },
): Promise<Array<{ name: string; why?: string }>> {
  const startAt = Date.now();
  const upSince = new Map<string, number>();
  const verdicts = new Map<string, Judgement>();
  let allDone = false;
  while (!allDone) {
    aborted(opts.options.signal);
    const containers = await projectContainers(docker, project);
    allDone = true;
    for (const name of services) {
      if (verdicts.has(name)) continue;
      const svc = reports.get(name)!;
      const c = containers.find((x) => x.Labels[SERVICE_LABEL] === name);
      if (!c) {
        allDone = false;
        continue;
      }
      const info = await docker.getContainer(c.Id).inspect();
      const st = info.State;
      const j = judge(opts.roleOf(name), { running: st.Running, exitCode: st.ExitCode, restartCount: info.RestartCount ?? 0, ...(st.Health?.Status ? { health: st.Health.Status } : {}) }, Date.now(), opts.settleMs, upSince.get(name));
      if (j.state === 'pending') {
        svc.health = 'starting';
        if (j.upSince !== undefined) upSince.set(name, j.upSince);
        else upSince.delete(name);
        allDone = false;
        continue;
      }
      verdicts.set(name, j);
      if (j.state === 'healthy' || j.state === 'running' || j.state === 'completed') {
        svc.health = j.state;
        svc.healthyAfterMs = Date.now() - startAt;
        opts.options.onProgress?.({ type: 'healthy', service: name, afterMs: svc.healthyAfterMs, as: j.state });
      } else if (j.state === 'exited') {
        svc.health = 'exited';
        svc.exitCode = j.exitCode;
      } else if (j.state === 'restarted') {
        svc.health = 'exited';
        svc.restarts = j.restarts;
      } else svc.health = 'unhealthy';
    }
    if (!allDone && Date.now() > deadline) break;
    if (!allDone) await sleep(500, opts.options.signal);
  }
  const bad = services.filter((n) => !passed(verdicts.get(n) ?? { state: 'pending' }));
  if (bad.length === 0) return [];
  const containers = await projectContainers(docker, project);
  const timeoutS = Math.round((deadline - startAt) / 1000);
  const out: Array<{ name: string; why?: string }> = [];
  for (const name of bad) {
    const svc = reports.get(name)!;
    if (svc.health === 'starting') svc.health = 'unhealthy';
    // Each says how it failed: its exit code, its restarts, its healthcheck's last output; a service
    // still starting at the deadline keeps the plain form.
    const role = opts.roleOf(name);
    const verdict = verdicts.get(name) ?? { state: 'pending' as const };
    const c = containers.find((x) => x.Labels[SERVICE_LABEL] === name);
    const last = c ? (await docker.getContainer(c.Id).inspect()).State.Health?.Log?.at(-1) : undefined;
    if (last) svc.healthOutput = `exit ${last.ExitCode}: ${last.Output.trim()}`.slice(0, 2000);
    const why = role === 'job' || role === 'worker' || verdict.state !== 'pending' ? failureText(role, verdict, timeoutS) : undefined;
    const detail = verdict.state === 'unhealthy' && svc.healthOutput ? `${why}: ${svc.healthOutput.split('\n')[0]!.slice(0, 200)}` : why;
    out.push({ name, ...(detail ? { why: detail } : {}) });
    if (c) svc.logsTail = await containerLogs(docker, c.Id, 50);
  }
  return out;
}

/**
 * Let the healthy stack run for the settle time, then read every app's logs (from its start) for a
 * line showing it failing to reach a backing service, and check it is still running. Returns the
 * apps that failed, each report carrying the quoted line (or the exit) and its last logs.
 */
export async function settleAndReadLogs(docker: Docker, project: string, apps: string[], backing: BackingEndpoint[], reports: Map<string, ServiceReport>, settleMs: number, signal?: AbortSignal): Promise<string[]> {
  if (apps.length === 0) return [];
  await sleep(settleMs, signal);
  aborted(signal);
  const containers = await projectContainers(docker, project);
  const failed: string[] = [];
  for (const name of apps) {
    const c = containers.find((x) => x.Labels[SERVICE_LABEL] === name);
    if (!c) continue;
    const svc = reports.get(name)!;
    const logs = await containerLogs(docker, c.Id, 'all');
    const line = connectionErrorLine(logs.slice(-2000), backing);
    const state = (await docker.getContainer(c.Id).inspect()).State;
    if (!state.Running) svc.health = 'exited';
    if (line || !state.Running) {
      if (line) svc.connectionError = line;
      svc.logsTail = logs.slice(-50);
      failed.push(name);
    }
  }
  return failed;
}

/** compose down, then remove anything of the project that is left (containers, networks, volumes). */
export async function teardown(docker: Docker, project: string, root: string, composeFile: string, run: ComposeProject | undefined): Promise<void> {
  if (run) {
    const file = fs.existsSync(run.file) ? run.file : composeFile;
    await execa(run.cmd.file, [...run.cmd.args, '-p', project, '--project-directory', root, ...run.envArgs, '-f', file, '--profile', 'observability', '--profile', 'proxy', 'down', '-v', '--remove-orphans', '-t', '5'], { cwd: root, reject: false, timeout: 120_000 });
  }
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  const vols = await docker.listVolumes({ filters });
  for (const v of vols.Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

/** Anything the project left behind (for tests and the report). */
export async function leftovers(project: string, docker: Docker = new Dockerode()): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [c, n, v] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters }), docker.listVolumes({ filters })]);
  return { containers: c.length, networks: n.length, volumes: v.Volumes?.length ?? 0 };
}
