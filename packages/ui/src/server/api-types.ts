import type {
  Capability,
  Diagnostic,
  FeatureName,
  MetricName,
  RolloutEvent,
  RolloutStatus,
  RolloutStrategyKind,
  SupportLevel,
  TrafficPlan,
} from '@anymesh/core';

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

/** A canary step as the wizard edits it: the weight, and what happens after its analysis passed. */
export interface DraftStep {
  /** A number, or the text the user typed (validation reports what is wrong with it, like the CLI). */
  readonly weight: number | string;
  /** `none`: go on; `timed`: wait `duration`; `manual`: wait for promote. */
  readonly pause: 'none' | 'timed' | 'manual';
  readonly duration: string;
}

/** An A/B cohort condition: a header value or a cookie. */
export interface DraftCohort {
  readonly kind: 'header' | 'cookie';
  readonly name: string;
  readonly value: string;
}

export interface DraftMetric {
  readonly name: MetricName;
  /** Typed text: a number (percent, req/s) or a duration for latencies; empty for none. */
  readonly min: string;
  readonly max: string;
}

/** What the rollout wizard has gathered; the server turns it into a neutral Rollout and validates that. */
export interface RolloutDraft {
  readonly namespace: string;
  readonly name: string;
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly strategy: RolloutStrategyKind;
  readonly steps: readonly DraftStep[];
  readonly cohort: readonly DraftCohort[];
  readonly iterations: string;
  readonly previewHeader: string;
  readonly mirror: boolean;
  readonly scaleDownDelay: string;
  readonly interval: string;
  readonly threshold: string;
  readonly minRequests: string;
  readonly metrics: readonly DraftMetric[];
}

/** One version of a service as the wizard offers it, with what it does now. */
export interface WizardVersion {
  readonly name: string;
  readonly instancesUp: number;
  readonly instances: number;
  /** Over the dashboard's live window; absent without a native mesh or traffic. */
  readonly requests?: number;
  readonly current: Readonly<Partial<Record<MetricName, number>>>;
}

export interface WizardService {
  /** `namespace/name` */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly versions: readonly WizardVersion[];
  /** A rollout of this service that has not finished, as `namespace/name`. */
  readonly activeRollout?: string;
}

export interface WizardOptions {
  readonly services: readonly WizardService[];
  /** Whether live counts and values come from a running native mesh. */
  readonly live: boolean;
  readonly windowSeconds: number;
  /** Why starting is not possible here (no control plane), in words a user can act on. */
  readonly cannotStart?: string;
}

/** One mesh's configuration for the rollout's first step. */
export interface MeshStepView {
  readonly mesh: string;
  readonly displayName: string;
  readonly yaml: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the translation itself could not run. */
  readonly problem?: string;
}

export interface RolloutReview {
  /** The neutral Rollout as YAML, as `anymesh rollout start -f` would take it. */
  readonly file: string;
  readonly yaml: string;
  /** Diagnostics of the Rollout, as `anymesh validate` reports them (paths like `spec.strategy.canary.steps[1]`). */
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
  /** Every configuration the rollout goes through, in order (`rolloutStages`). */
  readonly stages: readonly { readonly label: string; readonly traffic: TrafficPlan }[];
  /** The neutral TrafficRoute in force at the first stage, and per mesh its configuration (when asked, for a valid rollout). */
  readonly firstStage?: {
    readonly label: string;
    readonly file: string;
    readonly routeYaml: string;
    readonly meshes: readonly MeshStepView[];
  };
}

/** A rollout with its full event history, for the detail page. */
export interface RolloutDetailView {
  readonly status: RolloutStatus;
  readonly events: readonly RolloutEvent[];
  /** The canary weights of the new version per step, when the rollout is a canary (for the step ladder). */
  readonly ladder: readonly number[];
  /** The bounds the analysis checks, per metric (for the chart's threshold lines). */
  readonly thresholds: readonly { readonly metric: MetricName; readonly min?: number; readonly max?: number }[];
}

export type RolloutCommandOutcome =
  { readonly done: true; readonly status: RolloutStatus } | { readonly done: false; readonly message: string };

export type StartOutcome =
  | { readonly started: true; readonly namespace: string; readonly name: string; readonly diagnostics: readonly Diagnostic[] }
  | { readonly started: false; readonly diagnostics: readonly Diagnostic[]; readonly message?: string };
