import type { ForwardEffects, RedirectPort } from '../../../src/index.js';
import { decisionPort } from '../redirect-port.js';
import { qualify, serviceOfHost } from './hosts.js';

type HeaderOps = { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
export type IstioRedirect = {
  uri?: string;
  prefixRewrite?: string;
  authority?: string;
  redirectCode?: number;
  scheme?: 'http' | 'https';
  port?: number;
  derivePort?: 'FROM_REQUEST_PORT' | 'FROM_PROTOCOL_DEFAULT';
};
export type IstioEffectsFields = {
  headers?: { request?: HeaderOps; response?: HeaderOps };
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
  mirror?: { host: string; subset?: string };
  mirrorPercentage?: { value: number };
  fault?: {
    delay?: { fixedDelay: string; percentage?: { value: number } };
    abort?: { httpStatus: number; percentage?: { value: number } };
  };
};

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000_001 };

/** A protobuf/Go duration as istiod reads it (`1.5s`, `250ms`, `1m30s`), in milliseconds. */
export function istioDurationMs(text: string): number {
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/.exec(rest);
    if (!m) throw new Error(`not a duration: ${text}`);
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Istio's default retry policy when an http[] entry has no `retries` (Istio docs, HTTPRetry). */
const DEFAULT_RETRIES: NonNullable<IstioEffectsFields['retries']> = {
  attempts: 2,
  retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
};

/**
 * Timeout, retries, mirror, fault and header changes of an http[] entry, with Istio's defaults: no
 * retries field means 2 attempts on Istio's default conditions, a mirror without a percentage
 * mirrors everything, a fault without one faults nothing.
 */
export function istioEffects(h: IstioEffectsFields, vsNamespace: string): ForwardEffects {
  const r = h.retries ?? DEFAULT_RETRIES;
  const retries =
    r.attempts === 0
      ? { attempts: 0 }
      : {
          attempts: r.attempts,
          ...(r.perTryTimeout === undefined ? {} : { perTryTimeoutMs: istioDurationMs(r.perTryTimeout) }),
          on: (r.retryOn ?? '')
            .split(',')
            .filter((c) => c !== '')
            .sort(),
        };
  const f = h.fault;
  const fault = f && {
    ...(f.delay && { delay: { fixedMs: istioDurationMs(f.delay.fixedDelay), percent: f.delay.percentage?.value ?? 0 } }),
    ...(f.abort && { abort: { httpStatus: f.abort.httpStatus, percent: f.abort.percentage?.value ?? 0 } }),
  };
  const mirrored = h.mirror && serviceOfHost(qualify(h.mirror.host, vsNamespace));
  return {
    timeoutMs: h.timeout === undefined ? undefined : istioDurationMs(h.timeout),
    retries,
    headers: { request: h.headers?.request, response: h.headers?.response },
    ...(h.mirror && {
      mirror: { service: mirrored?.service ?? h.mirror.host, version: h.mirror.subset, percent: h.mirrorPercentage?.value ?? 100 },
    }),
    ...(fault && { fault }),
  };
}

/**
 * The Location's port as Envoy builds it from Istio's HTTPRedirect: `FROM_REQUEST_PORT` is the
 * listener's port, the request's; a port equal to the scheme's well-known one is not written at all.
 * With no port written, Envoy drops the port when the authority is replaced and otherwise keeps the
 * request's Host as it came, port included.
 */
export function istioLocationPort(r: IstioRedirect): RedirectPort {
  const written = r.port ?? (r.derivePort === 'FROM_REQUEST_PORT' ? 'request' : undefined);
  const port = written === undefined ? undefined : decisionPort(written, r.scheme);
  if (port !== undefined && port !== 'scheme-default') return port;
  return r.authority !== undefined ? 'scheme-default' : 'request';
}
