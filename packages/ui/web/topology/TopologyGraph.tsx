import { applyNodeChanges, Background, Controls, ReactFlow, useReactFlow, type Edge, type NodeChange } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Topology } from '../../src/server/api-types.js';
import { layoutGraph, type Point } from './layout.js';
import { quickLayers } from './quick-layers.js';
import { NODE_TYPES } from './ServiceNode.js';
import { structureKey, toFlowEdges, toFlowNodes, type ServiceFlowNode } from './to-flow.js';

export interface TopologyGraphProps {
  readonly topology: Topology;
  readonly selectedService: string | undefined;
  readonly selectedEdge: string | undefined;
  onSelectService(id: string): void;
  onSelectEdge(id: string): void;
}

/** The call graph. Layout runs when the structure changes; a traffic refresh only relabels. */
export function TopologyGraph({ topology, selectedService, selectedEdge, onSelectService, onSelectEdge }: TopologyGraphProps) {
  const key = structureKey(topology);
  const [laidOut, setLaidOut] = useState<{ key: string; points: ReadonlyMap<string, Point> } | undefined>();
  // Until ELK answers for this structure, a quick layered layout places what ELK has not (see quick-layers.ts).
  const quick = useMemo(
    () =>
      quickLayers(
        topology.nodes.map((n) => n.id),
        topology.edges,
      ),
    // Recomputed per structure only.
    [key],
  );
  const points = useMemo(
    () => (laidOut?.key === key ? laidOut.points : new Map([...quick, ...(laidOut?.points ?? [])])),
    [laidOut, key, quick],
  );
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
        if (!cancelled) setLaidOut({ key, points });
      },
      // Without ELK the quick layout stays; it is a usable graph, only less tidy.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
    // The layout depends on the structure only, which `key` captures: traffic refreshes do not re-run it.
  }, [key]);

  useEffect(() => {
    setNodes((previous) => toFlowNodes(topology, points, selectedService, previous));
  }, [topology, points, selectedService]);

  const { fitView } = useReactFlow();
  const framed = useRef(false);
  useEffect(() => {
    // The first real layout moves every node: frame the graph once; later, leave the user's zoom alone.
    if (laidOut && !framed.current) {
      framed.current = true;
      void fitView();
    }
  }, [laidOut, fitView]);

  const edges: Edge[] = useMemo(() => toFlowEdges(topology, selectedEdge, selectedService), [topology, selectedEdge, selectedService]);

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
