import { FEATURE_NAMES, FEATURES, loadPolicies, type Capability, type CapabilityTable, type PolicySet } from '@anymesh/core';
import { capabilityMatrix as adaptersMatrix, MESH_NAMES, type Adapter } from '@anymesh/adapters';
import { NATIVE_CAPABILITIES } from '@anymesh/native-mesh';
import { describe, expect, it } from 'vitest';
import { capabilityMatrix } from '../src/server/reports/capability-matrix.js';
import { policyGaps } from '../src/server/reports/policy-gaps.js';
import { meshCatalog, type AdapterSource } from '../src/server/sources/mesh-catalog.js';
import { MESH_NAMES as WEB_MESH_NAMES } from '../web/policies/mesh-choice.js';
import { BOOKSTORE_DIR } from './support/client.js';

const full: Capability = { level: 'full', note: '' };
const table = (overrides: Partial<CapabilityTable>): CapabilityTable =>
  ({ ...Object.fromEntries(FEATURE_NAMES.map((f) => [f, full])), ...overrides }) as CapabilityTable;

const lacksMirror: Adapter = {
  name: 'linkerd',
  displayName: 'Linkerd',
  capabilities: table({ mirror: { level: 'none', note: 'no mirroring' } }),
  translate: (set: PolicySet) => ({
    manifests: [],
    diagnostics: set.routes.flatMap((r) =>
      r.object.spec.rules.flatMap((rule, i) =>
        rule.mirror
          ? [
              {
                code: 'AM4001' as const,
                severity: 'warning' as const,
                ...{ file: 'routes.yaml', line: 1, col: 1, path: `spec.rules[${i}].mirror` },
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

function source(adapters: readonly Adapter[]): AdapterSource {
  return {
    adapters,
    capabilityMatrix: () =>
      FEATURE_NAMES.map((feature) => ({
        feature,
        description: FEATURES[feature],
        meshes: Object.fromEntries(adapters.map((a) => [a.name, a.capabilities[feature]])),
      })),
    translate: (mesh, set) => {
      const adapter = adapters.find((a) => a.name === mesh);
      if (!adapter) throw new Error(`no ${mesh}`);
      return adapter.translate(set);
    },
    manifestsToYaml: () => '',
  };
}

describe('the mesh catalog', () => {
  it('reports the meshes no adapter is registered for, and the native column as unpublished when it has no table', () => {
    const view = capabilityMatrix(meshCatalog(source([lacksMirror])), null);
    expect(view.columns.map((c) => c.id)).toEqual(['linkerd']);
    expect(view.missing.map((m) => m.id)).toEqual(['istio', 'consul', 'native']);
    expect(view.rows.find((r) => r.feature === 'mirror')).toMatchObject({
      description: FEATURES.mirror,
      support: { linkerd: { level: 'none', note: 'no mirroring' } },
    });
  });

  it('lists a mesh lacking mirroring as losing the bookstore mirror, with the adapter note', async () => {
    const { set } = await loadPolicies([BOOKSTORE_DIR]);
    const [report] = policyGaps(meshCatalog(source([lacksMirror])), set);
    expect(report?.gaps).toEqual([
      expect.objectContaining({ kind: 'lost', feature: 'mirror', object: 'TrafficRoute/bookstore/reviews', note: 'no mirroring' }),
    ]);
  });

  it('reports a translation that throws as a problem of that mesh, not a failed request', async () => {
    const broken: Adapter = {
      ...lacksMirror,
      translate: () => {
        throw new Error('boom');
      },
    };
    const { set } = await loadPolicies([BOOKSTORE_DIR]);
    expect(policyGaps(meshCatalog(source([broken])), set)[0]?.problem).toBe('translation failed: boom');
  });
});

describe('the catalog over the real adapters', () => {
  it('shows exactly the capability matrix the adapters publish', () => {
    const view = capabilityMatrix(meshCatalog());
    for (const row of adaptersMatrix()) {
      const { native: _native, ...adapters } = view.rows.find((r) => r.feature === row.feature)?.support ?? {};
      expect(adapters).toEqual(row.meshes);
    }
  });

  it("shows the native mesh's column exactly as @anymesh/native-mesh publishes it", () => {
    const view = capabilityMatrix(meshCatalog());
    expect(view.columns.map((c) => c.id)).toEqual([...MESH_NAMES, 'native']);
    expect(view.missing).toEqual([]);
    expect(Object.fromEntries(view.rows.map((r) => [r.feature, r.support.native]))).toEqual(NATIVE_CAPABILITIES);
  });

  it("reports Linkerd's lack of mirroring for the bookstore with Linkerd's note", async () => {
    const { set } = await loadPolicies([BOOKSTORE_DIR]);
    const linkerd = policyGaps(meshCatalog(), set).find((r) => r.mesh === 'linkerd');
    const mirror = linkerd?.gaps.find((g) => g.feature === 'mirror');
    expect(mirror).toMatchObject({ kind: 'lost', diagnostic: { code: 'AM4001' } });
    expect(mirror?.note).toBe(adaptersMatrix().find((r) => r.feature === 'mirror')?.meshes.linkerd?.note);
  });

  it('offers in the browser the same meshes the adapters name', () => {
    expect([...WEB_MESH_NAMES]).toEqual([...MESH_NAMES]);
  });
});
