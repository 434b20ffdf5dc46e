import { DEFAULTS, durationMs, type OutlierDetection } from '@anymesh/core';
import type { Endpoint } from './endpoint.js';

interface OutlierSettings {
  readonly consecutive5xx: number;
  readonly consecutiveGateway: number;
  readonly intervalMs: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionPercent: number;
}

/** What one attempt's outcome says about the endpoint's health. */
export type HealthOutcome = 'success' | 'error-5xx' | 'error-gateway';

export function healthOutcome(status: number | 'local-failure'): HealthOutcome {
  if (status === 'local-failure' || status === 502 || status === 503 || status === 504) return 'error-gateway';
  return status >= 500 ? 'error-5xx' : 'success';
}

/**
 * Passive health checking of one upstream group (Envoy's consecutive-5xx and consecutive-gateway
 * detectors). Ejection is immediate when a counter reaches its threshold, unless that would eject
 * more than `maxEjectionPercent` of the endpoints (at least one may always be ejected). An ejected
 * endpoint returns at the first interval tick after `baseEjectionTime × timesEjected`; each tick
 * in which a healthy endpoint is not ejected lowers its multiplier by one.
 */
export class OutlierDetector {
  #settings: OutlierSettings | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #endpoints: () => readonly Endpoint[];
  readonly #onChange: (endpoint: Endpoint, ejected: boolean) => void;

  constructor(endpoints: () => readonly Endpoint[], onChange: (endpoint: Endpoint, ejected: boolean) => void) {
    this.#endpoints = endpoints;
    this.#onChange = onChange;
  }

  configure(spec: OutlierDetection | undefined): void {
    const previous = this.#settings;
    this.#settings =
      spec === undefined
        ? undefined
        : {
            consecutive5xx: spec.consecutive5xx ?? DEFAULTS.outlierConsecutive5xx,
            consecutiveGateway: spec.consecutiveGatewayErrors ?? 0,
            intervalMs: durationMs(spec.interval ?? DEFAULTS.outlierInterval),
            baseEjectionMs: durationMs(spec.baseEjectionTime ?? DEFAULTS.outlierBaseEjectionTime),
            maxEjectionPercent: spec.maxEjectionPercent ?? DEFAULTS.outlierMaxEjectionPercent,
          };
    if (previous?.intervalMs !== this.#settings?.intervalMs) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      if (this.#settings) this.#timer = setInterval(() => this.tick(Date.now()), this.#settings.intervalMs).unref();
    }
    if (!this.#settings) for (const e of this.#endpoints()) if (e.ejected) this.#uneject(e);
  }

  get enabled(): boolean {
    return this.#settings !== undefined;
  }

  record(endpoint: Endpoint, outcome: HealthOutcome): void {
    const s = this.#settings;
    if (s === undefined) return;
    if (outcome === 'success') {
      endpoint.consecutive5xx = 0;
      endpoint.consecutiveGateway = 0;
      return;
    }
    endpoint.consecutive5xx++;
    endpoint.consecutiveGateway = outcome === 'error-gateway' ? endpoint.consecutiveGateway + 1 : 0;
    if (endpoint.ejected) return;
    const by5xx = s.consecutive5xx > 0 && endpoint.consecutive5xx >= s.consecutive5xx;
    const byGateway = s.consecutiveGateway > 0 && endpoint.consecutiveGateway >= s.consecutiveGateway;
    if ((by5xx || byGateway) && this.#mayEject()) this.#eject(endpoint, s);
  }

  /** Returns endpoints whose ejection expired; decays the multiplier of healthy ones. */
  tick(now: number): void {
    for (const e of this.#endpoints()) {
      if (e.ejected) {
        if (now >= e.ejectedUntil) this.#uneject(e);
      } else if (e.timesEjected > 0) e.timesEjected--;
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #mayEject(): boolean {
    const endpoints = this.#endpoints();
    let ejected = 0;
    for (const e of endpoints) if (e.ejected) ejected++;
    const allowed = Math.max(1, Math.floor((endpoints.length * this.#settings!.maxEjectionPercent) / 100));
    return ejected < allowed && ejected < endpoints.length;
  }

  #eject(endpoint: Endpoint, s: OutlierSettings): void {
    endpoint.timesEjected++;
    endpoint.ejectedUntil = Date.now() + s.baseEjectionMs * endpoint.timesEjected;
    endpoint.consecutive5xx = 0;
    endpoint.consecutiveGateway = 0;
    this.#onChange(endpoint, true);
  }

  #uneject(endpoint: Endpoint): void {
    endpoint.ejectedUntil = 0;
    this.#onChange(endpoint, false);
  }
}
