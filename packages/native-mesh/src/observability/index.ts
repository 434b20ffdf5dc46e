export { parseTraceparent, formatTraceparent, newTraceId, newSpanId, type TraceContext } from './trace-context.js';
export { HopTracer, type Hop, type HopTracerOptions } from './tracer.js';
