import type { PolicySet } from '@anymesh/core';
import type { MeshGapReport, PolicyGap } from '../api-types.js';
import type { MeshCatalog } from '../sources/mesh-catalog.js';

/**
 * "For my policies": per mesh, what of the loaded policies would be lost (AM4001) or only
 * approximated (AM4002), taken from the translation's own diagnostics.
 */
export function policyGaps(catalog: MeshCatalog, set: PolicySet): MeshGapReport[] {
  return catalog.meshes.map((mesh) => {
    try {
      const { diagnostics } = catalog.translate(mesh.name, set);
      const gaps: PolicyGap[] = diagnostics.flatMap((d) => {
        if (d.code !== 'AM4001' && d.code !== 'AM4002') return [];
        const capability = d.feature ? catalog.capability(d.feature, mesh.name) : undefined;
        return [
          {
            kind: d.code === 'AM4001' ? 'lost' : 'approximated',
            feature: d.feature,
            object: d.object,
            diagnostic: d,
            note: capability?.note,
            level: capability?.level,
          },
        ];
      });
      return { mesh: mesh.name, displayName: mesh.displayName, gaps, problem: undefined };
    } catch (error) {
      return { mesh: mesh.name, displayName: mesh.displayName, gaps: [], problem: `translation failed: ${(error as Error).message}` };
    }
  });
}
