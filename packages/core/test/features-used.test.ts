import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, featuresUsed, formatFieldPath, loadPolicies } from '../src/index.js';

/** The bookstore with its rollouts (kept beside it so `anymesh up examples/bookstore` does not start them). */
const BOOKSTORE = ['bookstore', 'rollouts'].map((dir) => join(import.meta.dirname, '..', '..', '..', 'examples', dir));

describe('featuresUsed', () => {
  it('finds every feature of the registry in the bookstore example except the ones it cannot use at once', async () => {
    const { set } = await loadPolicies(BOOKSTORE);
    const used = new Set(featuresUsed(set).map((u) => u.feature));
    // A mesh has one mTLS mode: the bookstore is strict.
    const exclusive = ['mtls.permissive', 'mtls.disabled'];
    expect(FEATURE_NAMES.filter((f) => !used.has(f) && !exclusive.includes(f))).toEqual([]);
  });

  it('points each use at the field that carries it', async () => {
    const { set } = await loadPolicies(BOOKSTORE);
    const mirror = featuresUsed(set).find((u) => u.feature === 'mirror')!;
    expect(`${mirror.object.object.metadata.name} ${formatFieldPath(mirror.path)}`).toBe('reviews spec.rules[1].mirror');
    expect(mirror.object.positionOf(mirror.path).line).toBeGreaterThan(1);
  });
});
