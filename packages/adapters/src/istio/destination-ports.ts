import { findService, type Service } from '@anymesh/core';
import { neutralDestinationPort } from '../shared/destination-port.js';
import type { IstioContext } from './context.js';
import { parseHost } from './names.js';

type Destination = { host: string; subset?: string; port?: { number: number } };
type HttpEntry = Record<string, unknown> & {
  match?: Record<string, unknown>[];
  route?: { destination: Destination }[];
  mirror?: Destination;
};

/** Istio's cluster port for a destination without a port: the only port of the host, else the listener's port (503 when the host lacks it). */
function istioDefaultPort(destination: Service, listenerPort: number): number {
  return destination.spec.ports.length === 1 ? destination.spec.ports[0].port : listenerPort;
}

function destinationsOf(entry: HttpEntry): Destination[] {
  return [...(entry.route ?? []).map((r) => r.destination), ...(entry.mirror ? [entry.mirror] : [])];
}

function withPorts(entry: HttpEntry, ports: ReadonlyMap<Destination, number>, listenerPort: number | undefined): HttpEntry {
  const port = (d: Destination): Destination => (ports.has(d) ? { ...d, port: { number: ports.get(d)! } } : d);
  const match = listenerPort === undefined ? entry.match : (entry.match ?? [{}]).map((m) => ({ ...m, port: listenerPort }));
  return {
    ...entry,
    match,
    route: entry.route?.map((r) => ({ ...r, destination: port(r.destination) })),
    mirror: entry.mirror && port(entry.mirror),
  };
}

/**
 * Makes every destination receive the neutral port. Without a port, Istio sends to the listener's
 * port — a cluster the destination does not have when it has several ports but not that one (503).
 * When one port is right for every HTTP port of the routed service, it is written on the
 * destination; when it depends on the port the request came in on, the entry is written once per
 * such port, each with `match.port`, in place (so the order of entries is kept).
 */
export function pinDestinationPorts(ctx: IstioContext, namespace: string, parent: Service, http: HttpEntry[]): HttpEntry[] {
  const listenerPorts = parent.spec.ports.filter((p) => (p.protocol ?? 'http') !== 'tcp').map((p) => p.port);
  return http.flatMap((entry) => {
    const needs = destinationsOf(entry).flatMap((d) => {
      const host = parseHost(d.host);
      const service = host && findService(ctx.set, host.namespace ?? namespace, host.service);
      if (!service || d.port) return [];
      const per = listenerPorts.map((l) => ({ l, want: neutralDestinationPort(service, l), istio: istioDefaultPort(service, l) }));
      return per.some((x) => x.want !== x.istio) ? [{ d, per }] : [];
    });
    if (needs.length === 0) return [entry];
    if (needs.every(({ per }) => per.every((x) => x.want === per[0]!.want))) {
      return [withPorts(entry, new Map(needs.map(({ d, per }) => [d, per[0]!.want])), undefined)];
    }
    return listenerPorts.map((l, i) => withPorts(entry, new Map(needs.map(({ d, per }) => [d, per[i]!.want])), l));
  });
}
