/**
 * The probe stage of verify: each app's health path and the spec's checks over its published port,
 * then Prometheus' targets and Grafana's health when they run.
 */
import type Docker from 'dockerode';
import type { Spec } from '../spec/types.generated.js';
import { PROJECT_LABEL, SERVICE_LABEL, sleep } from './engine.js';
import type { ProbeResult, ServiceReport, VerifyReport } from './types.js';

/** The host port a service's container port is published on, at the interface probes reach. */
export type HostPortOf = (service: string, port: number) => number | undefined;

export async function publishedPorts(docker: Docker, project: string, bindIp: string): Promise<HostPortOf> {
  const containers = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  return (service, port) => {
    const c = containers.find((x) => x.Labels[SERVICE_LABEL] === service);
    return c?.Ports.find((p) => p.PrivatePort === port && p.PublicPort && (p.IP === bindIp || p.IP === '0.0.0.0'))?.PublicPort;
  };
}

/** The port a service listens on inside its container (static sites: the web server's 8080). */
export const containerPort = (s: Spec['services'][string]) => (s.role === 'static' ? 8080 : s.port);

/** Probe every app's health path and every check of the spec; observability last. Results land in the report. */
export async function probeStack(spec: Spec, reports: Map<string, ServiceReport>, report: VerifyReport, hostPort: HostPortOf, probeHost: string, deadline: number, signal?: AbortSignal): Promise<void> {
  for (const [name, s] of Object.entries(spec.services)) {
    const svc = reports.get(name);
    if (!svc || svc.health === 'skipped' || s.role === 'worker' || s.role === 'job') continue;
    const port = containerPort(s);
    const hp = port ? hostPort(name, port) : undefined;
    const healthPath = s.healthcheck.path ?? (s.role === 'static' ? '/healthz' : null);
    if (!healthPath) continue;
    if (!hp) {
      svc.probes.push({ name: `${name} ${healthPath}`, url: '', ok: true, message: 'not published on the host; its container healthcheck covered it' });
      continue;
    }
    svc.probes.push(await probe(`${name} ${healthPath}`, `http://${probeHost}:${hp}${healthPath}`, { status: undefined }));
  }
  for (const check of spec.verify.checks) {
    const s = spec.services[check.service];
    const port = s ? containerPort(s) : null;
    const hp = port ? hostPort(check.service, port) : undefined;
    report.checks.push(
      hp
        ? await probe(`${check.method} ${check.service} ${check.path}`, `http://${probeHost}:${hp}${check.path}`, { status: check.status, bodyIncludes: check.bodyIncludes ?? undefined, method: check.method })
        : { name: `${check.service} ${check.path}`, url: '', ok: false, message: `${check.service} publishes no port` },
    );
  }
  const prom = reports.get('prometheus');
  if (prom && prom.health === 'healthy') prom.probes.push(await prometheusTargets(probeHost, hostPort('prometheus', 9090), Math.max(deadline, Date.now() + 30_000), signal));
  const graf = reports.get('grafana');
  if (graf && graf.health === 'healthy') {
    const hp = hostPort('grafana', 3000);
    if (hp) graf.probes.push(await probe('grafana /api/health', `http://${probeHost}:${hp}/api/health`, {}));
  }
}

type ProbeWant = { status?: number | undefined; bodyIncludes?: string | undefined; method?: string };

/** One HTTP request judged against what the probe wants (2xx unless a status is given; a body substring). */
export async function fetchOnce(url: string, want: ProbeWant = {}, timeoutMs = 5000): Promise<ProbeResult> {
  try {
    const res = await fetch(url, { method: want.method ?? 'GET', signal: AbortSignal.timeout(timeoutMs) });
    const body = await res.text();
    const statusOk = want.status === undefined ? res.ok : res.status === want.status;
    const bodyOk = !want.bodyIncludes || body.includes(want.bodyIncludes);
    return { name: url, url, ok: statusOk && bodyOk, status: res.status, ...(statusOk && bodyOk ? {} : { message: !statusOk ? `status ${res.status}, expected ${want.status ?? '2xx'}` : `body does not include ${JSON.stringify(want.bodyIncludes)}` }) };
  } catch (err) {
    return { name: url, url, ok: false, message: (err as Error).message };
  }
}

/** One HTTP probe with a few quick retries: a just-healthy service may still be warming up its published port. */
export async function probe(name: string, url: string, want: ProbeWant, signal?: AbortSignal): Promise<ProbeResult> {
  let last: ProbeResult = { name, url, ok: false, message: 'no answer' };
  for (let i = 0; i < 5 && !signal?.aborted; i++) {
    last = { ...(await fetchOnce(url, want)), name };
    if (last.ok) return last;
    await sleep(1000, signal);
  }
  return last;
}

async function prometheusTargets(host: string, hostPort: number | undefined, deadline: number, signal?: AbortSignal): Promise<ProbeResult> {
  if (!hostPort) return { name: 'prometheus targets up', url: '', ok: false, message: 'prometheus publishes no port' };
  const url = `http://${host}:${hostPort}/api/v1/targets`;
  let message = 'no answer';
  while (Date.now() < deadline && !signal?.aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { data?: { activeTargets?: Array<{ health: string; labels: Record<string, string>; lastError?: string }> } };
      const targets = body.data?.activeTargets ?? [];
      const down = targets.filter((t) => t.health !== 'up');
      if (targets.length > 0 && down.length === 0) return { name: `prometheus targets up (${targets.map((t) => t.labels.job).join(', ')})`, url, ok: true, status: res.status };
      message = targets.length === 0 ? 'no targets yet' : `down: ${down.map((t) => `${t.labels.job} (${t.health}${t.lastError ? `: ${t.lastError}` : ''})`).join(', ')}`;
    } catch (err) {
      message = (err as Error).message;
    }
    await sleep(1000, signal);
  }
  return { name: 'prometheus targets up', url, ok: false, message };
}
