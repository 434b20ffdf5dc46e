import { describe, expect, it } from 'vitest';
import { loadTexts } from '../src/index.js';

const SERVICE = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: web, namespace: demo }
spec:
  ports: [{ port: 8080, protocol: http }]
`;
const route = (rule: object) =>
  `${SERVICE}---\n${JSON.stringify({ apiVersion: 'anymesh.io/v1alpha1', kind: 'TrafficRoute', metadata: { name: 'web', namespace: 'demo' }, spec: { service: 'web', rules: [rule] } })}\n`;
const findings = (text: string) => loadTexts([{ file: 'edge.yaml', text }]).diagnostics.map((d) => `${d.code} ${d.path}`);

describe('values no mesh can carry are refused with a clear error (translation fidelity, issue 10)', () => {
  it('refuses a timeout below 1ms, which Istio rejects and Gateway API would write as "0ms" (no timeout)', () => {
    const result = loadTexts([{ file: 'edge.yaml', text: route({ timeout: '0.4ms' }) }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual(['AM3007 spec.rules[0].timeout']);
    expect(result.diagnostics[0]!.message).toMatch(/0\.4ms, not a whole number of milliseconds.*use "1ms"/);
  });

  it('refuses durations finer than a millisecond anywhere a timeout or backoff is written', () => {
    expect(findings(route({ timeout: '1.5ms' }))).toEqual(['AM3007 spec.rules[0].timeout']);
    expect(
      findings(route({ timeout: '2s', retries: { attempts: 2, perTryTimeout: '0.5ms', backoff: { baseInterval: '2.5ms' } } })),
    ).toEqual(['AM3007 spec.rules[0].retries.perTryTimeout', 'AM3007 spec.rules[0].retries.backoff.baseInterval']);
  });

  it('accepts whole milliseconds, including fractions of larger units', () => {
    expect(findings(route({ timeout: '1ms' }))).toEqual([]);
    expect(findings(route({ timeout: '1.5s', retries: { attempts: 1, perTryTimeout: '0.25s' } }))).toEqual([]);
  });

  it('refuses an empty exact header or query value and accepts regex "^$" for "present and empty"', () => {
    const empty = { matches: [{ headers: { 'x-user': { exact: '' } }, queryParams: { q: { exact: '' } } }] };
    expect(findings(route(empty))).toEqual([
      'AM2004 spec.rules[0].matches[0].headers.x-user.exact',
      'AM2004 spec.rules[0].matches[0].queryParams.q.exact',
    ]);
    expect(findings(route({ matches: [{ headers: { 'x-user': { regex: '^$' } }, queryParams: { q: { regex: '^$' } } }] }))).toEqual([]);
  });
});
