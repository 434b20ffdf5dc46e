import { NODE_HEIGHT, NODE_WIDTH, type Point } from './layout.js';

const MAX_PASSES = 64;

/**
 * A provisional layered layout, computed in the main thread in linear time per pass: each service
 * one column right of its furthest caller (longest path, cycles cut after MAX_PASSES), stacked in
 * input order. It puts hundreds of services on screen at once while ELK computes the real layout.
 */
export function quickLayers(
  nodeIds: readonly string[],
  edges: readonly { readonly source: string; readonly target: string }[],
): Map<string, Point> {
  const layer = new Map(nodeIds.map((id) => [id, 0]));
  for (let pass = 0, changed = true; changed && pass < MAX_PASSES; pass++) {
    changed = false;
    for (const e of edges) {
      const next = (layer.get(e.source) ?? 0) + 1;
      if (e.source !== e.target && layer.has(e.target) && (layer.get(e.target) ?? 0) < next && next <= MAX_PASSES) {
        layer.set(e.target, next);
        changed = true;
      }
    }
  }
  const filled = new Map<number, number>();
  const points = new Map<string, Point>();
  for (const id of nodeIds) {
    const l = layer.get(id) ?? 0;
    const row = filled.get(l) ?? 0;
    filled.set(l, row + 1);
    points.set(id, { x: l * (NODE_WIDTH + 200), y: row * (NODE_HEIGHT + 36) });
  }
  return points;
}
