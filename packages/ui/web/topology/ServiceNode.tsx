import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatRps } from '../primitives/format.js';
import type { ServiceFlowNode } from './to-flow.js';

/** A service: name, namespace, its versions with live instance counts, the request rate into it. */
export const ServiceNode = memo(function ServiceNode({ data }: NodeProps<ServiceFlowNode>) {
  const { service, selected } = data;
  return (
    <div className={`service-node health-${service.health}${selected ? ' is-selected' : ''}`} data-service={service.name}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="service-node-title">
        <span className="service-name">{service.name}</span>
        <span className="service-ns">{service.namespace}</span>
      </div>
      <div className="service-node-versions">
        {service.versions.map((v) => (
          <span
            key={v.name}
            className="version-chip"
            title={`${v.instances.filter((i) => i.up).length}/${v.instances.length} instances up`}
          >
            {v.name}
            {v.instances.length > 0 ? ` ${v.instances.filter((i) => i.up).length}/${v.instances.length}` : ''}
          </span>
        ))}
      </div>
      <div className="service-node-rate">{formatRps(service.inboundRps)} in</div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

export const NODE_TYPES = { service: ServiceNode };
