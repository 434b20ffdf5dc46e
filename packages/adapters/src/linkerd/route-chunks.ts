/** Gateway API allows 16 rules per HTTPRoute. */
export const MAX_RULES = 16;

function find(parent: number[], i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]!]!;
    i = parent[i]!;
  }
  return i;
}

/**
 * Cuts Gateway rules (in neutral order, each a list of entries) into HTTPRoutes of at most 16 rules.
 * Linkerd breaks equal ranks inside one HTTPRoute by rule order — ours — but across HTTPRoutes by
 * creation time and then name (`catalog-10` before `catalog-2`). So rules that `bound` says must be
 * ordered against each other are kept in one HTTPRoute: each group of them (connected through
 * `bound`) goes whole into the first route with room, in neutral order within the route. Only a group
 * larger than 16 rules is cut, and the precedence report then names the pairs it separates.
 */
export function packRules<T>(rules: readonly T[][], bound: (a: T, b: T) => boolean): T[][][] {
  const parent = rules.map((_, i) => i);
  const owner: { rule: number; entry: T }[] = rules.flatMap((entries, rule) => entries.map((entry) => ({ rule, entry })));
  for (let i = 0; i < owner.length; i++) {
    for (let j = i + 1; j < owner.length; j++) {
      const a = owner[i]!;
      const b = owner[j]!;
      if (a.rule !== b.rule && find(parent, a.rule) !== find(parent, b.rule) && bound(a.entry, b.entry)) {
        parent[find(parent, b.rule)] = find(parent, a.rule);
      }
    }
  }
  const groups = new Map<number, number[]>();
  rules.forEach((_, i) => groups.set(find(parent, i), [...(groups.get(find(parent, i)) ?? []), i]));
  const routes: number[][] = [];
  for (const group of groups.values()) {
    if (group.length > MAX_RULES) {
      for (let i = 0; i < group.length; i += MAX_RULES) routes.push(group.slice(i, i + MAX_RULES));
      continue;
    }
    const room = routes.find((r) => r.length + group.length <= MAX_RULES);
    if (room) room.push(...group);
    else routes.push([...group]);
  }
  return routes.map((r) => r.sort((x, y) => x - y).map((i) => rules[i]!));
}
