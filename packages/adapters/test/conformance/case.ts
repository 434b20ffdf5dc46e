import { expect } from 'vitest';
import type { FeatureName, PolicySet } from '@anymesh/core';
import type { Adapter, ForwardEffects, RedirectPort, RouteDecision, Translation } from '../../src/index.js';
import { EVALUATORS, meshState } from '../evaluators/index.js';
import type { MtlsExpectation } from './mtls.js';
import type { ObservabilityExpectation, UpstreamExpectation } from './upstream.js';

/** One conformance case: neutral policies, the features they exercise, and what any adapter's output must do. */
export interface ConformanceCase {
  readonly shortName: string;
  readonly description: string;
  readonly features: readonly FeatureName[];
  /** Policies as YAML; prepended with the shared services (SERVICES). */
  readonly policies: string;
  /**
   * Where requests to `web` must go, as data: every implementation checks them its own way (the
   * adapters through their evaluators, the native mesh with live traffic through its sidecars).
   */
  readonly routes?: readonly RouteExpectation[];
  /**
   * What happens around forwarding one request to `web` (timeout, retries, mirror, fault), as data;
   * compared field by field with what the adapter's evaluator reads from its output.
   */
  readonly effects?: readonly [RequestSpec, EffectsExpectation];
  /** What the case's mesh-wide mTLS mode means to callers of `web`. */
  readonly mtls?: MtlsExpectation;
  /** Who may call `web` (port 8080) under the case's access policies, as data; the neutral decision of core's compileAccess. */
  readonly access?: readonly AccessExpectation[];
  /** Calls to `web` and whether the mesh audits them (records the dry-run decision of an audit-mode policy). */
  readonly audit?: readonly AuditExpectation[];
  /** What `client` v1's connections to `web` (or one version) get: timeouts, limits, ejection, balancing, failover, budget. */
  readonly upstream?: UpstreamExpectation;
  /** The mesh-wide metrics, trace sampling and access logs. */
  readonly observability?: ObservabilityExpectation;
  /** Further checks of an adapter's translation (e.g. that a manifest carries the feature, or a diagnostic). */
  readonly check?: (translation: Translation, adapter: Adapter, set: PolicySet) => void;
}

/** The services every case may use: `web` (v1, v2, v3) and `client`, in namespace `shop`. */
export const SERVICES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions:
    v1: { labels: { version: v1 }, serviceAccount: web-v1 }
    v2: { labels: { version: v2 }, serviceAccount: web-v2 }
    v3: { labels: { version: v3 }, serviceAccount: web-v3 }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: client, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions:
    v1: { labels: { version: v1 } }
    v2: { labels: { version: v2 } }
`;

export interface RequestSpec {
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/** A forward to `web` versions with the given shares (`*`: all versions), the path and Host it arrives with. */
export interface ForwardExpectation {
  readonly shares: Readonly<Record<string, number>>;
  readonly path: string | undefined;
  readonly host: string | undefined;
}

export interface RedirectExpectation {
  readonly redirect: number;
  readonly path?: string;
  readonly host?: string;
  readonly scheme?: 'http' | 'https';
  /** Location port; default: the request's. `scheme-default`: the scheme's well-known port. */
  readonly port?: RedirectPort;
  /** Default: the request's query string is kept. */
  readonly query?: 'kept' | 'dropped';
}

/** A call to `web` from an instance of `from` (namespace default `shop`). */
export interface AccessCall {
  readonly from: { readonly namespace?: string; readonly service: string; readonly version?: string };
  readonly method?: string;
  readonly path: string;
}

/** A call and whether the neutral model lets it through. */
export type AccessExpectation = readonly [AccessCall, 'allow' | 'deny'];

/** A call and whether the mesh audits it. */
export type AuditExpectation = readonly [AccessCall, boolean];

/** The fields of ForwardEffects a case states (durations in milliseconds). */
export type EffectsExpectation = Partial<ForwardEffects>;

/** A request and its neutral outcome. */
export type RouteExpectation = readonly [RequestSpec, ForwardExpectation | RedirectExpectation];

/** A forward to `web` versions with the given shares (`*`: all versions). */
export function toWeb(shares: Record<string, number>, path?: string, host?: string): ForwardExpectation {
  return { shares, path, host };
}

/**
 * Asserts, through the adapter's evaluator of its own output, where requests to `web` go. Every
 * adapter must register an evaluator (test/evaluators/index.ts); a missing one fails the case.
 */
export function expectRoutes(translation: Translation, adapter: Adapter, cases: readonly RouteExpectation[], set: PolicySet): void {
  const evaluate = EVALUATORS[adapter.name];
  if (!evaluate) throw new Error(`no route evaluator registered for ${adapter.name} in test/evaluators/index.ts`);
  const state = meshState(set, translation.manifests);
  for (const [spec, want] of cases) {
    const request = { method: spec.method ?? 'GET', path: spec.path, headers: spec.headers ?? {}, query: spec.query ?? {} };
    const got: RouteDecision = evaluate(state, { namespace: 'shop', service: 'web', request });
    const label = `${request.method} ${spec.path} ${JSON.stringify(spec.headers ?? {})} ${JSON.stringify(spec.query ?? {})}`;
    if ('redirect' in want) {
      expect(got, label).toEqual({
        kind: 'redirect',
        status: want.redirect,
        path: want.path,
        host: want.host,
        scheme: want.scheme,
        port: want.port ?? 'request',
        query: want.query ?? 'kept',
      });
      continue;
    }
    expect(got.kind, label).toBe('forward');
    if (got.kind !== 'forward') continue;
    const shares: Record<string, number> = {};
    for (const t of got.targets) shares[t.version ?? '*'] = Math.round(((shares[t.version ?? '*'] ?? 0) + t.share) * 1e6) / 1e6;
    expect({ shares, path: got.path, host: got.host }, label).toEqual({
      shares: want.shares,
      path: want.path ?? spec.path,
      host: want.host,
    });
  }
}

/** Asserts, through the adapter's evaluator, the timeout, retries, mirror and fault a request meets. */
export function expectEffects(
  translation: Translation,
  adapter: Adapter,
  [spec, want]: readonly [RequestSpec, EffectsExpectation],
  set: PolicySet,
): void {
  const evaluate = EVALUATORS[adapter.name];
  if (!evaluate) throw new Error(`no route evaluator registered for ${adapter.name} in test/evaluators/index.ts`);
  const request = { method: spec.method ?? 'GET', path: spec.path, headers: spec.headers ?? {}, query: spec.query ?? {} };
  const got = evaluate(meshState(set, translation.manifests), { namespace: 'shop', service: 'web', request });
  expect(got.kind, `${spec.path} is forwarded`).toBe('forward');
  if (got.kind !== 'forward') return;
  for (const k of Object.keys(want)) expect(got.effects ?? {}, `${adapter.name}'s evaluator reads ${k}`).toHaveProperty(k);
  const stated = Object.fromEntries(Object.keys(want).map((k) => [k, got.effects?.[k as keyof ForwardEffects]]));
  expect(stated, `effects on ${spec.path}`).toEqual(want);
}

/** Asserts a diagnostic about a feature with one of the given codes. */
export function expectDiagnostic(translation: Translation, feature: FeatureName, codes: readonly string[]): void {
  const found = translation.diagnostics.filter((d) => d.feature === feature && codes.includes(d.code));
  expect(found.length, `a ${codes.join('/')} diagnostic for ${feature}`).toBeGreaterThan(0);
}
