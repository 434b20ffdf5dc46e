import { namespaceOf, selectorOf } from '@anymesh/core';
import { managedMetadata } from '../shared/metadata.js';
import type { LinkerdContext } from './context.js';
import { versionServiceName } from './names.js';

/** Labels that tie a per-version Service back to the neutral service and version (the evaluator reads them). */
export const SERVICE_LABEL = 'anymesh.io/service';
export const VERSION_LABEL = 'anymesh.io/version';

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
    const name = versionServiceName(svc.metadata.name, need.version);
    ctx.manifests.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: managedMetadata(name, namespaceOf(svc), [svc, ...need.requestedBy.map((l) => l.object)], {
        labels: { [SERVICE_LABEL]: svc.metadata.name, [VERSION_LABEL]: need.version },
      }),
      spec: {
        selector: { ...selectorOf(svc), ...version.labels },
        ports: svc.spec.ports.map((p) => ({
          name: p.name ?? (svc.spec.ports.length > 1 ? `port-${p.port}` : undefined),
          port: p.port,
          protocol: 'TCP',
        })),
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
