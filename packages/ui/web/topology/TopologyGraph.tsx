import { applyNodeChanges, Background, Controls, ReactFlow, type Edge, type NodeChange } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { Topology } from '../../src/server/api-types.js';
import { layoutGraph, type Point } from './layout.js';
import { NODE_TYPES } from './ServiceNode.js';
import { structureKey, toFlowEdges, toFlowNodes, type ServiceFlowNode } from './to-flow.js';

export interface TopologyGraphProps {
  readonly topology: Topology;
  readonly selectedService: string | undefined;
  readonly selectedEdge: string | undefined;
  onSelectService(id: string): void;
  onSelectEdge(id: string): void;
  /** Called after each layout is on screen (benchmark and tests). */
  onLaidOut?(nodeCount: number): void;
}

/** The call graph. Layout runs when the structure changes; a traffic refresh only relabels. */
export function TopologyGraph({ topology, selectedService, selectedEdge, onSelectService, onSelectEdge, onLaidOut }: TopologyGraphProps) {
  const key = structureKey(topology);
  const [positions, setPositions] = useState<{ key: string; points: ReadonlyMap<string, Point> } | undefined>();
  const [nodes, setNodes] = useState<ServiceFlowNode[]>([]);

  useEffect(() => {
    let cancelled = false;
    layoutGraph(
      topology.nodes.map((n) => n.id),
      topology.edges,
    ).then(
      (points) => {
        // A mark for the benchmark and for anyone profiling a large mesh in DevTools.
        performance.mark('anymesh:layout-done', { detail: { services: points.size } });
        if (!cancelled) setPositions({ key, points });
      },
      () => !cancelled && setPositions({ key, points: new Map() }),
    );
    return () => {
      cancelled = true;
    };
    // The layout depends on the structure only, which `key` captures: traffic refreshes do not re-run it.
  }, [key]);

  useEffect(() => {
    if (positions) setNodes((previous) => toFlowNodes(topology, positions.points, selectedService, previous));
  }, [topology, positions, selectedService]);

  useEffect(() => {
    if (positions && nodes.length > 0) onLaidOut?.(nodes.length);
  }, [positions, nodes, onLaidOut]);

  const edges: Edge[] = useMemo(() => toFlowEdges(topology, selectedEdge, selectedService), [topology, selectedEdge, selectedService]);

  if (!positions) {
    return (
      <p className="state" role="status">
        Laying out {topology.nodes.length} services…
      </p>
    );
  }
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      onNodesChange={(changes: NodeChange<ServiceFlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns))}
      onNodeClick={(_, node) => onSelectService(node.id)}
      onEdgeClick={(_, edge) => onSelectEdge(edge.id)}
      nodesDraggable={false}
      nodesConnectable={false}
      onlyRenderVisibleElements={topology.nodes.length > 60}
      minZoom={0.05}
      fitView
      proOptions={{ hideAttribution: true }}
    >
      <Background />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}
