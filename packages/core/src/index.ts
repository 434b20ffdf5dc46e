// Public API of @anymesh/core: the neutral model, loading, validation and request semantics.
export type * from './model/generated.js';
export {
  API_VERSION,
  KINDS,
  DEFAULT_NAMESPACE,
  namespaceOf,
  objectRef,
  isKind,
  type Kind,
  type PolicyObject,
  type ObjectOfKind,
  type LoadedObject,
  type LoadedDocument,
  type PositionResolver,
} from './model/kinds.js';
export {
  buildPolicySet,
  serviceKey,
  findService,
  routeFor,
  loadedRouteFor,
  trafficPolicyFor,
  loadedTrafficPolicyFor,
  trafficPoliciesOf,
  servicesIn,
  type PolicySet,
  type ServiceKey,
} from './model/policy-set.js';
export { DEFAULTS, meshSettings, serviceAccountOf, selectorOf, versionNames, type MeshSettings } from './model/defaults.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes.js';
export {
  formatDiagnostic,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
  type Severity,
  type SourcePosition,
} from './diagnostics/diagnostic.js';
export { formatFieldPath, type FieldPath } from './diagnostics/field-path.js';
export { loadPolicies, loadTexts, type LoadResult } from './load/load-policies.js';
export { readSources, DEFAULT_MAX_FILE_BYTES, STDIN_NAME, type ReadOptions, type SourceText } from './load/read-files.js';
export { parseDocuments, MAX_ALIAS_COUNT } from './load/parse-documents.js';
export { MAX_NESTING_DEPTH } from './load/nesting-depth.js';
export { validateSchemas } from './validate/schema-validator.js';
export { checkPolicySet } from './validate/validate.js';
export { report } from './validate/report.js';
export { SCHEMA_DIR, schemaOfKind, schemaFileOfKind } from './schemas/load-schemas.js';
export { FEATURES, FEATURE_NAMES, type FeatureName, type SupportLevel, type Capability, type CapabilityTable } from './features.js';
export { parseDuration, durationMs, formatDuration } from './semantics/duration.js';
export { compileRegex, mustCompileRegex, type CompiledRegex } from './semantics/regex.js';
export { splitTarget, type RequestView } from './semantics/request.js';
export { normalizePrefix, segmentPrefixMatches, compilePathMatch, type CompiledPathMatch } from './semantics/path-match.js';
export { compileRouteMatch, compareSpecificity, type CompiledMatch } from './semantics/route-match.js';
export { buildRouteTable, selectRoute, type RouteEntry } from './semantics/route-table.js';
export { spiffeId, parseSpiffeId, resolveSource, sourceMatches, type ResolvedSource } from './semantics/identity.js';
export { compileAccess, accessPathMatches, type AccessRequest, type AccessDecision, type MatchedRule } from './semantics/access.js';
export { covers as matchCovers } from './validate/checks/unreachable.js';
export {
  initialState,
  startRollout,
  advance,
  trafficFor,
  stepCount,
  statusOf,
  type RolloutState,
  type RolloutInput,
  type PlanOutcome,
} from './rollout/planner.js';
export { canarySteps, stepWeightOf, type PlannedStep } from './rollout/canary-steps.js';
export { describeCheck } from './rollout/analysis-checks.js';
export { routeForTraffic, rolloutStages } from './rollout/step-route.js';
export type {
  MetricName,
  VersionRef,
  MetricSample,
  TrafficPlan,
  RolloutStrategyKind,
  RolloutPhase,
  RolloutCommand,
  WebhookType,
  CheckResult,
  AnalysisPoint,
  RolloutEventKind,
  RolloutEvent,
  RolloutStatus,
} from './rollout/contract.js';
export { featuresUsed, type FeatureUse } from './features-used.js';
