import type { MeshName } from '../../src/index.js';

/**
 * Issue 3: the fidelity property tests run at least this many generated cases (policy sets, each
 * with several requests) per mesh on every CI run. `fidelity-budget.test.ts` checks the plan below
 * adds up to it, and every property writes what it really ran to `test-results/fidelity-<mesh>.md`.
 */
export const FIDELITY_RUNS_PER_MESH = 1000;

/** One fidelity property of one mesh: what it compares and how many cases it generates. */
export interface FidelityProperty {
  readonly description: string;
  readonly runs: number;
}

/**
 * The per-mesh split of the budget between route and access properties. Every fidelity test takes
 * its `numRuns` from here, so the total per mesh is visible in one place.
 */
export const FIDELITY_PLAN = {
  istio: {
    route: { description: 'route fidelity, shared harness, every output CRD-validated', runs: 600 },
    access: { description: 'access fidelity, shared harness', runs: 400 },
  },
  linkerd: {
    route: { description: 'route fidelity, shared harness', runs: 400 },
    'route-precedence': { description: 'route fidelity, skipping only decision-changing gaps', runs: 600 },
    access: { description: 'inbound access fidelity, both mTLS modes', runs: 500 },
  },
  consul: {
    route: { description: 'route fidelity, shared harness', runs: 400 },
    'route-split': { description: 'router/splitter fidelity: targets, shares to 0.01%, rewritten path', runs: 300 },
    'route-timeout': { description: 'request timeout of the selected route', runs: 200 },
    'access-exact': { description: 'intentions equal compileAccess under either ACL default', runs: 400 },
    'access-fail-closed': { description: 'with version sources: never allows more, reports every difference', runs: 400 },
  },
} as const satisfies Record<MeshName, Readonly<Record<string, FidelityProperty>>>;

export type FidelityPropertyName<M extends MeshName> = keyof (typeof FIDELITY_PLAN)[M] & string;

/**
 * Scales every property's runs for mutation testing only (`pnpm test:mutation` sets it below 1 so
 * each mutant's run stays short); CI and `pnpm test` leave it unset, i.e. the full plan.
 */
const RUNS_SCALE = Number(process.env.FIDELITY_RUNS_SCALE ?? '1');

/** The number of cases a property runs, from the plan. */
export function fidelityRuns<M extends MeshName>(mesh: M, property: FidelityPropertyName<M>): number {
  const runs = (FIDELITY_PLAN[mesh] as Record<string, FidelityProperty>)[property]!.runs;
  return RUNS_SCALE > 0 && RUNS_SCALE < 1 ? Math.max(1, Math.round(runs * RUNS_SCALE)) : runs;
}
