import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '@anymesh/core';
import { join } from 'node:path';
import { LINKERD_CAPABILITIES, linkerdAdapter } from '../src/linkerd/index.js';
import { goldenCases, loadBookstore, loadFiles } from './support/policy-cases.js';

const TESTDATA = join(import.meta.dirname, '..', 'src', 'linkerd', 'testdata');

describe('Linkerd capabilities', () => {
  it('has a one-line note for every feature of the registry', () => {
    for (const f of FEATURE_NAMES) {
      expect(LINKERD_CAPABILITIES[f].note.length, f).toBeGreaterThan(10);
      expect(LINKERD_CAPABILITIES[f].note, f).not.toMatch(/\n/);
    }
  });

  it('never reports a feature it claims to support fully as unsupported or approximated, over every golden input', () => {
    const sets = [...goldenCases(TESTDATA).map((c) => loadFiles([c.input]).set), loadBookstore().set];
    for (const set of sets) {
      for (const d of linkerdAdapter.translate(set).diagnostics) {
        if (d.feature === undefined || (d.code !== 'AM4001' && d.code !== 'AM4002')) continue;
        expect(LINKERD_CAPABILITIES[d.feature].level, `${d.feature}: ${d.message}`).not.toBe('full');
      }
    }
  });

  it('reports every feature it claims none for when a policy uses it', () => {
    const { set } = loadBookstore();
    const reported = new Set(
      linkerdAdapter
        .translate(set)
        .diagnostics.filter((d) => d.code === 'AM4001')
        .map((d) => d.feature),
    );
    for (const f of ['mirror', 'rewrite.path', 'rewrite.host', 'fault.delay', 'fault.abort', 'circuitBreaker', 'retry.budget'] as const) {
      expect(LINKERD_CAPABILITIES[f].level).toBe('none');
      expect(reported.has(f), f).toBe(true);
    }
  });
});
