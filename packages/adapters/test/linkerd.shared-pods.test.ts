import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { loadYaml } from './support/policy-cases.js';

const services = (adminPort: number) => `apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh, namespace: shop }
spec: { defaultAccess: deny }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: public, namespace: shop }
spec: { selector: { app: shop }, ports: [{ port: 8080 }] }
---
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: admin, namespace: shop }
spec: { selector: { app: shop }, ports: [{ port: ${adminPort} }] }
---
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: p, namespace: shop }
spec:
  rules: [{ action: allow, from: [{ service: public }], to: { service: admin } }]
`;

function sharedPortFindings(adminPort: number) {
  const loaded = loadYaml(services(adminPort), 'shared.yaml');
  if (!loaded.valid) throw new Error(JSON.stringify(loaded.diagnostics, null, 2));
  return linkerdAdapter.translate(loaded.set).diagnostics.filter((d) => d.code === 'AM4002' && d.feature === 'access.destinationPort');
}

describe('Linkerd Servers of Services that share pods', () => {
  it('reports two Services on the same pods and port (Linkerd keeps one Server and ignores the other with its authorizations)', () => {
    expect(sharedPortFindings(8080).map((d) => d.message)).toEqual([
      expect.stringContaining('public may select the same pods as admin and also uses port 8080'),
    ]);
  });

  it('says nothing when the shared pods are served on different ports (one Server per port, authorized apart)', () => {
    expect(sharedPortFindings(9000)).toEqual([]);
  });
});
