import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { applyErrors } from './support/mesh-validation/index.js';
import { loadYaml } from './support/policy-cases.js';

const INPUT = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: fid }
spec: { ports: [{ port: 8080, protocol: http }] }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: fid }
spec:
  service: web
  rules:
    - requestHeaders: { set: { x-empty: "", x-full: v } }
      responseHeaders: { add: { x-empty: "" } }
`;

// Regression (found by the Linkerd fidelity property with empty-string generators): a header set to ""
// was written as a Gateway API HTTPHeader with an empty value, which the CRD refuses (minLength 1).
describe('Linkerd header modifiers with empty values', () => {
  it('leaves out what Gateway API cannot write, reports it (AM4001), and emits only objects the CRDs accept', () => {
    const loaded = loadYaml(INPUT, 'empty.yaml');
    expect(loaded.valid).toBe(true);
    const t = linkerdAdapter.translate(loaded.set);
    expect(t.manifests.flatMap((m) => applyErrors(m))).toEqual([]);
    const gaps = t.diagnostics.filter((d) => d.code === 'AM4001' && d.feature?.startsWith('headers.'));
    expect(gaps.map((d) => d.path)).toEqual(['spec.rules[0].requestHeaders.set.x-empty', 'spec.rules[0].responseHeaders.add.x-empty']);
    const filters = t.manifests.flatMap((m) =>
      ((m.spec as { rules?: { filters?: unknown[] }[] }).rules ?? []).flatMap((r) => r.filters ?? []),
    );
    expect(filters).toContainEqual({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-full', value: 'v' }] } });
    expect(filters.some((f) => (f as { type: string }).type === 'ResponseHeaderModifier')).toBe(false);
  });
});
