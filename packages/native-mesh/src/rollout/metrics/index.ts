export { MetricsError, type MetricsErrorCode } from './errors.js';
export type { AnalysisWindow, MetricsProvider, MissingInstance, WindowSample } from './provider.js';
export { SidecarMetricsProvider, type SidecarProviderOptions } from './sidecar-provider.js';
export { histogramQuantile, isFailure, type Bucket } from './window-maths.js';
export { PrometheusMetricsProvider, parseAnswer, type PrometheusProviderOptions } from './prometheus-provider.js';
export { builtInQuery, fillTemplate, requestsQuery, SYNTHETIC_SOURCE, type QueryScope } from './promql.js';
export { metricsProviderFor } from './for-rollout.js';
