import { describe, expect, it } from 'vitest';
import { loadTexts, type Diagnostic } from '../../src/index.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews }
spec: { ports: [{ port: 80 }], versions: { v1: { labels: { v: "1" } }, v2: { labels: { v: "2" } } } }
`;

/** Diagnostics of the service plus `docs` (YAML documents after it), as `CODE severity path line`. */
function diagnose(docs: string): string[] {
  const result = loadTexts([{ file: 'r.yaml', text: `${SERVICE}---\n${docs}` }]);
  return result.diagnostics.map((d: Diagnostic) => `${d.code} ${d.severity} ${d.path} ${d.line}`);
}

const rollout = (spec: string, name = 'reviews-v2') => `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: ${name} }
spec:
  service: reviews
${spec}
`;

describe('rollout validation', () => {
  it('accepts a pause without duration, also on the last step', () => {
    expect(
      diagnose(rollout('  from: v1\n  to: v2\n  strategy: { canary: { steps: [{ weight: 20, pause: {} }, { weight: 60, pause: {} }] } }')),
    ).toEqual([]);
  });

  it('refuses two rollouts of one service, naming where the first is', () => {
    const one = rollout('  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }', 'a');
    const two = rollout('  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }', 'b');
    const result = loadTexts([{ file: 'r.yaml', text: `${SERVICE}---\n${one}---\n${two}` }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path} ${d.line}`)).toEqual(['AM3009 spec.service 19']);
    expect(result.diagnostics[0]!.message).toContain('r.yaml:6');
  });

  it('refuses from/to versions the Service does not declare, at the field', () => {
    expect(diagnose(rollout('  from: v0\n  to: v9\n  strategy: { canary: { steps: [50] } }'))).toEqual([
      'AM3010 error spec.from 11',
      'AM3010 error spec.to 12',
    ]);
  });

  it('warns that a PromQL query is ignored without the prometheus provider', () => {
    const metrics = '    metrics: [{ name: success-rate, min: 99, query: "sum(x)" }]';
    expect(diagnose(rollout(`  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }\n  analysis:\n${metrics}`))).toEqual([
      'AM3017 warning spec.analysis.metrics[0].query 15',
    ]);
    const withSidecars = `  analysis:\n    provider: { sidecars: {} }\n${metrics}`;
    expect(diagnose(rollout(`  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }\n${withSidecars}`))).toEqual([
      'AM3017 warning spec.analysis.metrics[0].query 16',
    ]);
    const withPrometheus = `  analysis:\n    provider: { prometheus: { address: "http://127.0.0.1:9090" } }\n${metrics}`;
    expect(diagnose(rollout(`  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }\n${withPrometheus}`))).toEqual([]);
  });

  it('refuses two webhooks of one name', () => {
    const hooks = `  webhooks:
    - { name: gate, type: pre-rollout, url: "http://127.0.0.1:1/a" }
    - { name: other, type: rollback, url: "http://127.0.0.1:1/b" }
    - { name: gate, type: confirm-promotion, url: "http://127.0.0.1:1/c" }`;
    expect(diagnose(rollout(`  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }\n${hooks}`))).toEqual([
      'AM3018 error spec.webhooks[2].name 17',
    ]);
  });

  it('refuses a progress deadline no longer than the interval (default interval 30s)', () => {
    const analysis = (a: string) =>
      rollout(
        `  from: v1\n  to: v2\n  strategy: { canary: { steps: [50] } }\n  analysis: { ${a}metrics: [{ name: success-rate, min: 99 }] }`,
      );
    expect(diagnose(analysis('progressDeadline: 30s, '))).toEqual(['AM3020 error spec.analysis.progressDeadline 14']);
    expect(diagnose(analysis('interval: 2m, progressDeadline: 1m, '))).toEqual(['AM3020 error spec.analysis.progressDeadline 14']);
    expect(diagnose(analysis('progressDeadline: 31s, '))).toEqual([]);
  });

  it('warns when the route matches on a header the cohort or the preview uses', () => {
    const route = `apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews }
spec:
  service: reviews
  rules:
    - { matches: [{ headers: { X-Preview: { present: true }, cookie: { present: true } } }], destinations: [{ version: v1 }] }
---
`;
    const ab = rollout('  from: v1\n  to: v2\n  strategy: { abTest: { match: [{ cookie: { name: t, value: "1" } }] } }');
    const d = loadTexts([{ file: 'r.yaml', text: `${SERVICE}---\n${route}${ab}` }]).diagnostics;
    expect(d.map((x) => `${x.code} ${x.severity} ${x.path}`)).toEqual(['AM3019 warning spec.strategy.abTest.match']);
    expect(d[0]!.message).toContain('also matches on cookie');
    const bg = rollout('  from: v1\n  to: v2\n  strategy: { blueGreen: { previewHeader: x-preview } }');
    expect(loadTexts([{ file: 'r.yaml', text: `${SERVICE}---\n${route}${bg}` }]).diagnostics.map((x) => x.code)).toEqual(['AM3019']);
    const other = rollout('  from: v1\n  to: v2\n  strategy: { abTest: { match: [{ headers: { x-beta: { exact: "1" } } }] } }');
    expect(loadTexts([{ file: 'r.yaml', text: `${SERVICE}---\n${route}${other}` }]).diagnostics).toEqual([]);
  });
});
