import { useState } from 'react';
import type { Topology } from '../../src/server/api-types.js';
import { formatRps } from '../primitives/format.js';

/**
 * The services as a filterable list of buttons: the keyboard and screen-reader way into the
 * graph, and the way to find one service among hundreds.
 */
export function ServiceList({
  topology,
  selected,
  onSelect,
}: {
  topology: Topology;
  selected: string | undefined;
  onSelect(id: string): void;
}) {
  const [filter, setFilter] = useState('');
  const shown = topology.nodes.filter((n) => n.id.includes(filter.trim()));
  return (
    <nav className="service-list" aria-label="Services">
      <label>
        Find a service
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="name or namespace" />
      </label>
      <ul>
        {shown.slice(0, 200).map((n) => (
          <li key={n.id}>
            <button type="button" aria-pressed={n.id === selected} className={`health-${n.health}`} onClick={() => onSelect(n.id)}>
              <span className="dot" aria-hidden="true" />
              {n.name} <span className="muted">{formatRps(n.inboundRps)}</span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length > 200 && <p className="muted">{shown.length - 200} more: narrow the filter.</p>}
    </nav>
  );
}
