import type { Edge, Node } from '@xyflow/react';
import type { EdgeView, Health, ServiceNodeView, Topology } from '../../src/server/api-types.js';
import { formatMs, formatPercent, formatRps } from '../primitives/format.js';
import type { Point } from './layout.js';

export type ServiceNodeData = { readonly service: ServiceNodeView; readonly selected: boolean };
export type ServiceFlowNode = Node<ServiceNodeData, 'service'>;

export const HEALTH_COLOURS: Record<Health, string> = {
  healthy: '#1f9d55',
  degraded: '#d08700',
  failing: '#d0342c',
  unknown: '#8a94a6',
};

/** `12 req/s · 99.5% · p99 45 ms`, or why there is no figure yet. */
export function edgeLabel(edge: EdgeView): string {
  if (!edge.stats) return edge.origin === 'declared' ? 'no traffic yet' : '';
  const { rps, successPercent, p99Ms } = edge.stats;
  return `${formatRps(rps)} · ${formatPercent(successPercent)} · p99 ${formatMs(p99Ms)}`;
}

/**
 * The flow nodes for a topology. Nodes already on screen keep their object fields (notably the
 * size the browser measured), so a traffic refresh re-renders their content without re-measuring.
 */
export function toFlowNodes(
  topology: Topology,
  positions: ReadonlyMap<string, Point>,
  selected: string | undefined,
  previous: readonly ServiceFlowNode[] = [],
): ServiceFlowNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  return topology.nodes.map((service) => {
    const data = { service, selected: service.id === selected };
    const position = positions.get(service.id) ?? { x: 0, y: 0 };
    const old = before.get(service.id);
    if (old) return { ...old, position, data, ariaLabel: `${service.name}, ${service.health}` };
    return { id: service.id, type: 'service', position, data, ariaLabel: `${service.name}, ${service.health}` };
  });
}

/**
 * Above this many services, edges are labelled only around the selected service: hundreds of
 * labels are unreadable at the zoom that fits them, and each costs the browser a text measurement.
 */
export const LABEL_ALL_EDGES_UP_TO = 80;

export function toFlowEdges(topology: Topology, selectedEdge: string | undefined, selectedService?: string): Edge[] {
  const labelAll = topology.nodes.length <= LABEL_ALL_EDGES_UP_TO;
  return topology.edges.map((edge) => {
    const labelled = labelAll || edge.id === selectedEdge || edge.source === selectedService || edge.target === selectedService;
    const colour = HEALTH_COLOURS[edge.health];
    const width = edge.stats ? Math.min(1.5 + Math.log10(1 + edge.stats.rps) * 1.5, 6) : 1.2;
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: labelled ? edgeLabel(edge) : undefined,
      animated: false,
      selected: edge.id === selectedEdge,
      className: `edge-${edge.origin} edge-${edge.health}`,
      style: { stroke: colour, strokeWidth: width, strokeDasharray: edge.origin === 'declared' ? '5 4' : undefined },
      labelStyle: { fill: '#1b2430', fontSize: 11 },
      labelBgStyle: { fill: '#ffffff', fillOpacity: 0.9 },
      ariaLabel: `${edge.source} to ${edge.target}: ${edgeLabel(edge)}`,
    };
  });
}

/** Changes only when services or edges come or go: the trigger for a new layout. */
export function structureKey(topology: Topology): string {
  return `${topology.nodes.map((n) => n.id).join('|')}#${topology.edges.map((e) => e.id).join('|')}`;
}
