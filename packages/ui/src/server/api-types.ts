import type { Capability, Diagnostic, FeatureName, SupportLevel } from '@anymesh/core';

/** The columns of the comparison view: the three translation targets and the bundled native mesh. */
export type MeshColumn = 'istio' | 'linkerd' | 'consul' | 'native';

/** Health as the dashboard colours it; `unknown` means no live data yet (no traffic, no registry). */
export type Health = 'healthy' | 'degraded' | 'failing' | 'unknown';

export interface InstanceView {
  readonly id: string;
  readonly version?: string;
  readonly address: string;
  /** Registered with the control plane and its sidecar's admin port answered the last scrape. */
  readonly up: boolean;
  readonly locality?: string;
}

export interface VersionView {
  readonly name: string;
  readonly instances: readonly InstanceView[];
  /** Share of the requests observed into this version over the window, in percent. */
  readonly observedPercent?: number;
}

export interface ServiceNodeView {
  /** `namespace/name` */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly versions: readonly VersionView[];
  readonly health: Health;
  /** Requests per second into this service, all callers. */
  readonly inboundRps: number;
  /** The weighted destinations of each TrafficRoute rule that routes to versions. */
  readonly splits: readonly SplitView[];
  /** Objects that apply to this service, as `Kind/namespace/name`. */
  readonly policies: readonly string[];
}

export interface SplitView {
  readonly rule: string;
  /** The rule's matches in words, `all requests` for a match-all rule. */
  readonly when: string;
  readonly weights: readonly { readonly version: string; readonly percent: number }[];
}

export interface ErrorCount {
  readonly code: string;
  readonly rps: number;
}

export interface EdgeStats {
  readonly rps: number;
  /** Percent of responses that are not 5xx; undefined with no requests. */
  readonly successPercent?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly errors: readonly ErrorCount[];
  /** Requests per second into each destination version. */
  readonly byVersion: Readonly<Record<string, number>>;
}

export interface EdgeView {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** `observed`: seen in the sidecars' metrics; `declared`: implied by policies or workload upstreams only. */
  readonly origin: 'observed' | 'declared';
  readonly stats?: EdgeStats;
  readonly health: Health;
}

export interface LiveStatus {
  readonly mode: 'live' | 'static';
  /** What went wrong on the last scrape, in words a user can act on. */
  readonly problem?: string;
  readonly lastScrapeAt?: string;
  readonly windowSeconds: number;
}

export interface Topology {
  readonly nodes: readonly ServiceNodeView[];
  readonly edges: readonly EdgeView[];
  readonly live: LiveStatus;
  readonly generatedAt: string;
}

export interface CapabilityRow {
  readonly feature: FeatureName;
  readonly description: string;
  readonly support: Readonly<Partial<Record<MeshColumn, Capability>>>;
}

export interface CapabilityMatrixView {
  readonly columns: readonly { readonly id: MeshColumn; readonly label: string }[];
  readonly rows: readonly CapabilityRow[];
  /** Columns whose data is not published by the build (e.g. an adapter not yet built), with why. */
  readonly missing: readonly { readonly id: MeshColumn; readonly reason: string }[];
}

export interface PolicyFile {
  readonly file: string;
  readonly text: string;
  /** True when the text was applied from the dashboard and differs from the file on disk. */
  readonly editedInDashboard: boolean;
}

export interface PoliciesView {
  readonly policyDir: string;
  readonly files: readonly PolicyFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
}

export interface TranslationView {
  readonly mesh: string;
  readonly displayName: string;
  readonly yaml: string;
  readonly manifestCount: number;
  readonly diagnostics: readonly Diagnostic[];
}

export interface PolicyGap {
  readonly kind: 'lost' | 'approximated';
  readonly feature?: FeatureName;
  readonly object?: string;
  readonly diagnostic: Diagnostic;
  /** The mesh's capability note for the feature, when the adapter publishes one. */
  readonly note?: string;
  readonly level?: SupportLevel;
}

export interface MeshGapReport {
  readonly mesh: string;
  readonly displayName: string;
  readonly gaps: readonly PolicyGap[];
  /** Set when the translation itself could not run. */
  readonly problem?: string;
}

export interface ApplyOutcome {
  readonly applied: boolean;
  readonly version?: number;
  readonly diagnostics: readonly Diagnostic[];
}
export type { TapView, TapQuery } from './tap/tap-sessions.js';

/** A failed request (4xx, 5xx or no response) a sidecar reported on its tap stream (`GET /tap` on its admin port). */
export interface FailedRequest {
  /** Increases with every failed request the dashboard files; a stable key for lists. */
  readonly seq: number;
  /** When the request started (ISO 8601). */
  readonly time: string;
  /** `inbound`: seen by the destination's sidecar; `outbound`: answered by the caller's sidecar itself. */
  readonly direction: 'inbound' | 'outbound';
  /** The calling service as sidecars name it (`unknown` for callers outside the mesh). */
  readonly source: string;
  readonly sourceVersion: string;
  readonly destination: string;
  readonly destinationVersion: string;
  readonly method: string;
  readonly path: string;
  /** HTTP status answered; 0 when no response was sent (connection failure). */
  readonly code: number;
  /** `x-anymesh-reason` when the mesh answered itself (circuit breaker, access denied, timeout…), else null. */
  readonly reason: string | null;
  readonly durationMs: number;
  readonly retries: number;
  /** The sidecar that reported it. */
  readonly sidecar: string;
}

export interface ErrorFeedStatus {
  /** `tap`: from the sidecars' live request streams; `metrics`: no stream (no native mesh), only the error rates of the edges. */
  readonly mode: 'tap' | 'metrics';
  /** Sidecars whose stream is open now, of those registered. */
  readonly tapping: number;
  readonly sidecars: number;
  /** Since when the dashboard has been collecting (ISO 8601). */
  readonly since?: string;
  /** Requests the sidecars dropped from the streams because the dashboard read too slowly. */
  readonly dropped: number;
  /** What is missing, in words a user can act on. */
  readonly problem?: string;
}

export interface RecentErrorsView {
  readonly feed: ErrorFeedStatus;
  /** Newest first. */
  readonly rows: readonly FailedRequest[];
}
