import { expect } from 'vitest';
import { SOURCE_ANNOTATION, type Translation } from '../../src/index.js';
import { expectDiagnostic, toWeb, type ConformanceCase } from './case.js';

const route = (rules: string) => `
apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: web, namespace: shop }
spec:
  service: web
  rules:
${rules}`;

const policy = (spec: string, version = '') => `
apiVersion: anymesh.io/v1alpha1
kind: TrafficPolicy
metadata: { name: web${version ? `-${version}` : ''}, namespace: shop }
spec:
  target: { service: web${version ? `, version: ${version}` : ''} }
${spec}`;

const access = (rules: string, mode = 'enforce') => `
apiVersion: anymesh.io/v1alpha1
kind: AccessPolicy
metadata: { name: web, namespace: shop }
spec:
  mode: ${mode}
  rules:
${rules}`;

const mesh = (spec: string) => `
apiVersion: anymesh.io/v1alpha1
kind: Mesh
metadata: { name: mesh }
spec:
${spec}`;

/** Some generated manifest names the neutral object as its source. */
function expectSourced(t: Translation, ref: string): void {
  const sourced = t.manifests.some((m) => (m.metadata.annotations?.[SOURCE_ANNOTATION] ?? '').split(',').includes(ref));
  expect(sourced, `a manifest sourced from ${ref}`).toBe(true);
}

const ALL = { '*': 1 };
const HEADERS_OK = { 'x-a': 'one', 'x-b': 'prefix', 'x-c': '123', 'x-d': '' };

export const CASES: readonly ConformanceCase[] = [
  {
    shortName: 'path-exact',
    description: 'An exact path routes only that path, case-sensitively, without trailing-slash folding.',
    features: ['route.pathExact', 'split.versions'],
    policies: route(`    - matches: [{ path: { exact: /a/b } }]\n      destinations: [{ version: v2 }]`),
    routes: [
      [{ path: '/a/b' }, toWeb({ v2: 1 })],
      [{ path: '/a/b/' }, toWeb(ALL)],
      [{ path: '/A/b' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'path-prefix-segments',
    description: 'A path prefix matches whole segments: /a matches /a, /a/ and /a/x but not /ab.',
    features: ['route.pathPrefix', 'split.versions'],
    policies: route(`    - matches: [{ path: { prefix: /a } }]\n      destinations: [{ version: v2 }]`),
    routes: [
      [{ path: '/a' }, toWeb({ v2: 1 })],
      [{ path: '/a/' }, toWeb({ v2: 1 })],
      [{ path: '/a/x/y' }, toWeb({ v2: 1 })],
      [{ path: '/ab' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'path-regex-anchored',
    description: 'A path regex must match the whole path.',
    features: ['route.pathRegex', 'split.versions'],
    policies: route(`    - matches: [{ path: { regex: '/items/[0-9]+' } }]\n      destinations: [{ version: v3 }]`),
    routes: [
      [{ path: '/items/42' }, toWeb({ v3: 1 })],
      [{ path: '/items/42/x' }, toWeb(ALL)],
      [{ path: '/x/items/42' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'path-ignore-case',
    description: 'ignoreCase makes exact and prefix path matches case-insensitive.',
    features: ['route.pathIgnoreCase', 'route.pathPrefix'],
    policies: route(`    - matches: [{ path: { prefix: /Admin, ignoreCase: true } }]\n      destinations: [{ version: v2 }]`),
    routes: [
      [{ path: '/ADMIN/x' }, toWeb({ v2: 1 })],
      [{ path: '/admin' }, toWeb({ v2: 1 })],
      [{ path: '/adminx' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'header-matches',
    description: 'Header exact, prefix, regex, present and absent conditions, ANDed inside one match.',
    features: ['route.headerExact', 'route.headerPrefix', 'route.headerRegex', 'route.headerPresent', 'route.headerAbsent'],
    policies: route(
      `    - matches: [{ headers: { x-a: { exact: one }, x-b: { prefix: pre }, x-c: { regex: '[0-9]+' }, x-d: { present: true }, x-e: { absent: true } } }]\n      destinations: [{ version: v2 }]`,
    ),
    routes: [
      [{ path: '/', headers: HEADERS_OK }, toWeb({ v2: 1 })],
      [{ path: '/', headers: { ...HEADERS_OK, 'x-e': 'set' } }, toWeb(ALL)],
      [{ path: '/', headers: { ...HEADERS_OK, 'x-c': '12a' } }, toWeb(ALL)],
      [{ path: '/', headers: { 'x-a': 'one', 'x-b': 'prefix', 'x-c': '1' } }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'query-and-method',
    description: 'Query parameter and method conditions.',
    features: ['route.queryParam', 'route.method'],
    policies: route(
      `    - matches: [{ method: POST, queryParams: { q: { exact: 'yes' }, debug: { present: true } } }]\n      destinations: [{ version: v3 }]`,
    ),
    routes: [
      [{ path: '/', method: 'POST', query: { q: 'yes', debug: '' } }, toWeb({ v3: 1 })],
      [{ path: '/', method: 'GET', query: { q: 'yes', debug: '1' } }, toWeb(ALL)],
      [{ path: '/', method: 'POST', query: { q: 'yes' } }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'precedence-specificity',
    description: 'The most specific match wins regardless of rule order: exact > regex > longer prefix > method > headers.',
    features: ['route.precedence', 'route.pathPrefix', 'route.pathExact', 'route.headerExact', 'route.method'],
    policies: route(
      [
        `    - matches: [{ headers: { x-u: { exact: '1' } } }]\n      destinations: [{ version: v1 }]`,
        `    - matches: [{ path: { prefix: /a } }]\n      destinations: [{ version: v2 }]`,
        `    - matches: [{ path: { prefix: /a/b } }]\n      destinations: [{ version: v3 }]`,
        `    - matches: [{ path: { exact: /a/b/c } }]\n      destinations: [{ version: v1 }]`,
        `    - matches: [{ path: { prefix: /a }, method: POST }]\n      destinations: [{ version: v1, weight: 1 }, { version: v3, weight: 1 }]`,
      ].join('\n'),
    ),
    routes: [
      [{ path: '/a/b/c', headers: { 'x-u': '1' } }, toWeb({ v1: 1 })],
      [{ path: '/a/b/x', headers: { 'x-u': '1' } }, toWeb({ v3: 1 })],
      [{ path: '/a/x', headers: { 'x-u': '1' } }, toWeb({ v2: 1 })],
      [{ path: '/a/x', method: 'POST' }, toWeb({ v1: 0.5, v3: 0.5 })],
      [{ path: '/z', headers: { 'x-u': '1' } }, toWeb({ v1: 1 })],
      [{ path: '/z' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'precedence-ties-by-rule-order',
    description: 'Equally specific matches go to the earlier rule.',
    features: ['route.precedence', 'route.headerExact'],
    policies: route(
      `    - matches: [{ headers: { x-a: { exact: '1' } } }]\n      destinations: [{ version: v2 }]\n    - matches: [{ headers: { x-b: { exact: '1' } } }]\n      destinations: [{ version: v3 }]`,
    ),
    routes: [[{ path: '/', headers: { 'x-a': '1', 'x-b': '1' } }, toWeb({ v2: 1 })]],
  },
  {
    shortName: 'weighted-split',
    description: 'Weights are relative integers: 1:3 sends a quarter and three quarters; weight 0 sends nothing.',
    features: ['split.weighted', 'split.versions'],
    policies: route(`    - destinations: [{ version: v1, weight: 1 }, { version: v2, weight: 3 }, { version: v3, weight: 0 }]`),
    routes: [[{ path: '/any' }, toWeb({ v1: 0.25, v2: 0.75 })]],
  },
  {
    shortName: 'rewrite-path-prefix',
    description: 'A prefix rewrite replaces the matched segment prefix.',
    features: ['rewrite.path', 'route.pathPrefix'],
    policies: route(`    - matches: [{ path: { prefix: /old } }]\n      rewrite: { pathPrefix: /new/v2 }`),
    routes: [
      [{ path: '/old' }, toWeb(ALL, '/new/v2')],
      [{ path: '/old/x/y' }, toWeb(ALL, '/new/v2/x/y')],
      [{ path: '/older' }, toWeb(ALL)],
    ],
  },
  {
    shortName: 'rewrite-full-path-and-host',
    description: 'A full-path rewrite after a prefix match replaces the whole path; a host rewrite sets the authority.',
    features: ['rewrite.path', 'rewrite.host', 'route.pathPrefix'],
    policies: route(`    - matches: [{ path: { prefix: /api } }]\n      rewrite: { fullPath: /index, host: backend.internal }`),
    routes: [[{ path: '/api/x' }, toWeb(ALL, '/index', 'backend.internal')]],
  },
  {
    shortName: 'redirect-default-code',
    description: 'A redirect without a status code answers 302; a prefix redirect replaces the matched prefix.',
    features: ['redirect', 'route.pathPrefix'],
    policies: route(`    - matches: [{ path: { prefix: /old } }]\n      redirect: { pathPrefix: /new }`),
    routes: [
      [{ path: '/old/x' }, { redirect: 302, path: '/new/x' }],
      [{ path: '/old' }, { redirect: 302, path: '/new' }],
    ],
  },
  {
    shortName: 'redirect-location-details',
    description:
      'A redirect keeps the query string and the request port; a new scheme moves to its well-known port; an explicit port is kept; a prefix replacement with a trailing / leaves one slash at the seam.',
    features: ['redirect', 'route.pathPrefix', 'route.pathExact'],
    policies: route(
      [
        `    - matches: [{ path: { prefix: /host } }]\n      redirect: { host: other.example }`,
        `    - matches: [{ path: { exact: /secure } }]\n      redirect: { scheme: https, host: other.example, statusCode: 301 }`,
        `    - matches: [{ path: { prefix: /slash } }]\n      redirect: { pathPrefix: /x/ }`,
        `    - matches: [{ path: { exact: /port } }]\n      redirect: { host: other.example, port: 8443 }`,
      ].join('\n'),
    ),
    routes: [
      [
        { path: '/host/a', query: { q: '1' } },
        { redirect: 302, host: 'other.example', port: 'request' },
      ],
      [
        { path: '/secure', query: { q: '1' } },
        { redirect: 301, host: 'other.example', scheme: 'https', port: 'scheme-default' },
      ],
      [{ path: '/slash/a' }, { redirect: 302, path: '/x/a' }],
      [{ path: '/slash' }, { redirect: 302, path: '/x' }],
      [{ path: '/port' }, { redirect: 302, host: 'other.example', port: 8443 }],
    ],
  },
  {
    shortName: 'mirror',
    description: 'Mirroring a percentage to another version.',
    features: ['mirror'],
    policies: route(`    - mirror: { version: v3, percent: 25 }`),
    // A rule without retries has none (Istio would retry twice).
    effects: [{ path: '/' }, { mirror: { service: 'web', version: 'v3', percent: 25 }, retries: { attempts: 0 }, timeoutMs: undefined }],
    check: (t) => expectSourced(t, 'TrafficRoute/shop/web'),
  },
  {
    shortName: 'header-modifiers',
    description: 'Request and response header set/add/remove.',
    features: ['headers.request', 'headers.response'],
    policies: route(
      `    - requestHeaders: { set: { x-a: '1' }, add: { x-b: '2' }, remove: [x-c] }\n      responseHeaders: { set: { x-d: '4' } }`,
    ),
    effects: [
      { path: '/' },
      { headers: { request: { set: { 'x-a': '1' }, add: { 'x-b': '2' }, remove: ['x-c'] }, response: { set: { 'x-d': '4' } } } },
    ],
    check: (t) => expectSourced(t, 'TrafficRoute/shop/web'),
  },
  {
    shortName: 'fault-injection',
    description: 'Delay and abort faults with explicit percentages.',
    features: ['fault.delay', 'fault.abort'],
    policies: route(`    - fault: { delay: { fixed: 100ms, percent: 5 }, abort: { httpStatus: 503, percent: 1.5 } }`),
    effects: [{ path: '/' }, { fault: { delay: { fixedMs: 100, percent: 5 }, abort: { httpStatus: 503, percent: 1.5 } } }],
    check: (t) => expectSourced(t, 'TrafficRoute/shop/web'),
  },
  {
    shortName: 'timeouts-and-retries',
    description: 'Route timeout and retries with per-try timeout, conditions and backoff.',
    features: ['timeout.request', 'timeout.perTry', 'retry.attempts', 'retry.conditions', 'retry.backoff'],
    policies: route(
      `    - timeout: 3s\n      retries: { attempts: 3, perTryTimeout: 1s, on: [gateway-error, retriable-status-codes], statusCodes: [409], backoff: { baseInterval: 50ms, maxInterval: 1s } }`,
    ),
    effects: [{ path: '/' }, { timeoutMs: 3000, retries: { attempts: 3, perTryTimeoutMs: 1000, on: ['409', 'gateway-error'] } }],
    check: (t) => expectSourced(t, 'TrafficRoute/shop/web'),
  },
  {
    shortName: 'connection-settings',
    description: 'A connect timeout and circuit breaker limits.',
    features: ['timeout.connect', 'circuitBreaker'],
    policies: policy(
      `  connectTimeout: 2s\n  circuitBreaker: { maxConnections: 10, maxPendingRequests: 5, maxRequests: 20, maxRequestsPerConnection: 3 }`,
    ),
    upstream: {
      want: { '': { connectTimeoutMs: 2_000, maxConnections: 10, maxPendingRequests: 5, maxRequests: 20, maxRequestsPerConnection: 3 } },
      // Consul's upstream limits have no per-connection request cap (left out, AM4001).
      gaps: { consul: { '': { maxRequestsPerConnection: undefined } } },
    },
  },
  {
    shortName: 'idle-timeout',
    description: 'An idle timeout of upstream connections.',
    features: ['timeout.idle'],
    policies: policy('  idleTimeout: 5m'),
    upstream: { want: { '': { idleTimeoutMs: 300_000 } } },
  },
  {
    shortName: 'outlier-detection',
    description: 'Outlier detection with explicit thresholds.',
    features: ['outlierDetection'],
    policies: policy(`  outlierDetection: { consecutive5xx: 3, interval: 5s, baseEjectionTime: 1m, maxEjectionPercent: 30 }`),
    upstream: {
      want: {
        '': { outlier: { consecutive5xx: 3, intervalMs: 5_000, baseEjectionMs: 60_000, maxEjectionPercent: 30, enforcingPercent: 100 } },
        v2: { outlier: { consecutive5xx: 3, intervalMs: 5_000, baseEjectionMs: 60_000, maxEjectionPercent: 30, enforcingPercent: 100 } },
      },
    },
  },
  {
    shortName: 'load-balancer',
    description: 'A load-balancing algorithm for the whole service.',
    features: ['loadBalancer.algorithm'],
    policies: policy('  loadBalancer: { algorithm: random }'),
    upstream: {
      want: { '': { loadBalancer: { algorithm: 'random' } }, v1: { loadBalancer: { algorithm: 'random' } } },
      // Linkerd always balances by peak-EWMA latency (AM4001 for random).
      gaps: {
        linkerd: { '': { loadBalancer: { algorithm: 'peak-ewma' } }, v1: { loadBalancer: { algorithm: 'peak-ewma' } } },
      },
    },
  },
  {
    shortName: 'consistent-hash',
    description: 'A load-balancing algorithm for the service, and consistent hashing on a header for one version.',
    features: ['loadBalancer.algorithm', 'loadBalancer.consistentHash'],
    policies: `${policy('  loadBalancer: { algorithm: random }')}\n---${policy('  loadBalancer: { algorithm: consistent-hash, consistentHash: { header: x-user } }', 'v2')}`,
    upstream: {
      want: {
        '': { loadBalancer: { algorithm: 'random' } },
        v1: { loadBalancer: { algorithm: 'random' } },
        v2: { loadBalancer: { algorithm: 'consistent-hash', header: 'x-user' } },
      },
      // Consul balances per service: v2 keeps the service's algorithm (AM4001 for its consistent hash).
      gaps: { consul: { v2: { loadBalancer: { algorithm: 'random' } } } },
    },
  },
  {
    shortName: 'retry-budget',
    description: 'A retry budget.',
    features: ['retry.budget'],
    policies: policy('  retryBudget: { percent: 25, minRetriesPerSecond: 5, window: 10s }'),
    upstream: {
      want: { '': { retryBudget: { kind: 'ratio', percent: 25, minRetriesPerSecond: 5, windowMs: 10_000 } } },
      // Istio (Envoy) budgets concurrent retries: 25 % of active requests, at least 5 at once (AM4002).
      gaps: { istio: { '': { retryBudget: { kind: 'concurrency', percent: 25, minConcurrency: 5 } } } },
    },
  },
  {
    shortName: 'locality-failover',
    description: 'Nearest-locality failover.',
    features: ['failover.locality'],
    policies: policy('  failover: { mode: nearest }'),
    upstream: { want: { '': { localityFailover: true } } },
  },
  {
    shortName: 'access-default-deny',
    description: 'Default deny with one allow rule by service, method and path.',
    features: ['access.defaultDeny', 'access.sourceService', 'access.methodPath'],
    policies: `${mesh('  defaultAccess: deny')}\n---${access(`    - action: allow\n      from: [{ service: client }]\n      to: { service: web, methods: [GET], paths: ['/api/*'] }`)}`,
    access: [
      [{ from: { service: 'client', version: 'v1' }, path: '/api/x' }, 'allow'],
      [{ from: { service: 'client', version: 'v1' }, method: 'POST', path: '/api/x' }, 'deny'],
      [{ from: { service: 'client', version: 'v1' }, path: '/other' }, 'deny'],
      [{ from: { service: 'web', version: 'v1' }, path: '/api/x' }, 'deny'],
    ],
    check: (t) => expectSourced(t, 'AccessPolicy/shop/web'),
  },
  {
    shortName: 'access-deny-wins',
    description: 'A deny rule by namespace and port wins over an allow.',
    features: ['access.deny', 'access.sourceNamespace', 'access.destinationPort'],
    policies: `${mesh('  defaultAccess: deny')}\n---${access(
      `    - action: allow\n      from: [{ namespace: shop }]\n      to: { service: web }\n    - action: deny\n      from: [{ namespace: shop }]\n      to: { service: web, ports: [8080] }`,
    )}`,
    access: [
      [{ from: { service: 'client', version: 'v1' }, path: '/' }, 'deny'],
      [{ from: { namespace: 'other', service: 'ext' }, path: '/' }, 'deny'],
    ],
    check: (t) => expectSourced(t, 'AccessPolicy/shop/web'),
  },
  {
    shortName: 'access-source-version',
    description: 'Allowing one version of a caller that has its own identity is exact; a shared identity must be reported.',
    features: ['access.sourceVersion'],
    policies: `${mesh('  defaultAccess: deny')}\n---${access(`    - action: allow\n      from: [{ service: client, version: v2 }]\n      to: { service: web }`)}`,
    access: [
      [{ from: { service: 'client', version: 'v2' }, path: '/' }, 'allow'],
      [{ from: { service: 'web', version: 'v1' }, path: '/' }, 'deny'],
      // client v1 carries v2's identity (one service account): identity-based enforcement lets it in too.
      [{ from: { service: 'client', version: 'v1' }, path: '/' }, 'allow'],
    ],
    // client's versions share one service account: every adapter must say so.
    check: (t) => expectDiagnostic(t, 'access.sourceVersion', ['AM4001', 'AM4002']),
  },
  {
    shortName: 'access-audit',
    description: 'An audit-mode policy.',
    features: ['access.audit', 'access.deny'],
    policies: access(`    - action: deny\n      to: { service: web, paths: ['/admin/*'] }`, 'audit'),
    // Audit mode reports, never decides: the mesh default (allow) lets the call through.
    access: [[{ from: { service: 'client', version: 'v1' }, path: '/admin/x' }, 'allow']],
    // The calls the deny rule would refuse are the ones recorded, and only those.
    audit: [
      [{ from: { service: 'client', version: 'v1' }, path: '/admin/x' }, true],
      [{ from: { service: 'client', version: 'v1' }, method: 'POST', path: '/admin/x/y' }, true],
      [{ from: { service: 'client', version: 'v1' }, path: '/other' }, false],
      [{ from: { service: 'client', version: 'v1' }, path: '/admin' }, false],
    ],
  },
  ...(['strict', 'permissive', 'disabled'] as const).map((mode): ConformanceCase => ({
    shortName: `mtls-${mode}`,
    description: `Mesh-wide mTLS ${mode}.`,
    features: [`mtls.${mode}`],
    policies: mesh(`  mtls: { mode: ${mode} }`),
    mtls: { plaintextServed: mode !== 'strict' },
    check: (t) => expectSourced(t, 'Mesh/default/mesh'),
  })),
  {
    shortName: 'observability',
    description: 'Metrics, tracing with an explicit sampling rate, and access logs.',
    features: ['observability.metrics', 'observability.tracing', 'observability.accessLogs'],
    policies: mesh(
      '  observability: { metrics: { enabled: true }, tracing: { sampling: 25 }, accessLogs: { enabled: true, format: text } }',
    ),
    observability: {
      want: { metrics: true, tracingSamplingPercent: 25, accessLogs: { enabled: true, format: 'text' } },
      // Linkerd has no sampling rate and reads access logs from user-owned pods/namespaces: nothing emitted (AM4002 each).
      gaps: { linkerd: { tracingSamplingPercent: undefined, accessLogs: { enabled: false } } },
    },
  },
  {
    shortName: 'observability-off',
    description: 'Metrics and access logs turned off.',
    features: [],
    policies: mesh('  observability: { metrics: { enabled: false }, accessLogs: { enabled: false } }'),
    observability: {
      want: { metrics: false, accessLogs: { enabled: false } },
      // Linkerd proxies always serve metrics: the disabling must be reported (AM4001), not dropped.
      gaps: { linkerd: { metrics: true } },
    },
  },
  ...(
    [
      ['canary', 'canary: { steps: [10, 50] }'],
      ['abTest', 'abTest: { match: [{ headers: { x-beta: { exact: "1" } } }] }'],
      ['blueGreen', 'blueGreen: {}'],
    ] as const
  ).map(([kind, strategy]): ConformanceCase => ({
    shortName: `rollout-${kind}`,
    description: `A ${kind} rollout is either translated or explicitly reported.`,
    features: [`rollout.${kind}`],
    policies: `
apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: web, namespace: shop }
spec:
  service: web
  from: v1
  to: v2
  strategy: { ${strategy} }
  analysis: { metrics: [{ name: success-rate, min: 99 }] }`,
    check: (t) => {
      const sourced = t.manifests.some((m) => (m.metadata.annotations?.[SOURCE_ANNOTATION] ?? '').includes('Rollout/shop/web'));
      if (!sourced) expectDiagnostic(t, `rollout.${kind}`, ['AM4001', 'AM4002']);
    },
  })),
];
