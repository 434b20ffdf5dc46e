export { accessAuthorizer, type AccessDeps } from './authorizer.js';
export { AccessMetrics, type AccessDecisionLabel } from './access-metrics.js';
export { ruleRef, DEFAULT_RULE, type AccessNote } from './access-note.js';
