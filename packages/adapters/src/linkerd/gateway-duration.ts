import { durationMs } from '@anymesh/core';

/**
 * A neutral duration in Gateway API's duration syntax (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): no
 * fractions, at most five digits per unit. `1.5s` becomes `1s500ms`, `100000ms` becomes `1m40s`.
 */
export function gatewayDuration(text: string): string {
  let ms = durationMs(text);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) parts.push(`${n}${unit}`);
    ms -= n * size;
  }
  // Sub-millisecond remainders cannot be written; the schema allows none (durations are whole ms).
  if (ms > 0 || parts.length === 0) parts.push(`${Math.round(ms)}ms`);
  return parts.join('');
}
