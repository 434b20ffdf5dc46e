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
const ATTEMPT_TARGET_LABELS = ['destination_namespace', 'destination_service', 'destination_version'] as const;
const ATTEMPT_LABELS = [...ATTEMPT_TARGET_LABELS, 'outcome'] as const;

/**
 * How one attempt (or mirror copy) to an upstream version ended: its status code, a transport failure, or a
 * request that had no instance of the version to go to (`no-healthy-upstream`, `circuit-breaker`).
 */
export type AttemptOutcomeLabel =
  number | 'connect-failure' | 'reset' | 'per-try-timeout' | 'aborted' | 'failed' | 'no-healthy-upstream' | 'circuit-breaker';

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
  readonly #attempts: Counter<(typeof ATTEMPT_LABELS)[number]>;
  readonly #attemptDuration: Histogram<(typeof ATTEMPT_TARGET_LABELS)[number]>;
  readonly #attemptChildren = new Map<string, Child>();
  readonly #attemptDurationChildren = new Map<string, Observer>();
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
    // Per attempt, as the caller saw it: what a version did, including the attempts it failed
    // by being down (refused, no instance left), which its own inbound side never sees.
    this.#attempts = new Counter({
      name: 'anymesh_upstream_attempts_total',
      help: 'Attempts sent to upstream instances (outbound), by the version of the instance and the outcome: the status code, connect-failure, reset, per-try-timeout, aborted, failed (a mirror copy without an answer); no-healthy-upstream and circuit-breaker for a request the version had no instance or slot for.',
      labelNames: ATTEMPT_LABELS,
      registers,
    });
    this.#attemptDuration = new Histogram({
      name: 'anymesh_upstream_attempt_duration_seconds',
      help: 'Time from an attempt sent to its response complete (or its failure), by the version of the upstream instance.',
      labelNames: ATTEMPT_TARGET_LABELS,
      buckets: DURATION_BUCKETS,
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

  /** One attempt to an instance of `namespace/service` `version` (or a request that could not make one: `seconds` undefined). */
  attempt(namespace: string, service: string, version: string, outcome: AttemptOutcomeLabel, seconds: number | undefined): void {
    const target = `${namespace}\u0000${service}\u0000${version}`;
    const key = `${target}\u0000${outcome}`;
    let counter = this.#attemptChildren.get(key);
    if (counter === undefined) {
      counter = this.#attempts.labels(namespace, service, version, String(outcome));
      this.#attemptChildren.set(key, counter);
    }
    counter.inc();
    if (seconds === undefined) return;
    let observer = this.#attemptDurationChildren.get(target);
    if (observer === undefined) {
      observer = this.#attemptDuration.labels(namespace, service, version);
      this.#attemptDurationChildren.set(target, observer);
    }
    observer.observe(seconds);
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
