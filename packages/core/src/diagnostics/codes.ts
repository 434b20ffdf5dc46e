/**
 * The table of diagnostic codes. Codes are stable: documented in docs/diagnostics.md, never reused.
 * AM1xxx: reading and parsing input. AM2xxx: JSON Schema. AM3xxx: semantic checks.
 * AM4xxx: translation to a mesh (what a mesh cannot express or can only approximate).
 */
export const DIAGNOSTIC_CODES = {
  AM1001: 'yaml-syntax',
  AM1002: 'yaml-alias-limit',
  AM1003: 'file-too-large',
  AM1004: 'not-text',
  AM1005: 'unreadable-path',
  AM1006: 'not-an-object',
  AM1007: 'unknown-api-version',
  AM1008: 'unknown-kind',
  AM1009: 'duplicate-key',
  AM1010: 'no-input-files',
  AM1011: 'nesting-too-deep',
  AM2001: 'missing-field',
  AM2002: 'unknown-field',
  AM2003: 'wrong-type',
  AM2004: 'invalid-value',
  AM2005: 'out-of-range',
  AM2006: 'one-of',
  AM3001: 'unknown-service',
  AM3002: 'unknown-version',
  AM3003: 'zero-weights',
  AM3004: 'duplicate-name',
  AM3005: 'unreachable-rule',
  AM3006: 'invalid-regex',
  AM3007: 'invalid-duration',
  AM3008: 'invalid-percent',
  AM3009: 'conflicting-policies',
  AM3010: 'rollout-version',
  AM3011: 'rewrite-needs-prefix',
  AM3012: 'duplicate-header',
  AM3013: 'per-try-exceeds-timeout',
  AM3014: 'invalid-metric-bound',
  AM3015: 'canary-steps',
  AM3016: 'l7-on-tcp',
  AM3017: 'metric-query-unused',
  AM3018: 'duplicate-webhook',
  AM3019: 'cohort-header-overlap',
  AM3020: 'progress-deadline',
  AM4001: 'unsupported-feature',
  AM4002: 'approximated-feature',
  AM4003: 'translation-assumption',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
