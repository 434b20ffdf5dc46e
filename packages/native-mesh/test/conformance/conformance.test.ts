import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, type ConformanceCase } from '../../../adapters/test/conformance/case.js';
import { CASES } from '../../../adapters/test/conformance/cases.js';
import { loadTexts } from '@anymesh/core';
import { NATIVE_CAPABILITIES } from '../../src/capabilities.js';
import { createRootCA, type CertificateAuthority } from '../../src/identity/index.js';
import { startCollector, type Collector } from '../observability/collector.js';
import { checkAccessLive } from './access-checks.js';
import { LiveMesh } from './live-mesh.js';
import { NOT_PROBED } from './not-probed.js';
import { NEEDS_COLLECTOR, PROBES } from './probes.js';
import { checkRoutesLive } from './route-checks.js';

/**
 * The adapters' conformance cases (one definition of behaviour) run against live traffic through
 * real sidecars on 127.0.0.1. A case is skipped only with a stated reason: the native capability
 * table says `none` for one of its features, or it is listed in NOT_PROBED with the test that covers
 * it. A case with neither expectations, probe nor reason fails, so a new case cannot be skipped
 * silently. The run writes test-results/conformance-native.md.
 */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const VERSIONS = ['v1', 'v2', 'v3'] as const;

type Outcome = { case: ConformanceCase; result: 'passed' | 'failed' | 'skipped'; note: string };

function unsupported(c: ConformanceCase): string | undefined {
  const none = c.features.filter((f) => NATIVE_CAPABILITIES[f].level === 'none');
  if (none.length === 0) return undefined;
  return `capabilities say none: ${none.map((f) => `${f} (${NATIVE_CAPABILITIES[f].note})`).join('; ')}`;
}

function writeReport(unordered: readonly Outcome[]): void {
  const outcomes = [...unordered].sort((a, b) => CASES.indexOf(a.case) - CASES.indexOf(b.case));
  const dir = join(REPO_ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  const count = (r: Outcome['result']) => outcomes.filter((o) => o.result === r).length;
  const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '# Conformance report: native mesh (live traffic)',
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped of ${outcomes.length} cases.`,
    'Each case ran through real sidecars and echo apps on 127.0.0.1 (packages/native-mesh/test/conformance).',
    '',
    '| case | features | result | what was checked / why skipped |',
    '|---|---|---|---|',
    ...outcomes.map((o) => `| ${o.case.shortName} | ${o.case.features.join(', ')} | ${o.result} | ${cell(o.note)} |`),
    '',
  ];
  writeFileSync(join(dir, 'conformance-native.md'), lines.join('\n'));
}

describe('conformance on live traffic: native mesh', () => {
  const outcomes: Outcome[] = [];
  let mesh: LiveMesh | undefined;
  let collector: Collector | undefined;
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = (await createRootCA('cluster.local')).ca;
  });
  afterEach(async () => {
    await mesh?.close();
    await collector?.close();
    mesh = undefined;
    collector = undefined;
  });
  afterAll(() => writeReport(outcomes));

  for (const c of CASES) {
    const skip = unsupported(c) ?? NOT_PROBED[c.shortName];
    const probe = PROBES[c.shortName];
    if (skip !== undefined) {
      it.skip(`${c.shortName}: ${c.description}`, { meta: { skipReason: skip } }, () => {});
      outcomes.push({ case: c, result: 'skipped', note: skip });
      continue;
    }
    it(`${c.shortName}: ${c.description}`, async () => {
      try {
        expect(c.routes ?? c.access ?? probe, 'route or access expectations, a probe or a stated reason to skip').toBeDefined();
        // A fresh world per case: outlier ejections and breaker state outlive config versions. Every
        // sidecar has a mesh certificate, so the Mesh's mTLS mode (default strict) and identities apply.
        const accessLog: string[] = [];
        if (NEEDS_COLLECTOR.has(c.shortName)) collector = await startCollector();
        const extras = { accessLog: { write: (line: string) => accessLog.push(line) }, tracingEndpoint: collector?.url };
        mesh = await LiveMesh.start(VERSIONS, { ca, extras });
        const yaml = `${SERVICES}\n---\n${c.policies}`;
        mesh.load(yaml);
        const notes: string[] = [];
        if (c.routes) {
          const sent = await checkRoutesLive(mesh, VERSIONS, c.routes);
          notes.push(`${c.routes.length} expectations, ${sent} requests: versions, status, path and Host (or redirect) as expected`);
        }
        if (c.access) {
          const sent = await checkAccessLive(mesh, loadTexts([{ file: 'case.yaml', text: yaml }]).set, c.access);
          notes.push(`${sent} calls from verified identities allowed/denied (403) as core's compileAccess decides`);
        }
        if (probe) notes.push(await probe(mesh, { accessLog, collector }));
        outcomes.push({ case: c, result: 'passed', note: notes.join('; ') });
      } catch (error) {
        outcomes.push({ case: c, result: 'failed', note: (error as Error).message.split('\n')[0] ?? '' });
        throw error;
      }
    }, 120_000);
  }
});
