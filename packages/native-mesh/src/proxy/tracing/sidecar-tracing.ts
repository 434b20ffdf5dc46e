import type { MeshSettings } from '@anymesh/core';
import { HopTracer } from '../../observability/tracer.js';

/**
 * The sidecar's tracer, following the config: spans are exported over OTLP/HTTP to the endpoint
 * given to the sidecar (a flag) or else `Mesh.spec.observability.tracing.endpoint`, sampling
 * `tracing.sampling` percent of new traces. No endpoint: no tracer, and no per-request work
 * beyond passing `traceparent` through untouched.
 */
export class SidecarTracing {
  readonly #serviceName: string;
  readonly #endpointOverride: string | undefined;
  #tracer: HopTracer | undefined;
  #key = '';

  constructor(serviceName: string, endpointOverride: string | undefined) {
    this.#serviceName = serviceName;
    this.#endpointOverride = endpointOverride;
  }

  get tracer(): HopTracer | undefined {
    return this.#tracer;
  }

  /** Applies a snapshot's settings; a changed endpoint or rate replaces the tracer (the old one flushes what it holds). */
  configure(mesh: MeshSettings): void {
    const endpoint = this.#endpointOverride ?? mesh.tracingEndpoint;
    const key = endpoint === undefined ? '' : `${endpoint} ${mesh.tracingSampling}`;
    if (key === this.#key) return;
    const previous = this.#tracer;
    this.#key = key;
    this.#tracer =
      endpoint === undefined
        ? undefined
        : new HopTracer({ serviceName: this.#serviceName, endpoint, samplingPercent: mesh.tracingSampling });
    // Export failures are the collector's problem, never the request path's.
    previous?.shutdown().catch(() => undefined);
  }

  /** Exports what is buffered and stops. */
  async close(): Promise<void> {
    const tracer = this.#tracer;
    this.#tracer = undefined;
    await tracer?.shutdown().catch(() => undefined);
  }
}
