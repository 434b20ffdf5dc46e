import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, KINDS, loadPolicies } from '../src/index.js';

const examples = join(import.meta.dirname, '..', '..', '..', 'examples');
/** The bookstore with its rollouts, which live beside it so `anymesh up examples/bookstore` does not start them. */
const bookstore = [join(examples, 'bookstore'), join(examples, 'rollouts')];

describe('examples/bookstore (with examples/rollouts)', () => {
  it('validates with no diagnostics at all', async () => {
    const result = await loadPolicies(bookstore);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('uses every kind of the model', async () => {
    const { set } = await loadPolicies(bookstore);
    const kinds = new Set(set.objects.map((o) => o.object.kind));
    expect([...kinds].sort()).toEqual([...KINDS].sort());
  });

  it('exercises the route, resilience and access features the model offers', async () => {
    const { set } = await loadPolicies(bookstore);
    const text = JSON.stringify(set.objects.map((o) => o.object));
    for (const field of [
      '"exact"',
      '"prefix"',
      '"regex"',
      '"present"',
      '"absent"',
      '"queryParams"',
      '"method"',
      '"ignoreCase"',
      '"weight"',
      '"mirror"',
      '"rewrite"',
      '"redirect"',
      '"requestHeaders"',
      '"responseHeaders"',
      '"delay"',
      '"abort"',
      '"timeout"',
      '"perTryTimeout"',
      '"statusCodes"',
      '"retryBudget"',
      '"circuitBreaker"',
      '"outlierDetection"',
      '"consistentHash"',
      '"failover"',
      '"connectTimeout"',
      '"idleTimeout"',
      '"requestTimeout"',
      '"backoff"',
      '"deny"',
      '"audit"',
      '"version"',
      '"namespace"',
      '"ports"',
      '"paths"',
      '"canary"',
      '"abTest"',
      '"blueGreen"',
    ]) {
      expect(text, `bookstore should use ${field}`).toContain(field);
    }
    expect(FEATURE_NAMES.length).toBeGreaterThan(40);
  });
});
