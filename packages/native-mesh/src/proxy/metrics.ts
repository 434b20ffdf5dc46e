import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Direction = 'inbound' | 'outbound';

const REQUEST_LABELS = [
  'direction',
  'source_service',
  'source_version',
  'destination_service',
  'destination_version',
  'response_code',
  'mtls',
] as const;
const DURATION_LABELS = ['direction', 'source_service', 'source_version', 'destination_service', 'destination_version'] as const;
const DESTINATION_LABELS = ['destination_service', 'destination_version'] as const;

/** Seconds; fine at the low end, where proxy overhead lives. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Child = { inc(value?: number): void };
type Observer = { observe(value: number): void };

/**
 * The sidecar's Prometheus metrics, in a registry of its own (several sidecars may share a
 * process). Labels are bounded: services, versions and status codes, never paths. Bound children
 * are cached so the request path does a map lookup, not a label hash.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<(typeof REQUEST_LABELS)[number]>;
  readonly #duration: Histogram<(typeof DURATION_LABELS)[number]>;
  readonly #retries: Counter<(typeof DESTINATION_LABELS)[number]>;
  readonly #breaker: Counter<(typeof DESTINATION_LABELS)[number] | 'limit'>;
  readonly #ejections: Counter<(typeof DESTINATION_LABELS)[number]>;
  readonly #budget: Counter<(typeof DESTINATION_LABELS)[number]>;
  readonly #mirrorDropped: Counter;
  readonly #connections: Gauge<(typeof DESTINATION_LABELS)[number]>;
  readonly #requestChildren = new Map<string, Child>();
  readonly #durationChildren = new Map<string, Observer>();
  readonly #outboundMtls: () => boolean;

  /** `outboundMtls`: whether the sidecar's calls to other sidecars use mTLS now (the `mtls` label of outbound requests). */
  constructor(outboundMtls: () => boolean = () => false) {
    this.#outboundMtls = outboundMtls;
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'anymesh_requests_total',
      help: 'Requests through the sidecar; mtls says whether the connection (inbound) or the sidecar (outbound) used mutual TLS.',
      labelNames: REQUEST_LABELS,
      registers,
    });
    this.#duration = new Histogram({
      name: 'anymesh_request_duration_seconds',
      help: 'Time from request received to response complete, as seen by the sidecar.',
      labelNames: DURATION_LABELS,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: 'anymesh_retries_total',
      help: 'Retries sent upstream.',
      labelNames: DESTINATION_LABELS,
      registers,
    });
    this.#breaker = new Counter({
      name: 'anymesh_circuit_breaker_rejections_total',
      help: 'Requests rejected by a circuit-breaker limit.',
      labelNames: [...DESTINATION_LABELS, 'limit'],
      registers,
    });
    this.#ejections = new Counter({
      name: 'anymesh_outlier_ejections_total',
      help: 'Instances ejected by outlier detection.',
      labelNames: DESTINATION_LABELS,
      registers,
    });
    this.#budget = new Counter({
      name: 'anymesh_retry_budget_exhausted_total',
      help: 'Retries not made because the retry budget was spent.',
      labelNames: DESTINATION_LABELS,
      registers,
    });
    this.#mirrorDropped = new Counter({
      name: 'anymesh_mirror_dropped_total',
      help: 'Mirror copies not sent because too many were in flight.',
      registers,
    });
    this.#connections = new Gauge({
      name: 'anymesh_upstream_active_connections',
      help: 'Open connections to upstream instances.',
      labelNames: DESTINATION_LABELS,
      registers,
    });
  }

  /** `mtls`: whether an inbound request came over mutual TLS; outbound requests are labelled by the sidecar's outbound mode. */
  request(
    direction: Direction,
    src: string,
    srcVersion: string,
    dst: string,
    dstVersion: string,
    code: number,
    seconds: number,
    mtls = false,
  ): void {
    const key = `${direction}\u0000${src}\u0000${srcVersion}\u0000${dst}\u0000${dstVersion}`;
    let observer = this.#durationChildren.get(key);
    if (observer === undefined) {
      observer = this.#duration.labels(direction, src, srcVersion, dst, dstVersion);
      this.#durationChildren.set(key, observer);
    }
    observer.observe(seconds);
    const tls = direction === 'outbound' ? this.#outboundMtls() : mtls;
    const codeKey = `${key}\u0000${code}\u0000${tls}`;
    let counter = this.#requestChildren.get(codeKey);
    if (counter === undefined) {
      counter = this.#requests.labels(direction, src, srcVersion, dst, dstVersion, String(code), String(tls));
      this.#requestChildren.set(codeKey, counter);
    }
    counter.inc();
  }

  retry(service: string, version: string): void {
    this.#retries.labels(service, version).inc();
  }

  breakerRejection(service: string, version: string, limit: string): void {
    this.#breaker.labels(service, version, limit).inc();
  }

  ejection(service: string, version: string): void {
    this.#ejections.labels(service, version).inc();
  }

  budgetExhausted(service: string, version: string): void {
    this.#budget.labels(service, version).inc();
  }

  mirrorDropped(): void {
    this.#mirrorDropped.inc();
  }

  connections(service: string, version: string, delta: number): void {
    this.#connections.labels(service, version).inc(delta);
  }
}
