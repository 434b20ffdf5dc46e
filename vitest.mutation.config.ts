import { defineConfig } from 'vitest/config';

/**
 * The killing suite of `pnpm test:mutation` (docs/adapters/mutation.md): the fidelity properties,
 * the conformance cases, the golden files, the evaluators' own unit tests, the oracle's and the
 * precedence module's unit tests, and the tests of generated names and split merging.
 */
export default defineConfig({
  test: {
    include: [
      'packages/adapters/test/istio/fidelity.test.ts',
      'packages/adapters/test/istio/golden.test.ts',
      'packages/adapters/test/linkerd.fidelity.test.ts',
      'packages/adapters/test/linkerd.golden.test.ts',
      'packages/adapters/test/linkerd.traps.test.ts',
      'packages/adapters/test/consul.shared-fidelity.test.ts',
      'packages/adapters/test/consul.route-fidelity.test.ts',
      'packages/adapters/test/consul.golden.test.ts',
      'packages/adapters/test/consul.split-percent.test.ts',
      'packages/adapters/test/consul.duplicate-split.test.ts',
      'packages/adapters/test/consul.names.test.ts',
      'packages/adapters/test/consul.router.test.ts',
      'packages/adapters/test/consul.splitter.test.ts',
      'packages/adapters/test/linkerd.backends.test.ts',
      'packages/adapters/test/linkerd.chunking.test.ts',
      'packages/adapters/test/linkerd.names.test.ts',
      'packages/adapters/test/linkerd.precedence.test.ts',
      'packages/adapters/test/linkerd.precedence-report.test.ts',
      'packages/adapters/test/neutral-decision.test.ts',
      'packages/adapters/test/conformance/conformance.test.ts',
      'packages/adapters/test/evaluators/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
