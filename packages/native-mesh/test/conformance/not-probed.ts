/** Cases whose behaviour needs a set-up this world does not have, with where it is tested instead. */
export const NOT_PROBED: Readonly<Record<string, string>> = {
  'retry-budget':
    'a budget shows only when retries run dry over its window: test/proxy/resilience.test.ts (500 always-503 requests reach the upstream exactly 630 times)',
};
