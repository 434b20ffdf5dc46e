import fc from 'fast-check';

/**
 * Policy sets shaped like the traps of generated names, selection and L4 (issue 10): service names
 * that collide once suffixed (`cart`/`cart-1`, `api`/`api-v2`, `a`/`a-b`) or are near and at 63
 * characters, versions `b-c`/`c`, Services sharing a selector, multi-port and TCP Services, port
 * names longer than 15, cross-service destinations, explicit rule names equal to generated ones
 * (`rule-1`), more than 16 rules per route, access policies `a` rule `b-c` and `a-b` rule `c`.
 * Kept apart from fidelity.ts (shared with other work) and wired in by its own tests.
 */
const SERVICE_NAMES = ['a', 'a-b', 'cart', 'cart-1', 'api', 'api-v2', `l${'x'.repeat(57)}`, `m${'x'.repeat(62)}`];
const VERSIONS = ['v1', 'v2', 'b-c', 'c'];
const RULE_NAMES = ['rule-0', 'rule-1', 'rule-2', 'c', 'b-split-c', 'split-c'];

const portsArb = fc.constantFrom(
  [{ port: 8080 }],
  [{ port: 8080 }, { port: 9090, name: 'an-admin-port-name' }],
  [{ port: 8080 }, { port: 5432, protocol: 'tcp' }],
  [{ port: 9090 }, { port: 9091 }],
);

const serviceArb = fc.record({
  name: fc.constantFrom(...SERVICE_NAMES),
  ports: portsArb,
  shared: fc.boolean(),
});

type ServiceShape = { name: string; ports: readonly object[]; shared: boolean };

function serviceDoc(s: ServiceShape): object {
  const versions = Object.fromEntries(VERSIONS.map((v) => [v, { labels: { version: v } }]));
  const selector = s.shared ? { app: 'shared' } : undefined;
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'Service',
    metadata: { name: s.name, namespace: 'edge' },
    spec: { ports: s.ports, selector, versions },
  };
}

const ruleArb = fc.record({
  name: fc.option(fc.constantFrom(...RULE_NAMES), { nil: undefined }),
  tenant: fc.nat(30),
  byHeader: fc.boolean(),
  split: fc.constantFrom('one', 'two', 'other-service'),
  version: fc.constantFrom(...VERSIONS),
  other: fc.nat(7),
  retry: fc.boolean(),
});

type RuleShape = { name?: string; tenant: number; byHeader: boolean; split: string; version: string; other: number; retry: boolean };

function routeDoc(service: string, others: readonly string[], rules: readonly RuleShape[]): object {
  const seen = new Set<string>();
  const spec = rules.map((r) => {
    const name = r.name !== undefined && !seen.has(r.name) ? r.name : undefined;
    if (name !== undefined) seen.add(name);
    const match = r.byHeader
      ? { path: { prefix: '/items' }, headers: { 'x-tenant': { exact: `t${r.tenant}` } } }
      : { path: { prefix: `/p${r.tenant}` } };
    const destinations =
      r.split === 'one'
        ? [{ version: r.version }]
        : r.split === 'two'
          ? [
              { version: r.version, weight: 1 },
              { version: r.version === 'v1' ? 'v2' : 'v1', weight: 3 },
            ]
          : [{ service: others[r.other % others.length] }];
    return { name, matches: [match], destinations, retries: r.retry ? { attempts: 2 } : undefined };
  });
  return {
    apiVersion: 'anymesh.io/v1alpha1',
    kind: 'TrafficRoute',
    metadata: { name: service, namespace: 'edge' },
    spec: { service, rules: spec },
  };
}

const accessRuleArb = fc.record({
  policy: fc.constantFrom('a', 'a-b'),
  name: fc.option(fc.constantFrom('b-c', 'c', 'rule-0'), { nil: undefined }),
  to: fc.nat(7),
  from: fc.nat(7),
  methods: fc.option(fc.constantFrom(['GET'], ['POST']), { nil: undefined }),
  action: fc.constantFrom('allow', 'allow', 'deny'),
});

/** YAML text of one edge-shaped policy set (may be invalid: callers filter with `fc.pre`). */
export const edgeSetArb: fc.Arbitrary<string> = fc
  .record({
    services: fc.uniqueArray(serviceArb, { minLength: 2, maxLength: 5, selector: (s) => s.name }),
    routes: fc.array(fc.tuple(fc.nat(7), fc.array(ruleArb, { maxLength: 24 })), { maxLength: 3 }),
    access: fc.array(accessRuleArb, { maxLength: 6 }),
    defaultDeny: fc.boolean(),
  })
  .map(({ services, routes, access, defaultDeny }) => {
    const names = services.map((s) => s.name);
    const docs: object[] = [
      {
        apiVersion: 'anymesh.io/v1alpha1',
        kind: 'Mesh',
        metadata: { name: 'mesh', namespace: 'edge' },
        spec: { defaultAccess: defaultDeny ? 'deny' : 'allow' },
      },
      ...services.map(serviceDoc),
    ];
    const routed = new Set<string>();
    for (const [i, rules] of routes) {
      const service = names[i % names.length]!;
      if (routed.has(service) || rules.length === 0) continue;
      routed.add(service);
      docs.push(routeDoc(service, names, rules));
    }
    for (const policy of ['a', 'a-b']) {
      const seen = new Set<string>();
      const rules = access
        .filter((r) => r.policy === policy)
        .map((r) => {
          const name = r.name !== undefined && !seen.has(r.name) ? r.name : undefined;
          if (name !== undefined) seen.add(name);
          const to = { service: names[r.to % names.length], methods: r.methods };
          return { name, action: r.action, from: [{ service: names[r.from % names.length] }], to };
        });
      if (rules.length > 0)
        docs.push({
          apiVersion: 'anymesh.io/v1alpha1',
          kind: 'AccessPolicy',
          metadata: { name: policy, namespace: 'edge' },
          spec: { rules },
        });
    }
    return docs.map((d) => JSON.stringify(d)).join('\n---\n');
  });
