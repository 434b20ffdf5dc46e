import { namespaceOf, selectorOf, type ServicePort } from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { LinkerdContext } from './context.js';

/** Labels that tie a per-version Service back to the neutral service and version (the evaluator reads them). */
export const SERVICE_LABEL = 'anymesh.io/service';
export const VERSION_LABEL = 'anymesh.io/version';

/** Kubernetes port names (IANA_SVC_NAME): at most 15 characters, at least one letter, no `--`. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/**
 * The ports of a per-version Service. The neutral port names (any DNS label, up to 63 characters)
 * are kept when Kubernetes accepts all of them; otherwise every port is `port-<number>` (unique, as
 * port numbers are): nothing routes by these names (backendRefs name port numbers).
 */
function versionServicePorts(ports: readonly ServicePort[]): { name: string | undefined; port: number; protocol: 'TCP' }[] {
  const own = ports.map((p) => p.name ?? (ports.length > 1 ? `port-${p.port}` : undefined));
  const valid = own.every((n) => n === undefined || PORT_NAME.test(n)) && new Set(own).size === own.length;
  return ports.map((p, i) => ({ name: valid ? own[i] : `port-${p.port}`, port: p.port, protocol: 'TCP' as const }));
}

/**
 * One Kubernetes Service per version a route sends traffic to, selecting the service's selector
 * plus the version's labels, with the neutral service's ports. Reported, because these are objects
 * the user did not write, and because `targetPort` is assumed equal to `port` (the neutral model
 * does not know the pods' ports).
 */
export function emitVersionServices(ctx: LinkerdContext): void {
  for (const need of ctx.versionServices.values()) {
    const svc = need.service.object;
    const version = svc.spec.versions?.[need.version];
    if (version === undefined) continue;
    const name = need.name;
    ctx.manifests.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: managedMetadata(name, namespaceOf(svc), [svc, ...need.requestedBy.map((l) => l.object)], {
        labels: { [SERVICE_LABEL]: svc.metadata.name, [VERSION_LABEL]: need.version },
      }),
      spec: {
        selector: { ...selectorOf(svc), ...version.labels },
        ports: versionServicePorts(svc.spec.ports),
      },
    });
    ctx.gaps.approximated(
      need.service,
      ['spec', 'versions', need.version],
      'split.versions',
      `Linkerd routes to Services, not label subsets: anymesh adds Service ${name} (selector ${JSON.stringify({ ...selectorOf(svc), ...version.labels })}, targetPort = port)`,
    );
  }
}
