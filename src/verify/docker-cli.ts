/**
 * The Docker and Compose command-line clients, resolved explicitly: builds need the CLI (BuildKit
 * secrets need a session the raw API cannot provide), and compose runs as v2 when the client has
 * the plugin, else as v1 `docker-compose`.
 */
import fs from 'node:fs';
import { execa } from 'execa';
import { StackgenError } from '../errors.js';

let dockerPath: Promise<string> | undefined;
let compose: Promise<ComposeCommand> | undefined;

export interface ComposeCommand {
  file: string;
  args: string[];
  version: 1 | 2;
}

/** Debian's engine-matched client first (the 28.x client on PATH has no buildx plugin here), then PATH. */
export function dockerCli(): Promise<string> {
  dockerPath ??= (async () => {
    for (const candidate of ['/usr/bin/docker', 'docker']) {
      if (candidate.startsWith('/') && !fs.existsSync(candidate)) continue;
      const r = await execa(candidate, ['version', '--format', '{{.Client.Version}}'], { reject: false, timeout: 10_000 });
      if (r.exitCode === 0 || r.stdout) return candidate;
    }
    throw new StackgenError('E_UNAVAILABLE', 'no docker CLI found', { hint: 'Install Docker (e.g. `apt-get install docker.io`).' });
  })();
  return dockerPath;
}

export function composeCommand(): Promise<ComposeCommand> {
  compose ??= (async () => {
    const docker = await dockerCli();
    const v2 = await execa(docker, ['compose', 'version', '--short'], { reject: false, timeout: 10_000 });
    if (v2.exitCode === 0) return { file: docker, args: ['compose'], version: 2 as const };
    const v1 = await execa('docker-compose', ['version', '--short'], { reject: false, timeout: 10_000 }).catch(() => undefined);
    if (v1 && v1.exitCode === 0) return { file: 'docker-compose', args: [], version: 1 as const };
    throw new StackgenError('E_UNAVAILABLE', 'neither `docker compose` (v2) nor `docker-compose` (v1) is available', { hint: 'Install Compose (e.g. `apt-get install docker-compose`).' });
  })();
  return compose;
}
