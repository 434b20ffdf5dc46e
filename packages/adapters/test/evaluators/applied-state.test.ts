import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/index.js';
import { applyState } from './applied-state.js';

const vs = (name: string, namespace: string | undefined, marker: string): Manifest => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { marker },
});

describe('applied state (kubectl apply semantics)', () => {
  it('keeps one object per group, kind, namespace and name: the later one replaces the earlier', () => {
    const state = applyState([vs('web', 'shop', 'first'), vs('web', 'shop', 'second')]);
    expect(state.list('VirtualService')).toHaveLength(1);
    expect(state.get('VirtualService', 'shop', 'web', 'networking.istio.io')?.spec).toEqual({ marker: 'second' });
  });

  it('keeps objects that differ only in namespace, API group or kind apart', () => {
    const linkerdRoute: Manifest = {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'shop' },
    };
    const gatewayRoute: Manifest = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'shop' },
    };
    const state = applyState([vs('web', 'shop', 'a'), vs('web', 'other', 'b'), linkerdRoute, gatewayRoute]);
    expect(state.objects).toHaveLength(4);
    expect(state.list('HTTPRoute', { group: 'gateway.networking.k8s.io' })).toEqual([gatewayRoute]);
  });

  it('puts an object without a namespace into default, where it collides with one written there explicitly', () => {
    const state = applyState([vs('web', undefined, 'implicit'), vs('web', 'default', 'explicit')]);
    expect(state.list('VirtualService', { namespace: 'default' }).map((m) => m.spec)).toEqual([{ marker: 'explicit' }]);
  });

  it('does not store what the API server rejects, and says why', () => {
    const state = applyState([vs('web', 'shop', 'bad'), vs('api', 'shop', 'good')], (m) =>
      (m.spec as { marker: string }).marker === 'bad' ? ['spec.marker: bad'] : [],
    );
    expect(state.objects.map((m) => m.metadata.name)).toEqual(['api']);
    expect(state.rejected).toEqual([{ object: vs('web', 'shop', 'bad'), errors: ['spec.marker: bad'] }]);
  });
});
