/** Cases whose behaviour needs a set-up this world does not have, with where it is tested instead. */
export const NOT_PROBED: Readonly<Record<string, string>> = {
  'rollout-canary':
    "a rollout runs over time under the control plane's controller: test/rollout/canary-live.test.ts drives one on live traffic",
  'rollout-abTest':
    "a rollout runs over time under the control plane's controller: test/rollout/strategies-live.test.ts drives one on live traffic",
  'rollout-blueGreen':
    "a rollout runs over time under the control plane's controller: test/rollout/strategies-live.test.ts drives one on live traffic",
  'idle-timeout':
    'the case idles for 5 minutes before a connection may close: test/proxy/connection-timeouts.test.ts closes an idle upstream connection after idleTimeout 1s',
  'consistent-hash':
    'hashing needs several instances of the version and this world has one per version: test/proxy/upstream.test.ts keeps each x-user value on one instance and keys in place when another leaves',
  'retry-budget':
    'a budget shows only when retries run dry over its window: test/proxy/resilience.test.ts (500 always-503 requests reach the upstream exactly 630 times)',
};
