import { describe, expect, it } from 'vitest';
import { linkerdAdapter } from '../src/linkerd/index.js';
import { loadValid } from './consul-support.js';

/** A case-insensitive prefix is a regex in Linkerd and outranks a longer prefix on length: reported, not repairable. */
function translate(fillers: number, longerMatches: string, secondLonger?: string) {
  const exact = Array.from(
    { length: fillers },
    (_, i) => `    - matches: [{ path: { exact: /filler-${i} } }]\n      destinations: [{ version: v1 }]`,
  );
  const set = loadValid(
    `
apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
---
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules:
${[...exact, `    - matches: [{ path: { prefix: /Case, ignoreCase: true } }]\n      destinations: [{ version: v2 }]`, `    - matches: ${longerMatches}\n      destinations: [{ version: v1 }]`, ...(secondLonger ? [`    - matches: ${secondLonger}\n      destinations: [{ version: v1 }]`] : [])].join('\n')}
`,
    'precedence.yaml',
  );
  return linkerdAdapter.translate(set).diagnostics.filter((d) => d.feature === 'route.precedence');
}

describe('Linkerd precedence gaps', () => {
  it('reports each pair of rules', () => {
    const found = translate(0, '[{ path: { prefix: /case/deeper } }]', '[{ path: { prefix: /case/other } }]');
    expect(found.map((d) => d.path)).toEqual(['spec.rules[1].matches[0]', 'spec.rules[2].matches[0]']);
  });

  it('reports a pair of rules once, at the neutral winner, naming both matches', () => {
    const found = translate(0, '[{ path: { prefix: /case/deeper } }, { path: { prefix: /case/other } }]');
    expect(found.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'AM4002',
        'spec.rules[1].matches[0]',
        'linkerd approximates route.precedence: a request matching both spec.rules[1].matches[0] and spec.rules[0].matches[0] goes to the first in anymesh, but may go to the second in Linkerd: Linkerd ranks by matched path length (an exact or regex match counts the whole path, a prefix only itself), then method, headers and query parameters',
      ],
    ]);
  });
});
