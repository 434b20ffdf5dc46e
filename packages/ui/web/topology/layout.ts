import ElkModule from 'elkjs/lib/elk.bundled.js';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 74;

export interface Point {
  readonly x: number;
  readonly y: number;
}

// elkjs is CommonJS: bundlers hand over `module.exports` itself, Node's type view a `default` field.
type ElkConstructor = typeof ElkModule.default;
const ELK = ((ElkModule as unknown as { default?: ElkConstructor }).default ?? ElkModule) as ElkConstructor;
const elk = new ELK();

/**
 * Left-to-right layered layout (callers left of callees), as a mesh's call graph reads best.
 * Run only when the set of services or edges changes, never on a traffic refresh, so nodes do
 * not jump while someone is looking at them.
 */
export async function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly { readonly id: string; readonly source: string; readonly target: string }[],
): Promise<Map<string, Point>> {
  const known = new Set(nodeIds);
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '28',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.separateConnectedComponents': 'true',
    },
    children: nodeIds.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges
      .filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((graph.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
