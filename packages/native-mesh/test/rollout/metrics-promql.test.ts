import { describe, expect, it } from 'vitest';
import { builtInQuery, fillTemplate, MetricsError, parseAnswer } from '../../src/rollout/metrics/index.js';

const Q = 'sum(rate(x[30s]))';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsError);
    expect((error as MetricsError).query).toBe(Q);
    expect((error as MetricsError).message).toContain(Q);
    return (error as MetricsError).code;
  }
  throw new Error('no error');
}

describe("parsing Prometheus' query answers strictly", () => {
  const vector = (...values: string[]) =>
    JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [1, v] })) } });

  it('takes the one finite value of a vector or a scalar', () => {
    expect(parseAnswer(Q, 200, vector('97.5'))).toBe(97.5);
    expect(parseAnswer(Q, 200, JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }))).toBe(3);
  });

  it('refuses no series, several series, NaN and infinities as "no value"', () => {
    expect(codeOf(() => parseAnswer(Q, 200, vector()))).toBe('NO_VALUE');
    expect(codeOf(() => parseAnswer(Q, 200, vector('1', '2')))).toBe('NO_VALUE');
    expect(codeOf(() => parseAnswer(Q, 200, vector('NaN')))).toBe('NO_VALUE');
    expect(codeOf(() => parseAnswer(Q, 200, vector('+Inf')))).toBe('NO_VALUE');
  });

  it('reports an error answer with its type and message', () => {
    const answer = JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' });
    expect(codeOf(() => parseAnswer(Q, 400, answer))).toBe('QUERY_FAILED');
  });

  it('refuses bodies that are not the documented format', () => {
    expect(codeOf(() => parseAnswer(Q, 200, 'hello'))).toBe('MALFORMED_ANSWER');
    expect(codeOf(() => parseAnswer(Q, 200, '[]'))).toBe('MALFORMED_ANSWER');
    expect(codeOf(() => parseAnswer(Q, 200, JSON.stringify({ status: 'success' })))).toBe('MALFORMED_ANSWER');
    expect(codeOf(() => parseAnswer(Q, 200, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })))).toBe(
      'MALFORMED_ANSWER',
    );
    expect(
      codeOf(() => parseAnswer(Q, 200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ value: [1, 2] }] } }))),
    ).toBe('MALFORMED_ANSWER');
    expect(codeOf(() => parseAnswer(Q, 502, '<html>bad gateway</html>'))).toBe('PROMETHEUS_UNREACHABLE');
  });
});

describe('queries', () => {
  const scope = { namespace: 'shop', service: 'reviews', version: 'v3', interval: '30s' };

  it('fills every placeholder, spaces allowed, and refuses unknown ones', () => {
    expect(fillTemplate('x{ns="{{namespace}}",s="{{ service }}",v="{{version}}"}[{{interval}}]', scope)).toBe(
      'x{ns="shop",s="reviews",v="v3"}[30s]',
    );
    expect(() => fillTemplate('x{pod="{{pod}}"}', scope)).toThrow(/\{\{pod\}\}/);
  });

  it('selects the version by namespace, service and version over the window in every built-in query', () => {
    for (const metric of ['success-rate', 'latency-p50', 'latency-p99', 'request-rate'] as const) {
      const query = builtInQuery(metric, scope);
      expect(query).toContain('destination_namespace="shop",destination_service="reviews",destination_version="v3"');
      expect(query).toContain('[30s]');
    }
  });
});
