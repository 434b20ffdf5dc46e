import type { ELK, ELKConstructorArguments, LayoutOptions } from 'elkjs/lib/elk-api.js';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 74;
/** Above this many services the layout trades some crossing reduction for speed (see docs/performance.md). */
export const LARGE_GRAPH = 80;

export interface Point {
  readonly x: number;
  readonly y: number;
}

let engine: Promise<ELK> | undefined;

/** The browser lays out in a Web Worker (layout-worker.ts); tests and the server side use the bundled engine in-thread. */
export function setLayoutEngine(create: () => ELK): void {
  engine = Promise.resolve(create());
}

export type ElkConstructor = new (args?: ELKConstructorArguments) => ELK;

/** elkjs is CommonJS: bundlers hand over `module.exports` as the default export, Node wraps it once more. */
export function elkConstructor(imported: unknown): ElkConstructor {
  const outer = (imported as { default: ElkConstructor | { default: ElkConstructor } }).default;
  return 'default' in outer ? outer.default : outer;
}

async function bundledEngine(): Promise<ELK> {
  const Elk = elkConstructor(await import('elkjs/lib/elk.bundled.js'));
  return new Elk();
}

function options(nodeCount: number): LayoutOptions {
  const base: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.layered.spacing.nodeNodeBetweenLayers': '200',
    'elk.spacing.nodeNode': '36',
    'elk.separateConnectedComponents': 'true',
  };
  if (nodeCount <= LARGE_GRAPH) return { ...base, 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' };
  return { ...base, 'elk.layered.thoroughness': '1', 'elk.layered.nodePlacement.strategy': 'SIMPLE' };
}

/**
 * Left-to-right layered layout (callers left of callees), as a mesh's call graph reads best.
 * Run only when the set of services or edges changes, never on a traffic refresh, so nodes do
 * not jump while someone is looking at them.
 */
export async function layoutGraph(
  nodeIds: readonly string[],
  edges: readonly { readonly id: string; readonly source: string; readonly target: string }[],
): Promise<Map<string, Point>> {
  engine ??= bundledEngine();
  const known = new Set(nodeIds);
  const graph = await (
    await engine
  ).layout({
    id: 'root',
    layoutOptions: options(nodeIds.length),
    children: nodeIds.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges
      .filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  return new Map((graph.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}
