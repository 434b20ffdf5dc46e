import type { Manifest } from '../types.js';

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** Deep copy with object keys sorted: apiVersion, kind, metadata, spec first at the top, alphabetical elsewhere. */
export function orderKeys<T>(value: T, top = true): T {
  if (Array.isArray(value)) return value.map((v) => orderKeys(v, false)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => {
    if (top) {
      const ia = TOP_KEYS.indexOf(a);
      const ib = TOP_KEYS.indexOf(b);
      if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return Object.fromEntries(entries.map(([k, v]) => [k, orderKeys(v, false)])) as T;
}

/** Stable manifest order: by apiVersion, kind, namespace, name (each key built once, not per comparison). */
export function sortManifests(manifests: readonly Manifest[]): Manifest[] {
  const keyed = manifests.map((m) => ({
    manifest: orderKeys(m),
    key: [m.apiVersion, m.kind, m.metadata.namespace ?? '', m.metadata.name].join('\u0000'),
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.manifest);
}
