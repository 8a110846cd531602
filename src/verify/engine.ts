/**
 * The engine side of verify, shared by every stage: reaching the engine, where its published ports
 * are, images, container logs, and the small timing helpers every wait loop uses.
 */
import Docker from 'dockerode';
import { execa } from 'execa';
import { StackgenError } from '../errors.js';
import { dockerCli } from './docker-cli.js';
import { demuxDockerStream } from './docker-stream.js';
import type { ComposePort } from './types.js';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

/** The engine, answering; without one nothing else can be checked (exit 75, try again later). */
export async function connectEngine(): Promise<Docker> {
  const docker = new Docker();
  try {
    await Promise.race([docker.ping(), sleep(8000).then(() => Promise.reject(new Error('no answer in 8s')))]);
  } catch (cause) {
    throw new StackgenError('E_UNAVAILABLE', `Docker is not reachable (${process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock'})`, {
      hint: 'Start it: `sudo systemctl start docker`, or `sudo dockerd &`, or in this repository `bash scripts/ensure-docker.sh`; then re-run.',
      cause,
    });
  }
  return docker;
}

/**
 * Where published ports can be reached. A local engine (unix socket, npipe, tcp://localhost): on
 * 127.0.0.1, never on the LAN. A remote engine (DOCKER_HOST=tcp://docker:2376 — GitLab's dind
 * service — or ssh://user@host): ports are published on its interfaces and probed at its host name.
 */
export function engineAddress(dockerHost: string | undefined = process.env.DOCKER_HOST): { bindIp: string; probeHost: string } {
  const host = /^(?:tcp|ssh|https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(dockerHost ?? '')?.[1];
  if (!host || host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return { bindIp: '127.0.0.1', probeHost: '127.0.0.1' };
  return { bindIp: '0.0.0.0', probeHost: host };
}

/** "127.0.0.1:8000:8000" → "<bind>::8000": same container port, a free host port, on the interface probes reach. */
export function ephemeralPort(p: ComposePort, bindIp: string): ComposePort {
  if (typeof p !== 'string') {
    const { published: _published, ...rest } = p;
    return { ...rest, host_ip: bindIp };
  }
  const parts = p.split(':');
  return `${bindIp}::${parts[parts.length - 1]!}`;
}

export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch {
    return false;
  }
}

/** One pull attempt, bounded: an unreachable registry must fail fast, not hang verify. */
export async function tryPull(ref: string, signal?: AbortSignal): Promise<boolean> {
  const r = await execa(await dockerCli(), ['pull', '--quiet', ref], { reject: false, timeout: 30_000, cancelSignal: signal });
  return r.exitCode === 0;
}

/** A container's last log lines (stdout and stderr); `lines` 'all' for everything it printed. */
export async function containerLogs(docker: Docker, id: string, lines: number | 'all'): Promise<string[]> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, ...(lines === 'all' ? {} : { tail: lines }) })) as unknown as Buffer;
  const all = demuxDockerStream(buf).split('\n').filter((l) => l !== '');
  return lines === 'all' ? all : all.slice(-lines);
}

export function parseDuration(v: string | number | undefined, fallbackMs: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(v ?? '');
  if (!m) return fallbackMs;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
}

export function aborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StackgenError('E_INTERRUPTED', 'verify interrupted');
}

/** A wait that an abort ends early (the caller then checks `aborted`). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
