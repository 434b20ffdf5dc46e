import { FEATURE_NAMES, FEATURES, loadPolicies, type Capability, type CapabilityTable, type PolicySet } from '@anymesh/core';
import { describe, expect, it } from 'vitest';
import { policyGaps } from '../src/server/reports/policy-gaps.js';
import { capabilityMatrix } from '../src/server/reports/capability-matrix.js';
import { meshCatalog } from '../src/server/sources/mesh-catalog.js';
import { readAdapters } from '../src/server/sources/read-adapters.js';
import type { Adapter } from '../src/server/sources/adapter-api.js';
import { BOOKSTORE_DIR } from './support/client.js';

const full: Capability = { level: 'full', note: '' };
const table = (overrides: Partial<CapabilityTable>): CapabilityTable =>
  ({ ...Object.fromEntries(FEATURE_NAMES.map((f) => [f, full])), ...overrides }) as CapabilityTable;

const linkerdLike: Adapter = {
  name: 'linkerd',
  displayName: 'Linkerd',
  capabilities: table({ mirror: { level: 'none', note: 'HTTPRoute has no mirror filter in Linkerd' } }),
  translate: (set: PolicySet) => ({
    manifests: [],
    diagnostics: set.routes.flatMap((r) =>
      (r.object.spec.rules ?? []).flatMap((rule, i) =>
        rule.mirror
          ? [
              {
                code: 'AM4001' as const,
                severity: 'warning' as const,
                file: 'routes.yaml',
                line: 1,
                col: 1,
                path: `spec.rules[${i}].mirror`,
                message: 'linkerd cannot express mirror',
                feature: 'mirror' as const,
                object: `TrafficRoute/bookstore/${r.object.metadata.name}`,
              },
            ]
          : [],
      ),
    ),
  }),
};

describe('the mesh catalog over the adapters module', () => {
  it('accepts ADAPTERS as a list or as a record and reports the meshes it lacks', () => {
    for (const ADAPTERS of [[linkerdLike], { linkerd: linkerdLike }]) {
      const catalog = meshCatalog(readAdapters({ ADAPTERS }));
      expect(catalog.meshes.map((m) => m.name)).toEqual(['linkerd']);
      expect([...catalog.missing.keys()]).toEqual(['istio', 'consul']);
    }
  });

  it('takes capabilities from capabilityMatrix() when the module exports it', () => {
    const capabilityMatrixRows = () =>
      FEATURE_NAMES.map((feature) => ({ feature, meshes: { linkerd: { level: 'partial' as const, note: 'from the matrix' } } }));
    const catalog = meshCatalog(readAdapters({ ADAPTERS: [linkerdLike], capabilityMatrix: capabilityMatrixRows }));
    const view = capabilityMatrix(catalog);
    expect(view.rows.find((r) => r.feature === 'mirror')?.support.linkerd).toEqual({ level: 'partial', note: 'from the matrix' });
    expect(view.rows.find((r) => r.feature === 'mirror')?.description).toBe(FEATURES.mirror);
    expect(view.missing.map((m) => m.id)).toEqual(['istio', 'consul', 'native']);
  });

  it('lists a mesh lacking mirroring as losing the bookstore mirror, with the adapter note', async () => {
    const { set } = await loadPolicies([BOOKSTORE_DIR]);
    const [report] = policyGaps(meshCatalog(readAdapters({ ADAPTERS: [linkerdLike] })), set);
    expect(report?.gaps).toEqual([
      expect.objectContaining({
        kind: 'lost',
        feature: 'mirror',
        object: 'TrafficRoute/bookstore/reviews',
        note: 'HTTPRoute has no mirror filter in Linkerd',
      }),
    ]);
  });

  it('reports a translation that throws as a problem of that mesh, not a failed request', async () => {
    const broken: Adapter = {
      ...linkerdLike,
      translate: () => {
        throw new Error('boom');
      },
    };
    const { set } = await loadPolicies([BOOKSTORE_DIR]);
    expect(policyGaps(meshCatalog(readAdapters({ ADAPTERS: [broken] })), set)[0]?.problem).toBe('translation failed: boom');
  });
});
