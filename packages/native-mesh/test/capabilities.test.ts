import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, type FeatureName } from '@anymesh/core';
import { CASES } from '../../adapters/test/conformance/cases.js';
import { NATIVE_CAPABILITIES } from '../src/capabilities.js';
import { NATIVE_CAPABILITIES as PUBLISHED } from '../src/index.js';
import { NOT_PROBED } from './conformance/not-probed.js';

/**
 * What backs each claim of the native capability table: a conformance case the native mesh runs on
 * live traffic, or a test (file + a fragment of its title, so a renamed or deleted test breaks this).
 */
type Evidence = { readonly case: string } | { readonly file: string; readonly test: string };

const live = (shortName: string): Evidence => ({ case: shortName });
const test = (file: string, title: string): Evidence => ({ file, test: title });

const EVIDENCE = {
  'route.pathExact': [live('path-exact'), test('test/proxy/matching.test.ts', 'prefers an exact path')],
  'route.pathPrefix': [live('path-prefix-segments')],
  'route.pathRegex': [live('path-regex-anchored'), test('test/proxy/matching.test.ts', 'matches it anchored')],
  'route.pathIgnoreCase': [live('path-ignore-case')],
  'route.headerExact': [live('header-matches')],
  'route.headerPrefix': [live('header-matches')],
  'route.headerRegex': [live('header-matches')],
  'route.headerPresent': [live('header-matches')],
  'route.headerAbsent': [live('header-matches')],
  'route.queryParam': [live('query-and-method'), test('test/proxy/matching.test.ts', 'matches query parameters')],
  'route.method': [live('query-and-method')],
  'route.precedence': [
    live('precedence-specificity'),
    live('precedence-ties-by-rule-order'),
    test('test/conformance/route-fidelity.test.ts', 'random route sets'),
  ],
  'split.versions': [live('path-exact')],
  'split.weighted': [live('weighted-split'), test('test/proxy/routing.test.ts', 'splits 2,000 requests 90/10')],
  mirror: [live('mirror'), test('test/proxy/faults-mirror.test.ts', 'answers from the primary while the mirror hangs')],
  'rewrite.path': [live('rewrite-path-prefix'), live('rewrite-full-path-and-host')],
  'rewrite.host': [live('rewrite-full-path-and-host')],
  redirect: [live('redirect-default-code'), test('test/proxy/matching.test.ts', 'answers redirects itself')],
  'headers.request': [live('header-modifiers')],
  'headers.response': [live('header-modifiers')],
  'fault.delay': [test('test/proxy/faults-mirror.test.ts', 'delays matching requests by the fixed delay')],
  'fault.abort': [live('fault-injection')],
  'timeout.request': [test('test/proxy/resilience.test.ts', 'answers 504 request-timeout')],
  'timeout.perTry': [test('test/proxy/resilience.test.ts', 'exceeds the per-try timeout')],
  'timeout.idle': [test('test/proxy/connection-timeouts.test.ts', 'after the idleTimeout')],
  'timeout.connect': [test('test/proxy/connection-timeouts.test.ts', 'after the connectTimeout')],
  'retry.attempts': [live('timeouts-and-retries'), test('test/proxy/resilience.test.ts', 'beyond the 64 KiB replay buffer')],
  'retry.conditions': [live('timeouts-and-retries'), test('test/proxy/units.test.ts', 'classifies retriable outcomes')],
  'retry.backoff': [test('test/proxy/units.test.ts', 'draws full-jitter backoff')],
  'retry.budget': [test('test/proxy/resilience.test.ts', 'caps upstream attempts')],
  circuitBreaker: [live('connection-settings'), test('test/proxy/upstream.test.ts', 'rejects requests beyond maxRequests')],
  outlierDetection: [
    live('outlier-detection'),
    test('test/integration/instance-kill.test.ts', 'absorbed by retries and outlier detection'),
  ],
  'loadBalancer.algorithm': [live('load-balancer'), test('test/proxy/upstream.test.ts', 'spreads least-request and random')],
  'loadBalancer.consistentHash': [test('test/proxy/upstream.test.ts', 'with consistent hashing')],
  'failover.locality': [live('locality-failover'), test('test/proxy/failover.test.ts', 'fails over to the region')],
  'access.defaultDeny': [live('access-default-deny'), test('test/access/enforcement.test.ts', 'naming the mesh default')],
  'access.deny': [live('access-deny-wins'), test('test/access/enforcement.test.ts', 'a deny rule win')],
  'access.sourceService': [live('access-default-deny'), test('test/access/enforcement.test.ts', 'ignores a spoofed source header')],
  'access.sourceNamespace': [live('access-deny-wins')],
  'access.sourceVersion': [live('access-source-version')],
  'access.destinationPort': [live('access-deny-wins')],
  'access.methodPath': [live('access-default-deny')],
  'access.audit': [live('access-audit'), test('test/access/enforcement.test.ts', 'audit-mode policy')],
  'mtls.strict': [live('mtls-strict'), test('test/identity/sidecar-mtls.test.ts', 'rejects, in strict mode')],
  'mtls.permissive': [live('mtls-permissive'), test('test/identity/sidecar-mtls.test.ts', 'in permissive mode')],
  'mtls.disabled': [live('mtls-disabled'), test('test/identity/sidecar-mtls.test.ts', 'speaks plaintext in disabled mode')],
  'observability.metrics': [live('observability'), test('test/proxy/routing.test.ts', 'counts requests in anymesh_requests_total')],
  'observability.tracing': [live('observability'), test('test/observability/sidecar-tracing.test.ts', 'one trace')],
  'observability.accessLogs': [live('observability'), test('test/observability/access-log-tap.test.ts', 'one JSON line per request')],
  'rollout.canary': [
    test('test/rollout/canary-live.test.ts', 'promotes a healthy version through every step'),
    test('test/rollout/canary-live.test.ts', 'rolls a failing version back'),
  ],
  'rollout.abTest': [test('test/rollout/strategies-live.test.ts', 'only the cohort reaches the new version')],
  'rollout.blueGreen': [test('test/rollout/strategies-live.test.ts', 'after the switch no request reaches the old version')],
} satisfies Record<FeatureName, readonly Evidence[]>;

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Cases the native conformance run actually runs (not skipped for a `none` claim or listed in NOT_PROBED). */
function runsLive(shortName: string): boolean {
  const c = CASES.find((x) => x.shortName === shortName);
  return c !== undefined && NOT_PROBED[shortName] === undefined && c.features.every((f) => NATIVE_CAPABILITIES[f].level !== 'none');
}

describe('the native capability table', () => {
  it('is the one @anymesh/native-mesh publishes, with a level and a one-line note for every feature', () => {
    expect(PUBLISHED).toBe(NATIVE_CAPABILITIES);
    for (const f of FEATURE_NAMES) {
      expect(['full', 'partial', 'none'], f).toContain(NATIVE_CAPABILITIES[f].level);
      expect(NATIVE_CAPABILITIES[f].note, f).toMatch(/^[^\n]{10,160}$/);
    }
  });

  it('backs every full or partial claim with a live conformance case or a named test, and claims nothing it has no evidence for', () => {
    for (const f of FEATURE_NAMES) {
      const evidence: readonly Evidence[] = EVIDENCE[f];
      if (NATIVE_CAPABILITIES[f].level === 'none') {
        expect(evidence, `${f} is claimed none, so nothing should test it as working`).toEqual([]);
        continue;
      }
      expect(evidence.length, `${f} is claimed ${NATIVE_CAPABILITIES[f].level}: name the test that shows it`).toBeGreaterThan(0);
      for (const e of evidence) {
        if ('case' in e) {
          expect(runsLive(e.case), `${f}: conformance case ${e.case} runs live on the native mesh`).toBe(true);
          expect(CASES.find((c) => c.shortName === e.case)?.features, `${f}: case ${e.case} exercises it`).toContain(f);
        } else {
          const text = readFileSync(`${PACKAGE_ROOT}${e.file}`, 'utf8');
          expect(text.includes(e.test), `${f}: ${e.file} has a test "…${e.test}…"`).toBe(true);
        }
      }
    }
  });
});
