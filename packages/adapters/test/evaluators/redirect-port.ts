import type { RedirectPort } from '../../src/index.js';

/**
 * A Location port as decisions write it (RouteDecision's convention): the well-known port of the
 * Location's scheme (http when none is given: mesh traffic between sidecars is plain HTTP) is
 * `scheme-default`, since a client sees no port in the Location either way.
 */
export function decisionPort(port: number | 'request' | 'scheme-default', scheme: 'http' | 'https' | undefined): RedirectPort {
  const wellKnown = scheme === 'https' ? 443 : 80;
  return port === wellKnown ? 'scheme-default' : port;
}
