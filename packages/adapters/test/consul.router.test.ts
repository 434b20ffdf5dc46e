import { describe, expect, it } from 'vitest';
import { translateConsul } from '../src/consul/index.js';
import { applyState, evaluateConsulRoute, matchedConsulRoute } from './evaluators/index.js';
import { loadValid } from './consul-support.js';

const WEB = `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: demo }
spec:
  ports: [{ port: 8080 }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
`;

function translate(extra: string) {
  return translateConsul(loadValid(`${WEB}---\n${extra}`, 'router.yaml')).manifests;
}

const get = (path: string) => ({ namespace: 'demo', service: 'web', request: { method: 'GET', path, headers: {}, query: {} } });

describe('Consul ServiceRouter translation', () => {
  it('keeps a segment prefix from matching a longer segment (/api does not route /apiary)', () => {
    const manifests = translate(`kind: TrafficRoute
apiVersion: anymesh.io/v1alpha1
metadata: { name: web, namespace: demo }
spec:
  service: web
  rules: [{ matches: [{ path: { prefix: /api } }], destinations: [{ version: v2 }] }]`);
    expect(evaluateConsulRoute(applyState(manifests), get('/api/x'))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateConsulRoute(applyState(manifests), get('/api'))).toMatchObject({ targets: [{ version: 'v2' }] });
    expect(evaluateConsulRoute(applyState(manifests), get('/apiary'))).toMatchObject({ targets: [{ version: undefined }] });
  });

  it('rewrites the root prefix / to the replacement itself, without a trailing slash (regression: /x/y/ became the path of /)', () => {
    const manifests = translate(`kind: TrafficRoute
apiVersion: anymesh.io/v1alpha1
metadata: { name: web, namespace: demo }
spec:
  service: web
  rules: [{ matches: [{ path: { prefix: / } }], rewrite: { pathPrefix: /x/y/ } }]`);
    expect(evaluateConsulRoute(applyState(manifests), get('/'))).toMatchObject({ path: '/x/y' });
    expect(evaluateConsulRoute(applyState(manifests), get('/a/b'))).toMatchObject({ path: '/x/y/a/b' });
  });

  it('gives unmatched requests the TrafficPolicy timeout and retries on an explicit catch-all route', () => {
    const manifests = translate(`kind: TrafficRoute
apiVersion: anymesh.io/v1alpha1
metadata: { name: web, namespace: demo }
spec:
  service: web
  rules: [{ matches: [{ path: { exact: /a } }], timeout: 1s }]
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: web, namespace: demo }
spec:
  target: { service: web }
  requestTimeout: 7s
  retries: { attempts: 2 }`);
    expect(matchedConsulRoute(applyState(manifests), get('/a'))?.destination).toMatchObject({ requestTimeout: '1s', numRetries: 2 });
    expect(matchedConsulRoute(applyState(manifests), get('/elsewhere'))?.destination).toMatchObject({
      requestTimeout: '7s',
      numRetries: 2,
      service: 'web',
    });
  });

  it('never gives the real service a splitter, so unmatched requests reach all versions unsplit', () => {
    const manifests = translate(`kind: TrafficRoute
apiVersion: anymesh.io/v1alpha1
metadata: { name: web, namespace: demo }
spec:
  service: web
  rules: [{ matches: [{ method: POST }], destinations: [{ version: v1, weight: 1 }, { version: v2, weight: 1 }] }]`);
    expect(manifests.filter((m) => m.kind === 'ServiceSplitter').map((m) => m.metadata.name)).toEqual(['web-split-rule-0']);
    expect(evaluateConsulRoute(applyState(manifests), get('/'))).toMatchObject({
      targets: [{ service: 'web', version: undefined, share: 1 }],
    });
  });
});
