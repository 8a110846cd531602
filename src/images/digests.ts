/**
 * Digest pinning (`images.pinDigests`): every image reference a render writes gets the digest its
 * tag points at now, asked of the registry over the Distribution API (HEAD /v2/<repo>/manifests/<tag>,
 * accepting multi-platform indexes), so a tag that moves later cannot change what a build runs.
 * Anonymous bearer tokens (Docker Hub, GHCR, …) and basic credentials from ~/.docker/config.json
 * `auths` are used; registries on a loopback address are spoken to over plain http, as Docker does.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StackgenError } from '../errors.js';
import { normalizeRepository, splitReference } from './image-map.js';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface DigestOptions {
  /** Per-request bound; default 15 s. */
  timeoutMs?: number;
  /** Docker client config with `auths`; default $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  dockerConfig?: string;
}

/** Registry host, repository path and tag of a reference ("node:22" → registry-1.docker.io, library/node, 22). */
export function registryCoordinates(ref: string): { host: string; repository: string; tag: string } {
  const { repository, tag } = splitReference(ref);
  const full = normalizeRepository(repository);
  const slash = full.indexOf('/');
  const host = full.slice(0, slash);
  return { host: host === 'docker.io' ? 'registry-1.docker.io' : host, repository: full.slice(slash + 1), tag: tag ?? 'latest' };
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || /^127\./.test(name) || name === '[::1]';
}

function basicAuth(host: string, configFile: string | undefined): string | undefined {
  const file = configFile ?? path.join(process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker'), 'config.json');
  try {
    const auths = (JSON.parse(fs.readFileSync(file, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
    const keys = host === 'registry-1.docker.io' ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', host] : [host, `https://${host}`];
    for (const k of keys) if (auths[k]?.auth) return `Basic ${auths[k]!.auth}`;
  } catch {
    // No config or unreadable: anonymous.
  }
  return undefined;
}

/** A host's site: its last two labels (`registry-1.docker.io` and `auth.docker.io` are both docker.io). */
function siteOf(host: string): string {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return /^[\d.]+$/.test(name) ? name : name.split('.').slice(-2).join('.');
}

/**
 * Whether the registry's stored credentials may go to `url`: only over https (or to this machine's
 * loopback, where nothing crosses a network) and only to the registry's own site, so a token realm a
 * registry names elsewhere never sees them.
 */
export function mayReceiveCredentials(url: URL, registryHost: string): boolean {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.host))) return false;
  return url.host.toLowerCase() === registryHost.toLowerCase() || siteOf(url.host) === siteOf(registryHost);
}

/** `Bearer realm="…",service="…",scope="…"` → a token from the realm. */
async function bearerToken(challenge: string, host: string, repository: string, basic: string | undefined, timeoutMs: number): Promise<string> {
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  if (!params.realm) throw new Error(`unusable auth challenge: ${challenge}`);
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
  const withCredentials = basic !== undefined && mayReceiveCredentials(url, host);
  // A redirect could carry the credentials to another host: refused rather than followed.
  const res = await fetch(url, { headers: withCredentials ? { authorization: basic } : {}, redirect: withCredentials ? 'error' : 'follow', signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`token request to ${url.host} answered ${res.status}`);
  const body = (await res.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error(`token response from ${url.host} has no token`);
  return token;
}

/** The digest (`sha256:…`) the reference's tag points at in its registry now. */
export async function resolveDigest(ref: string, options: DigestOptions = {}): Promise<string> {
  const own = splitReference(ref).digest;
  if (own) return own;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const { host, repository, tag } = registryCoordinates(ref);
  const url = `${isLoopback(host) ? 'http' : 'https'}://${host}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
  const basic = mayReceiveCredentials(new URL(url), host) ? basicAuth(host, options.dockerConfig) : undefined;
  const ask = (method: 'HEAD' | 'GET', authorization?: string) =>
    fetch(url, { method, headers: { accept: ACCEPT, ...(authorization ? { authorization } : {}) }, redirect: authorization ? 'error' : 'follow', signal: AbortSignal.timeout(timeoutMs) });
  let authorization = basic;
  let res = await ask('HEAD', authorization);
  const challenge = res.headers.get('www-authenticate');
  if (res.status === 401 && challenge?.toLowerCase().startsWith('bearer')) {
    authorization = `Bearer ${await bearerToken(challenge, host, repository, basic, timeoutMs)}`;
    res = await ask('HEAD', authorization);
  }
  if (res.status === 404) throw new Error(`${host} has no ${repository}:${tag}`);
  if (!res.ok) throw new Error(`${host} answered ${res.status} for ${repository}:${tag}`);
  const digest = res.headers.get('docker-content-digest');
  if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
  // Some registries leave the header off HEAD responses: hash the manifest itself.
  const body = Buffer.from(await (await ask('GET', authorization)).arrayBuffer());
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

/** Digests for every reference (4 at a time); any failure fails the whole render, naming each reference. */
export async function resolveDigests(refs: readonly string[], options: DigestOptions = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const failed: string[] = [];
  const queue = [...new Set(refs)].sort();
  const worker = async () => {
    for (let ref = queue.shift(); ref !== undefined; ref = queue.shift()) {
      try {
        out[ref] = await resolveDigest(ref, options);
      } catch (err) {
        const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
        failed.push(`${ref}: ${(err as Error).message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  if (failed.length > 0) {
    throw new StackgenError('E_UNAVAILABLE', `images.pinDigests: ${failed.length} image digest(s) could not be resolved: ${failed.sort().join('; ')}`, {
      hint: 'Let this machine reach those registries (or point images.mirror / images.overrides at one it reaches), log in with `docker login` for private ones, or set images.pinDigests: false.',
    });
  }
  return out;
}
