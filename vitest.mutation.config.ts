import { defineConfig } from 'vitest/config';

/**
 * The killing suite of `pnpm test:mutation` (docs/adapters/mutation.md): the fidelity properties,
 * the conformance cases, the golden files and the evaluators' own unit tests of the adapters.
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
      'packages/adapters/test/conformance/conformance.test.ts',
      'packages/adapters/test/evaluators/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
