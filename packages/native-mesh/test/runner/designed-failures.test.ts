import { loadTexts, readSources } from '@anymesh/core';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { designedFailures } from '../../src/runner/designed-failures.js';

const BOOKSTORE = fileURLToPath(new URL('../../../../examples/bookstore', import.meta.url));
const TWO_SERVICES = fileURLToPath(new URL('./fixtures/two-services', import.meta.url));

async function setOf(dir: string) {
  const { sources, diagnostics } = await readSources([dir]);
  return loadTexts(sources, diagnostics).set;
}

describe('why demo requests fail by design', () => {
  it("names the bookstore's fault rule and its failing version", async () => {
    expect(designedFailures(await setOf(BOOKSTORE))).toEqual([
      'fault rule bookstore/ratings rule chaos answers 503 to 10% of the requests it matches',
      'reviews-v3 fails 20% of its requests (ERROR_RATE)',
    ]);
  });

  it('names nothing when no policy or app fails on purpose', async () => {
    expect(designedFailures(await setOf(TWO_SERVICES))).toEqual([]);
  });
});
