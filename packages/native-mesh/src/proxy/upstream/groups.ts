import type { ConnectionOptions } from 'node:tls';
import type { GroupRegistry } from '../config/compile-config.js';
import type { ProxyMetrics } from '../metrics.js';
import type { ForwardHooks } from '../resilience/forward.js';
import { UpstreamGroup, type GroupEvents } from './group.js';

/**
 * The sidecar's upstream groups by `namespace/service/version`. Groups outlive config versions so
 * pools, ejections, breaker counts and retry budgets carry over; metrics hooks live here.
 */
export class UpstreamGroups implements GroupRegistry {
  readonly #groups = new Map<string, UpstreamGroup>();
  readonly #events: GroupEvents;
  readonly forwardHooks: ForwardHooks;

  /** `upstreamTls`: mTLS options for a new connection to a sidecar of that identity, or undefined for plaintext. */
  constructor(metrics: ProxyMetrics, upstreamTls?: (identity: string) => ConnectionOptions | undefined) {
    this.#events = {
      ...(upstreamTls ? { upstreamTls } : {}),
      onEjection: (group, _endpoint, ejected) => {
        if (ejected) metrics.ejection(group.service, group.versionLabel);
      },
      onConnectionCount: (group, delta) => metrics.connections(group.service, group.versionLabel, delta),
    };
    this.forwardHooks = {
      onAttempt: (group, endpoint, outcome, seconds) =>
        metrics.attempt(group.namespace, group.service, endpoint.version ?? group.versionLabel, outcome, seconds),
      onUnsent: (group, reason) => metrics.attempt(group.namespace, group.service, group.versionLabel, reason, undefined),
      onRetry: (group) => metrics.retry(group.service, group.versionLabel),
      onBreakerRejection: (group, limit) => metrics.breakerRejection(group.service, group.versionLabel, limit),
      onBudgetExhausted: (group) => metrics.budgetExhausted(group.service, group.versionLabel),
    };
  }

  group(namespace: string, service: string, version: string | undefined): UpstreamGroup {
    const key = `${namespace}/${service}/${version ?? '*'}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = new UpstreamGroup(namespace, service, version, this.#events);
      this.#groups.set(key, group);
    }
    return group;
  }

  get(key: string): UpstreamGroup | undefined {
    return this.#groups.get(key);
  }

  close(): void {
    for (const group of this.#groups.values()) group.close();
  }
}
