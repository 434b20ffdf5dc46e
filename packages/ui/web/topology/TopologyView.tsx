import { ReactFlowProvider } from '@xyflow/react';
import { useCallback } from 'react';
import type { Topology } from '../../src/server/api-types.js';
import { api } from '../app/api.js';
import { setRouteParams } from '../app/route.js';
import { EmptyState, StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { EdgePanel } from './EdgePanel.js';
import { LiveBanner } from './LiveBanner.js';
import { ServiceList } from './ServiceList.js';
import { ServicePanel } from './ServicePanel.js';
import { TopologyGraph } from './TopologyGraph.js';

export const TOPOLOGY_REFRESH_MS = 3_000;

/** `service` accepts `namespace/name` or a bare name, so `#/topology?service=reviews` works. */
function findService(topology: Topology, wanted: string | undefined) {
  if (!wanted) return undefined;
  return topology.nodes.find((n) => n.id === wanted) ?? topology.nodes.find((n) => n.name === wanted);
}

export function TopologyView({ selected, edge }: { selected: string | undefined; edge: string | undefined }) {
  const loaded = usePolled(() => api.topology.query(), TOPOLOGY_REFRESH_MS, 'topology');
  const selectService = useCallback((id: string) => setRouteParams('topology', { service: id }), []);
  const selectEdge = useCallback((id: string) => setRouteParams('topology', { edge: id }), []);
  return (
    <StateView loaded={loaded} what="the topology">
      {(topology) => {
        if (topology.nodes.length === 0) {
          return (
            <EmptyState title="No services yet">
              <p>
                The policy directory declares no Service and the native mesh reports no instance. Add a <code>kind: Service</code> file, or
                run <code>anymesh up examples/bookstore</code> to see the demo.
              </p>
            </EmptyState>
          );
        }
        const service = findService(topology, selected);
        const selectedEdge = topology.edges.find((e) => e.id === edge);
        return (
          <div className="topology">
            <LiveBanner topology={topology} />
            <div className="topology-body">
              <ServiceList topology={topology} selected={service?.id} onSelect={selectService} />
              <div className="graph" aria-label="Service call graph">
                <ReactFlowProvider>
                  <TopologyGraph
                    topology={topology}
                    selectedService={service?.id}
                    selectedEdge={selectedEdge?.id}
                    onSelectService={selectService}
                    onSelectEdge={selectEdge}
                  />
                </ReactFlowProvider>
              </div>
              {service && <ServicePanel service={service} topology={topology} />}
              {!service && selectedEdge && (
                <EdgePanel edge={selectedEdge} target={topology.nodes.find((n) => n.id === selectedEdge.target)} topology={topology} />
              )}
            </div>
          </div>
        );
      }}
    </StateView>
  );
}
