import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledConfig } from '../config/compile-config.js';
import type { ProxyMetrics } from '../metrics.js';
import type { TapHub } from '../tap/tap-hub.js';

export interface AdminDeps {
  readonly metrics: ProxyMetrics;
  readonly config: () => CompiledConfig | undefined;
  readonly instanceId: string;
  readonly tap?: TapHub;
}

/** What `/config` answers: the version in force and a summary of what it routes. */
export function configSummary(config: CompiledConfig | undefined, instanceId: string) {
  return {
    instance: instanceId,
    version: config?.version ?? 0,
    policies: config?.policyCount ?? 0,
    instances: config?.instanceCount ?? 0,
    services: [...(config?.services.values() ?? [])].map((s) => ({
      service: `${s.namespace}/${s.name}`,
      rules: s.table.map((e) => e.rule.name),
      destinations: [...new Set([...s.table.map((e) => e.rule), s.fallback].flatMap((r) => r.groups.map((g) => g.key)))],
    })),
  };
}

/**
 * The admin port: `/metrics` (Prometheus text from the sidecar's own registry; `?name=<metric>`,
 * repeatable: only those metric families, as rollout analysis asks), `/healthz`
 * (the process serves), `/ready` (a config is in force; `?version=N`: version N or later), `/config` (JSON summary), `/tap` (live requests as NDJSON, filtered by
 * `path` prefix, `method`, `direction`).
 */
export function adminHandler(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    switch (path) {
      case '/tap':
        if (deps.tap === undefined) break;
        deps.tap.serve(req, res, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)));
        return;
      case '/metrics':
        metricsText(deps.metrics, new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).getAll('name')).then(
          (text) => {
            res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
            res.end(text);
          },
          (error: Error) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(error.message);
          },
        );
        return;
      case '/healthz':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok\n');
        return;
      case '/ready': {
        // `?version=N`: ready only with config version N or later in force (the runner asks for the
        // version that lists every instance, so the first request after `up` finds its endpoints).
        const wanted = Number(new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('version') ?? 0);
        const version = deps.config()?.version;
        const ready = version !== undefined && (!Number.isFinite(wanted) || version >= wanted);
        res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
        res.end(ready ? 'ready\n' : version === undefined ? 'no config yet\n' : `config version ${version}, waiting for ${wanted}\n`);
        return;
      }
      case '/config':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(configSummary(deps.config(), deps.instanceId)));
        return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  };
}

/** The registry's text, or only the named metric families (names the registry does not have are skipped). */
function metricsText(metrics: ProxyMetrics, names: readonly string[]): Promise<string> {
  if (names.length === 0) return metrics.registry.metrics();
  const known = names.filter((name) => metrics.registry.getSingleMetric(name) !== undefined);
  return Promise.all(known.map((name) => metrics.registry.getSingleMetricAsString(name))).then((texts) =>
    texts.map((t) => `${t}\n`).join(''),
  );
}
