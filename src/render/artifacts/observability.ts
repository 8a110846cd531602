/**
 * Observability: Prometheus config + alert rules, Grafana datasource/dashboard provisioning and one
 * dashboard for the stack. Paths match the compose template's mounts
 * (`./observability/prometheus` → /etc/prometheus, `./observability/grafana/…`).
 */
import type { Artifact, OutputFile, RenderInput } from '../artifact.js';
import type { Spec } from '../../spec/types.generated.js';

/** The provisioned datasource's uid; every dashboard panel refers to it. */
export const DATASOURCE_UID = 'stackgen-prometheus';

interface MetricNames {
  client: string;
  requests: string;
  buckets: string;
  statusLabel: string;
}

/** Request metrics as each ecosystem's standard client names them. */
const METRICS: Record<string, MetricNames> = {
  node: { client: 'prom-client conventions (express-prom-bundle names the label status_code)', requests: 'http_requests_total', buckets: 'http_request_duration_seconds_bucket', statusLabel: 'status' },
  python: { client: 'prometheus_client (prometheus-fastapi-instrumentator names)', requests: 'http_requests_total', buckets: 'http_request_duration_seconds_bucket', statusLabel: 'status' },
  java: { client: 'Micrometer (Spring Boot Actuator)', requests: 'http_server_requests_seconds_count', buckets: 'http_server_requests_seconds_bucket', statusLabel: 'status' },
  go: { client: 'client_golang promhttp instrumentation', requests: 'http_requests_total', buckets: 'http_request_duration_seconds_bucket', statusLabel: 'code' },
  dotnet: { client: 'prometheus-net.AspNetCore', requests: 'http_requests_received_total', buckets: 'http_request_duration_seconds_bucket', statusLabel: 'code' },
  ruby: { client: 'prometheus-client-mmap / yabeda-rails', requests: 'http_server_requests_total', buckets: 'http_server_request_duration_seconds_bucket', statusLabel: 'code' },
};

function metricsFor(language: string): MetricNames {
  if (language === 'kotlin' || language === 'scala' || language === 'clojure') return METRICS.java!;
  if (language === 'bun' || language === 'deno') return METRICS.node!;
  return METRICS[language] ?? METRICS.node!;
}

export interface ScrapeJob extends MetricNames {
  name: string;
  path: string;
  target: string;
  language: string;
}

export function scrapeJobs(spec: Spec): ScrapeJob[] {
  return Object.entries(spec.services)
    .filter(([, s]) => s.metrics && (s.metrics.port ?? s.port))
    .map(([name, s]) => ({ name, path: s.metrics!.path, target: `${name}:${s.metrics!.port ?? s.port}`, language: s.language, ...metricsFor(s.language) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

type Panel = Record<string, unknown>;

/** One dashboard: a stat of up/down per service, then request rate, error rate and latency quantiles. */
export function stackDashboard(spec: Spec, jobs: ScrapeJob[]): Record<string, unknown> {
  const ds = { type: 'prometheus', uid: DATASOURCE_UID };
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  panels.push({
    id: id++, type: 'stat', title: 'Up', datasource: ds, gridPos: { h: 4, w: 24, x: 0, y },
    targets: [{ refId: 'A', datasource: ds, expr: 'up', legendFormat: '{{job}}' }],
    fieldConfig: { defaults: { mappings: [{ type: 'value', options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } }], thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 1 }] } }, overrides: [] },
    options: { colorMode: 'background', graphMode: 'none', reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
  });
  y += 4;
  for (const job of jobs) {
    const sel = `job="${job.name}"`;
    const ts = (title: string, x: number, unit: string, targets: Array<{ expr: string; legendFormat: string }>): Panel => ({
      id: id++, type: 'timeseries', title: `${job.name}: ${title}`, datasource: ds, gridPos: { h: 8, w: 8, x, y },
      targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: ds, ...t })),
      fieldConfig: { defaults: { unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
    });
    panels.push(ts('request rate', 0, 'reqps', [{ expr: `sum(rate(${job.requests}{${sel}}[5m]))`, legendFormat: 'requests/s' }]));
    panels.push(ts('error rate (5xx)', 8, 'percentunit', [{ expr: `sum(rate(${job.requests}{${sel},${job.statusLabel}=~"5.."}[5m])) / clamp_min(sum(rate(${job.requests}{${sel}}[5m])), 1e-9)`, legendFormat: '5xx ratio' }]));
    panels.push(
      ts('latency', 16, 's', [0.5, 0.95, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le) (rate(${job.buckets}{${sel}}[5m])))`, legendFormat: `p${Math.round(q * 100)}` }))),
    );
    y += 8;
  }
  return {
    uid: `stackgen-${spec.name}`.slice(0, 40),
    title: `${spec.name} stack`,
    tags: ['stackgen'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}

export const observabilityArtifact: Artifact = {
  name: 'observability',
  files(input: RenderInput, engine): OutputFile[] {
    const { spec } = input;
    const out: OutputFile[] = [];
    const jobs = scrapeJobs(spec);
    if (spec.observability.prometheus) {
      const ctx = { scrapeInterval: spec.observability.scrapeInterval, jobs };
      out.push({ path: 'observability/prometheus/prometheus.yml', content: engine.render('observability/prometheus/prometheus.yml.njk', ctx) });
      out.push({ path: 'observability/prometheus/alerts.yml', content: engine.render('observability/prometheus/alerts.yml.njk', ctx) });
    }
    if (spec.observability.grafana) {
      out.push({ path: 'observability/grafana/provisioning/datasources/prometheus.yml', content: engine.render('observability/grafana/provisioning/datasources/prometheus.yml.njk', { datasourceUid: DATASOURCE_UID }) });
      out.push({ path: 'observability/grafana/provisioning/dashboards/stackgen.yml', content: engine.render('observability/grafana/provisioning/dashboards/stackgen.yml.njk', { project: spec.name }) });
      out.push({ path: 'observability/grafana/dashboards/stack.json', content: `${JSON.stringify(stackDashboard(spec, jobs), null, 2)}\n` });
    }
    return out;
  },
};
