import type { Service } from '@anymesh/core';

/**
 * The port a destination service receives a routed request on (docs/model.md, "Destination port"):
 * the port the request came in on when the destination has it, else the destination's first HTTP
 * port (its first port when it has none).
 */
export function neutralDestinationPort(destination: Service, requestPort: number): number {
  const ports = destination.spec.ports;
  if (ports.some((p) => p.port === requestPort)) return requestPort;
  return (ports.find((p) => (p.protocol ?? 'http') !== 'tcp') ?? ports[0]).port;
}
