import type { HttpMethod } from '@anymesh/core';
import type { Manifest } from '../../types.js';
import { managedMetadata } from '../../shared/metadata.js';
import type { LinkerdContext } from '../context.js';
import { POLICY_GROUP, POLICY_ROUTE_VERSION } from '../names.js';
import { comparePatterns, contains, inboundMatch, overlap, parsePattern, patternKey, type PathPattern } from './path-patterns.js';
import type { PlacedRule } from './rules.js';

/** One cell of the request space: a path pattern and a method (undefined: any method no rule names). */
interface Atom {
  readonly path: PathPattern;
  readonly method: HttpMethod | undefined;
  /** The rules that allow every request of the cell. */
  readonly rules: readonly PlacedRule[];
}

export interface InboundRoute {
  readonly name: string;
  readonly rules: readonly PlacedRule[];
}

function allowsAtom(r: PlacedRule, path: PathPattern, method: HttpMethod | undefined): boolean {
  const methods = r.rule.to.methods;
  if (methods !== undefined && (method === undefined || !methods.includes(method))) return false;
  const paths = r.rule.to.paths;
  return paths === undefined || paths.some((p) => contains(parsePattern(p), path));
}

/**
 * The atoms of a Server's rules: every path pattern any rule names (plus "any path") times every
 * method any rule names (plus "other methods"). Linkerd sends a request to ONE route — the longest
 * path match, then one with a method — and only that route's authorizations apply, while the neutral
 * model allows when ANY rule matches. So each atom carries every rule that covers it: the atom
 * Linkerd picks for a request (the most specific pattern, with the request's method when a rule
 * names it) then carries exactly the rules that match the request. Atoms no rule covers are left
 * out except the catch-all, which must exist: with routes attached, Linkerd answers 404 to requests
 * no route matches instead of applying the Server's policy.
 */
function atomsOf(rules: readonly PlacedRule[]): Atom[] {
  const patterns = new Map<string, PathPattern>([['*', { kind: 'any' }]]);
  const methods = new Set<HttpMethod>();
  for (const r of rules) {
    for (const p of r.rule.to.paths ?? []) patterns.set(patternKey(parsePattern(p)), parsePattern(p));
    for (const m of r.rule.to.methods ?? []) methods.add(m);
  }
  const atoms: Atom[] = [];
  for (const path of [...patterns.values()].sort(comparePatterns)) {
    for (const method of [...[...methods].sort(), undefined]) {
      const covering = rules.filter((r) => allowsAtom(r, path, method));
      if (covering.length > 0 || (path.kind === 'any' && method === undefined)) atoms.push({ path, method, rules: covering });
    }
  }
  return atoms;
}

const keyOf = (rules: readonly PlacedRule[]) => rules.map((r) => r.name).join(',');

/** Whether Linkerd may rank two atoms equally for some request: same method, and path matches of one length. */
function mayTie(a: Atom, b: Atom): boolean {
  if (a.method !== b.method) return false;
  if (a.path.kind !== 'any' && b.path.kind !== 'any') return overlap(a.path, b.path);
  const other = a.path.kind === 'any' ? b.path : a.path;
  return other.kind === 'any' || contains(other, { kind: 'exact', value: '/' });
}

/**
 * Inbound policy.linkerd.io HTTPRoutes for one Server, one per distinct set of allowed rules (an
 * AuthorizationPolicy authorizes a whole route). Returns the routes so the caller can authorize them.
 */
export function inboundRoutes(ctx: LinkerdContext, server: string, namespace: string, rules: readonly PlacedRule[]): InboundRoute[] {
  const atoms = atomsOf(rules);
  const groups = new Map<string, Atom[]>();
  for (const atom of atoms) {
    const key = keyOf(atom.rules);
    const group = groups.get(key);
    if (group) group.push(atom);
    else groups.set(key, [atom]);
  }
  const routes: InboundRoute[] = [];
  [...groups.values()].forEach((group, k) => {
    const name = `${server}-route-${k}`;
    const matches = group.map((a) => inboundMatch(a.path, a.method));
    const chunks = [];
    for (let i = 0; i < matches.length; i += 8) chunks.push({ matches: matches.slice(i, i + 8) });
    const manifest: Manifest = {
      apiVersion: POLICY_ROUTE_VERSION,
      kind: 'HTTPRoute',
      metadata: managedMetadata(
        name,
        namespace,
        rules.map((r) => r.loaded.object),
      ),
      spec: { parentRefs: [{ group: POLICY_GROUP, kind: 'Server', name: server }], rules: chunks },
    };
    ctx.manifests.push(manifest);
    routes.push({ name, rules: group[0]!.rules });
  });
  reportTies(ctx, server, atoms);
  const first = rules[0]!;
  ctx.gaps.assumption(
    first.loaded,
    ['spec', 'rules', first.index, 'to'],
    'access.methodPath',
    `kubelet probes to Server ${server} are allowed by some rule or not needed: once routes attach to a Server, Linkerd stops authorizing its default probe routes`,
  );
  return routes;
}

function reportTies(ctx: LinkerdContext, server: string, atoms: readonly Atom[]): void {
  for (const [i, a] of atoms.entries()) {
    const b = atoms.slice(i + 1).find((x) => keyOf(x.rules) !== keyOf(a.rules) && mayTie(a, x));
    if (b === undefined) continue;
    const culprit = (a.rules[0] ?? b.rules[0])!;
    const describe = (x: Atom) => `${patternKey(x.path)} ${x.method ?? 'any method'}`;
    ctx.gaps.approximated(
      culprit.loaded,
      ['spec', 'rules', culprit.index, 'to'],
      'access.methodPath',
      `on Server ${server}, requests matching both ${describe(a)} and ${describe(b)} are ranked equally by Linkerd, which then picks the older HTTPRoute; the two allow different callers, so the decision depends on creation order`,
    );
    return;
  }
}
