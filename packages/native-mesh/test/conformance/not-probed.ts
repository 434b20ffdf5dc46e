/** Cases whose behaviour needs a set-up this world does not have, with where it is tested instead. */
export const NOT_PROBED: Readonly<Record<string, string>> = {
  'rollout-canary':
    "a rollout runs over time under the control plane's controller: test/rollout/canary-live.test.ts drives one on live traffic",
  'rollout-abTest':
    "a rollout runs over time under the control plane's controller: test/rollout/strategies-live.test.ts drives one on live traffic",
  'rollout-blueGreen':
    "a rollout runs over time under the control plane's controller: test/rollout/strategies-live.test.ts drives one on live traffic",
  'retry-budget':
    'a budget shows only when retries run dry over its window: test/proxy/resilience.test.ts (500 always-503 requests reach the upstream exactly 630 times)',
};
