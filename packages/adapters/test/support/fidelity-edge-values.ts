import fc from 'fast-check';
import type { HeaderMatch, QueryMatch, RouteRule } from '@anymesh/core';

/**
 * Edge values for the fidelity generators (issue 10): the shapes meshes validate beyond their CRD
 * schemas. Durations below and between milliseconds (0.4ms: Istio refuses it, Gateway API would
 * write "0ms" = no timeout), and an empty string wherever the neutral schema allows one (exact
 * header/query match values, header modifier values). Cases the neutral validation refuses are
 * skipped by the properties (fc.pre); the rest must translate to objects the mesh accepts.
 */
export const edgeDurationArb = fc.constantFrom('0.4ms', '1ms', '1.5ms', '0.001s', '250ms', '1.5s');

export const edgeHeaderMatchArb: fc.Arbitrary<HeaderMatch> = fc.constant({ exact: '' });
export const edgeQueryMatchArb: fc.Arbitrary<QueryMatch> = fc.constant({ exact: '' });

/** Optional edge-valued fields of a forwarding rule: a timeout and header modifiers with empty values. */
export const edgeRuleFieldsArb: fc.Arbitrary<Partial<RouteRule>> = fc.record(
  {
    timeout: edgeDurationArb,
    requestHeaders: fc.constantFrom({ set: { 'x-e': '' } }, { add: { 'x-e': '' } }, { set: { 'x-e': 'v' } }, { set: { 'x-e': '100%' } }),
    responseHeaders: fc.constantFrom({ set: { 'x-r': '' } }, { remove: ['x-r'] }),
  },
  { requiredKeys: [] },
);
