/** Consul splits are percentages with 0.01 granularity that must sum to exactly 100. */
export const HUNDREDTHS = 10_000;

export interface PercentShares {
  /** Percent per weight, multiples of 0.01, summing to exactly 100. */
  readonly percents: readonly number[];
  /** Indexes whose percent differs from the exact share weight/Σweights. */
  readonly rounded: readonly number[];
}

/**
 * Largest-remainder apportionment of relative integer weights into hundredths of a percent.
 * Integer arithmetic throughout, so the sum is exactly 10000 hundredths and each share is within
 * 0.01 of the exact one. Ties in the remainder go to the earlier weight (deterministic output).
 */
export function percentShares(weights: readonly number[]): PercentShares {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new RangeError('percentShares needs a positive total weight');
  const scaled = weights.map((w) => w * HUNDREDTHS);
  const hundredths = scaled.map((s) => Math.floor(s / total));
  let missing = HUNDREDTHS - hundredths.reduce((a, b) => a + b, 0);
  const byRemainder = scaled.map((s, i) => ({ i, remainder: s % total })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing === 0) break;
    hundredths[i]! += 1;
    missing -= 1;
  }
  return {
    percents: hundredths.map((h) => h / 100),
    rounded: scaled.flatMap((s, i) => (s % total === 0 ? [] : [i])),
  };
}
