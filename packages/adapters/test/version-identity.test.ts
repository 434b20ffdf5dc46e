import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/index.js';
import { loadYaml } from './support/policy-cases.js';

// Issue 3: "where the mapping from version to identity needs an assumption, state it in the
// diagnostic and in the docs". reviews v1 and v2 each run under their own service account.
const POLICIES = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions:
    v1: { labels: { version: v1 }, serviceAccount: reviews-v1 }
    v2: { labels: { version: v2 }, serviceAccount: reviews-v2 }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ratings, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
---
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh }
spec: { defaultAccess: deny }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: ratings, namespace: shop }
spec:
  rules:
    - action: allow
      from: [{ service: reviews, version: v1 }]
      to: { service: ratings }
`;

describe('a version named as an access source', () => {
  it.each(ADAPTERS.map((a) => [a.name, a] as const))(
    '%s either states which service account it takes the version to be, or refuses it',
    (_, adapter) => {
      const loaded = loadYaml(POLICIES, 'version-identity.yaml');
      expect(loaded.valid).toBe(true);
      const found = adapter
        .translate(loaded.set)
        .diagnostics.filter((d) => d.object === 'AccessPolicy/shop/ratings' && d.feature === 'access.sourceVersion');
      expect(found, 'a diagnostic on the version source').not.toHaveLength(0);
      for (const d of found) {
        expect(d.path).toBe('spec.rules[0].from[0].version');
        // An assumption names the account; a refusal (fail closed) says it is left out.
        if (d.code === 'AM4003') expect(d.message).toContain('reviews-v1');
        else expect(d.code).toBe('AM4001');
      }
    },
  );
});
