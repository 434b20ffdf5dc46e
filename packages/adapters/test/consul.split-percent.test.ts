import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentShares } from '../src/consul/split-percent.js';

const weights = fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 });

describe('Consul split percentages', () => {
  it('sum to exactly 100.00 in hundredths for any positive weights', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        const hundredths = percentShares(ws).percents.map((p) => Math.round(p * 100));
        expect(hundredths.reduce((a, b) => a + b, 0)).toBe(10_000);
      }),
    );
  });

  it('are multiples of 0.01 that print without float noise', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        for (const p of percentShares(ws).percents) expect(String(p)).toMatch(/^\d+(\.\d{1,2})?$/);
      }),
    );
  });

  it('stay within 0.01 of the exact share and report exactly the shares that changed', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        const total = ws.reduce((a, b) => a + b, 0);
        const { percents, rounded } = percentShares(ws);
        ws.forEach((w, i) => {
          const exact = (w * 100) / total;
          expect(Math.abs(percents[i]! - exact)).toBeLessThan(0.01 + 1e-9);
          expect(rounded.includes(i)).toBe((w * 10_000) % total !== 0);
        });
      }),
    );
  });

  it('refuses weights without a positive total rather than dividing by zero', () => {
    expect(() => percentShares([0, 0])).toThrow(new RangeError('percentShares needs a positive total weight'));
    expect(() => percentShares([])).toThrow(RangeError);
  });

  it('gives the rounding remainder to the largest remainders, earlier weight first on ties', () => {
    expect(percentShares([1, 1, 1]).percents).toEqual([33.34, 33.33, 33.33]);
    expect(percentShares([80, 15, 5]).percents).toEqual([80, 15, 5]);
    expect(percentShares([1, 2]).percents).toEqual([33.33, 66.67]);
    // The largest remainder, not the largest weight, gets the hundredth: 16.666… → 16.67, 83.333… → 83.33.
    expect(percentShares([1, 5]).percents).toEqual([16.67, 83.33]);
  });
});
