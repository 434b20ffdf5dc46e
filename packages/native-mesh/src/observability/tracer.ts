import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { formatTraceparent, parseTraceparent } from './trace-context.js';

export interface HopTracerOptions {
  /** The `service.name` resource attribute, e.g. `reviews`. */
  readonly serviceName: string;
  /** OTLP/HTTP traces endpoint, e.g. `http://127.0.0.1:4318/v1/traces`. */
  readonly endpoint: string;
  /** Percentage of new traces sampled (Mesh.spec.observability.tracing.sampling). */
  readonly samplingPercent: number;
}

/** One hop through a sidecar: the span, and the `traceparent` to send upstream. */
export interface Hop {
  readonly traceparent: string;
  readonly traceId: string;
  end(statusCode: number): void;
}

/**
 * Records one span per hop through a sidecar and exports spans over OTLP/HTTP with the
 * OpenTelemetry SDK. Sampling follows the caller's decision when there is one (parent-based) and
 * otherwise samples `samplingPercent` of new traces, so a trace is never half-recorded.
 */
export class HopTracer {
  readonly #provider: BasicTracerProvider;
  readonly #tracer: Tracer;

  constructor(options: HopTracerOptions) {
    this.#provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.samplingPercent / 100) }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.endpoint }), { scheduledDelayMillis: 500 })],
    });
    this.#tracer = this.#provider.getTracer('anymesh-sidecar');
  }

  /** Starts the span of a hop, child of the incoming `traceparent` when it is valid. */
  startHop(name: string, incoming: string | undefined, attributes: Record<string, string | number>, kind: 'client' | 'server'): Hop {
    const parent = parseTraceparent(incoming);
    const ctx = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: parent.traceId,
          spanId: parent.spanId,
          traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    const span: Span = this.#tracer.startSpan(name, { kind: kind === 'client' ? SpanKind.CLIENT : SpanKind.SERVER, attributes }, ctx);
    const sc = span.spanContext();
    const sampled = (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    return {
      traceId: sc.traceId,
      traceparent: formatTraceparent({ traceId: sc.traceId, spanId: sc.spanId, sampled }),
      end: (statusCode) => {
        span.setAttribute('http.response.status_code', statusCode);
        if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }

  /** Exports what is buffered. */
  flush(): Promise<void> {
    return this.#provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#provider.shutdown();
  }
}
