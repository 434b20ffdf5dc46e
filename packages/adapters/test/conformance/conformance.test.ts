import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featuresUsed, type FeatureName } from '@anymesh/core';
import { ADAPTERS, type Adapter, type Translation } from '../../src/index.js';
import { validateManifest } from '../support/crd-validator.js';
import { loadYaml, REPO_ROOT } from '../support/policy-cases.js';
import { expectAccess, expectAudit } from './access.js';
import { expectMtls } from './mtls.js';
import { expectEffects, expectRoutes, SERVICES, type ConformanceCase } from './case.js';
import { CASES } from './cases.js';
import { expectObservability, expectUpstream } from './upstream.js';

type Outcome = { case: ConformanceCase; result: 'passed' | 'failed' | 'skipped'; reason?: string };

function unsupportedFeatures(adapter: Adapter, c: ConformanceCase): FeatureName[] {
  return c.features.filter((f) => adapter.capabilities[f].level === 'none');
}

/** What every translation must satisfy whatever the case: capability claims kept, CRD-valid, labelled. */
function genericChecks(adapter: Adapter, c: ConformanceCase, t: Translation): void {
  for (const f of c.features) {
    if (adapter.capabilities[f].level !== 'full') continue;
    const gaps = t.diagnostics.filter((d) => d.feature === f && (d.code === 'AM4001' || d.code === 'AM4002'));
    expect(gaps, `${adapter.name} claims full support for ${f}, so it must not report it unsupported or approximated`).toEqual([]);
  }
  for (const m of t.manifests) {
    expect(m.metadata.labels?.['app.kubernetes.io/managed-by'], `${m.kind}/${m.metadata.name} is labelled managed-by anymesh`).toBe(
      'anymesh',
    );
    expect(validateManifest(m), `${m.kind}/${m.metadata.name} against its upstream CRD`).toEqual([]);
  }
}

function writeReport(adapter: Adapter, outcomes: readonly Outcome[]): void {
  const dir = join(REPO_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  const count = (r: Outcome['result']) => outcomes.filter((o) => o.result === r).length;
  const lines = [
    `# Conformance report: ${adapter.displayName}`,
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped of ${outcomes.length} cases.`,
    '',
    '| case | features | result | note |',
    '|---|---|---|---|',
    ...outcomes.map((o) => `| ${o.case.shortName} | ${o.case.features.join(', ')} | ${o.result} | ${o.reason ?? ''} |`),
    '',
  ];
  writeFileSync(join(dir, `conformance-${adapter.name}.md`), lines.join('\n'));
}

for (const adapter of ADAPTERS) {
  // Generous timeout: the first case of a run loads and compiles the upstream CRD schemas.
  describe(`conformance: ${adapter.displayName}`, { timeout: 120_000 }, () => {
    const outcomes: Outcome[] = [];
    beforeAll(() => {
      // Load the CRD index up front (a hook has its own, longer timeout), not inside the first case.
      validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warm-up' } });
    }, 120_000);
    afterAll(() => writeReport(adapter, outcomes));

    for (const c of CASES) {
      const none = unsupportedFeatures(adapter, c);
      const title = none.length
        ? `${c.shortName}: reports AM4001 for ${none.join(', ')} (case skipped: ${adapter.name} capabilities say none)`
        : `${c.shortName}: ${c.description}`;
      it(title, () => {
        const loaded = loadYaml(`${SERVICES}\n---\n${c.policies}`, `${c.shortName}.yaml`);
        try {
          expect(
            loaded.diagnostics.filter((d) => d.severity === 'error'),
            'the case policies are valid',
          ).toEqual([]);
          const used = new Set(featuresUsed(loaded.set).map((u) => u.feature));
          for (const f of c.features) expect(used.has(f), `the case really uses ${f}`).toBe(true);
          const t = adapter.translate(loaded.set);
          if (none.length) {
            for (const f of none)
              expect(
                t.diagnostics.some((d) => d.code === 'AM4001' && d.feature === f),
                `AM4001 for ${f}`,
              ).toBe(true);
            outcomes.push({ case: c, result: 'skipped', reason: `capabilities say none for ${none.join(', ')}; AM4001 reported` });
            return;
          }
          genericChecks(adapter, c, t);
          if (c.routes) expectRoutes(t, adapter, c.routes, loaded.set);
          if (c.effects) expectEffects(t, adapter, c.effects, loaded.set);
          if (c.mtls) expectMtls(t, adapter, c.mtls);
          if (c.access) expectAccess(t, adapter, loaded.set, c.features, c.access);
          if (c.audit) expectAudit(t, adapter, loaded.set, c.audit);
          if (c.upstream) expectUpstream(t, adapter, loaded.set, c.upstream);
          if (c.observability) expectObservability(t, adapter, loaded.set, c.observability);
          c.check?.(t, adapter, loaded.set);
          outcomes.push({ case: c, result: 'passed' });
        } catch (error) {
          outcomes.push({ case: c, result: 'failed', reason: (error as Error).message.split('\n')[0]?.replaceAll('|', '\\|') });
          throw error;
        }
      });
    }
  });
}
