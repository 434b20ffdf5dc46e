import type { Manifest } from '../../src/types.js';
import { groupOf } from '../evaluators/index.js';

/** `kind namespace/name` of every name two manifests share: applying them, the later would overwrite the earlier. */
export function sharedNames(manifests: readonly Manifest[]): string[] {
  const seen = new Map<string, number>();
  for (const m of manifests) {
    const key = `${groupOf(m.apiVersion)} ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}

/** IANA_SVC_NAME, what Kubernetes requires of a port name: at most 15 characters, a letter, no `--`. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

/** What the API server would reject: Service names over 63 characters, other names over 253, invalid port names. */
export function rejectedNames(manifests: readonly Manifest[]): string[] {
  const out: string[] = [];
  for (const m of manifests) {
    const max = m.kind === 'Service' && m.apiVersion === 'v1' ? 63 : 253;
    if (m.metadata.name.length > max) out.push(`${m.kind} ${m.metadata.name}: longer than ${max}`);
    const ports = (m.spec as { ports?: { name?: string }[] } | undefined)?.ports;
    if (m.kind !== 'Service' || !Array.isArray(ports)) continue;
    for (const p of ports)
      if (p.name !== undefined && !PORT_NAME.test(p.name)) out.push(`${m.kind} ${m.metadata.name}: port name ${p.name}`);
  }
  return out;
}
