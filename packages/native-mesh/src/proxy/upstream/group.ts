import { durationMs, type ConsistentHash, type TrafficPolicy } from '@anymesh/core';
import type { ConnectionOptions } from 'node:tls';
import type { InstanceInfo } from '../../protocol/types.js';
import { RetryBudget } from '../resilience/budget.js';
import { Balancer, type Algorithm } from './balancer.js';
import { CircuitBreaker } from './breaker.js';
import { Endpoint } from './endpoint.js';
import { priorityLevels } from './failover.js';
import { OutlierDetector } from './outlier.js';

/** Connect timeout when the TrafficPolicy sets none (native mesh default, like Linkerd). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
/** Idle keep-alive timeout of upstream connections when the TrafficPolicy sets none. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export interface GroupEvents {
  onEjection(group: UpstreamGroup, endpoint: Endpoint, ejected: boolean): void;
  onConnectionCount(group: UpstreamGroup, delta: 1 | -1): void;
  /** mTLS options for a new connection to a sidecar with this identity; undefined: plaintext. */
  upstreamTls?(identity: string): ConnectionOptions | undefined;
}

interface Level {
  readonly endpoints: Endpoint[];
  readonly balancer: Balancer;
  usable: Endpoint[];
}

/**
 * The instances a destination (service, optional version) resolves to, seen from one caller
 * sidecar, with the state that must outlive config versions: keep-alive pools, in-flight counts,
 * outlier ejections, circuit-breaker counters and the retry budget. Config updates reconfigure a
 * group in place; requests in flight keep using it.
 */
export class UpstreamGroup {
  readonly key: string;
  readonly namespace: string;
  readonly service: string;
  readonly version: string | undefined;
  /** `version` or `*`: the metric label value for the group. */
  readonly versionLabel: string;
  readonly breaker = new CircuitBreaker();
  readonly budget = new RetryBudget();
  readonly outlier: OutlierDetector;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #events: GroupEvents;
  #list: Endpoint[] = [];
  #levels: Level[] = [];
  #algorithm: Algorithm = 'round-robin';
  #hash: ConsistentHash | undefined;
  #connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  #maxRequestsPerConnection = Infinity;
  #connections = 0;
  #stale = true;

  constructor(namespace: string, service: string, version: string | undefined, events: GroupEvents) {
    this.key = `${namespace}/${service}/${version ?? '*'}`;
    this.namespace = namespace;
    this.service = service;
    this.version = version;
    this.versionLabel = version ?? '*';
    this.#events = events;
    this.outlier = new OutlierDetector(
      () => this.#list,
      (endpoint, ejected) => {
        this.#stale = true;
        events.onEjection(this, endpoint, ejected);
      },
    );
  }

  /** Applies a config version: the policy in force and the live instances of this destination. */
  configure(policy: TrafficPolicy | undefined, instances: readonly InstanceInfo[], caller: InstanceInfo): void {
    const spec = policy?.spec;
    this.#connectTimeoutMs = spec?.connectTimeout ? durationMs(spec.connectTimeout) : DEFAULT_CONNECT_TIMEOUT_MS;
    this.#maxRequestsPerConnection = spec?.circuitBreaker?.maxRequestsPerConnection ?? Infinity;
    this.#algorithm = spec?.loadBalancer?.algorithm ?? 'round-robin';
    this.#hash = spec?.loadBalancer?.consistentHash;
    this.breaker.configure(spec?.circuitBreaker);
    this.budget.configure(spec?.retryBudget);
    this.outlier.configure(spec?.outlierDetection);
    const idleTimeoutMs = spec?.idleTimeout ? durationMs(spec.idleTimeout) : DEFAULT_IDLE_TIMEOUT_MS;
    const seen = new Set<string>();
    for (const info of instances) {
      seen.add(info.id);
      const existing = this.#endpoints.get(info.id);
      if (existing && existing.host === info.host && existing.port === info.inboundPort) existing.update(info);
      else {
        existing?.retire();
        this.#endpoints.set(info.id, this.#newEndpoint(info, idleTimeoutMs));
      }
    }
    for (const [id, endpoint] of this.#endpoints) {
      if (!seen.has(id)) {
        endpoint.retire();
        this.#endpoints.delete(id);
      }
    }
    this.#list = [...this.#endpoints.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.#levels = priorityLevels(this.#list, spec?.failover, caller.locality).map((endpoints) => ({
      endpoints,
      balancer: new Balancer(this.#algorithm, endpoints),
      usable: endpoints,
    }));
    this.#stale = true;
  }

  get hashPolicy(): ConsistentHash | undefined {
    return this.#algorithm === 'consistent-hash' ? this.#hash : undefined;
  }

  get endpoints(): readonly Endpoint[] {
    return this.#list;
  }

  get connections(): number {
    return this.#connections;
  }

  /** An endpoint of the first priority level with a usable one, or undefined (no healthy upstream). */
  pick(hashKey: string | undefined, exclude?: Endpoint): Endpoint | undefined {
    if (this.#stale) this.#refreshUsable();
    for (const level of this.#levels) {
      if (level.usable.length === 0) continue;
      // A retry prefers another endpoint (Envoy's retry host predicate "previous hosts").
      if (exclude !== undefined && level.usable.length > 1 && level.usable.includes(exclude)) {
        const others = level.usable.filter((e) => e !== exclude);
        return level.balancer.pick(others, hashKey);
      }
      return level.balancer.pick(level.usable, hashKey);
    }
    return undefined;
  }

  close(): void {
    this.outlier.close();
    for (const endpoint of this.#endpoints.values()) endpoint.retire();
  }

  #refreshUsable(): void {
    for (const level of this.#levels) level.usable = level.endpoints.filter((e) => !e.ejected);
    this.#stale = false;
  }

  #newEndpoint(info: InstanceInfo, idleTimeoutMs: number): Endpoint {
    return new Endpoint(info, {
      connectTimeoutMs: () => this.#connectTimeoutMs,
      idleTimeoutMs,
      onConnectionCount: (delta) => {
        this.#connections += delta;
        this.#events.onConnectionCount(this, delta);
      },
      // Close a released connection past max requests per connection, or when idle connections
      // would keep the group above its connection limit.
      mayKeep: (served) => served < this.#maxRequestsPerConnection && this.#connections <= this.breaker.maxConnections,
      tls: (identity) => this.#events.upstreamTls?.(identity),
    });
  }
}
