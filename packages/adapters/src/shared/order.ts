import type { Manifest } from '../types.js';

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/** Deep copy with object keys sorted: apiVersion, kind, metadata, spec first at the top, alphabetical elsewhere. */
export function orderKeys<T>(value: T, top = true): T {
  if (Array.isArray(value)) return value.map((v) => orderKeys(v, false)) as T;
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does; one sort of the names, no comparator calls.
  const keys = Object.keys(source).sort();
  const copy: Record<string, unknown> = {};
  if (top) for (const key of TOP_KEYS) if (Object.hasOwn(source, key)) copyEntry(source, key, copy);
  for (const key of keys) if (!top || !TOP_KEYS.includes(key)) copyEntry(source, key, copy);
  return copy as T;
}

function copyEntry(source: Record<string, unknown>, key: string, copy: Record<string, unknown>): void {
  const value = source[key];
  if (value === undefined) return;
  // A key `__proto__` (a label, say) stays a key, as Object.fromEntries kept it, instead of setting the prototype.
  if (key === '__proto__')
    Object.defineProperty(copy, key, { value: orderKeys(value, false), enumerable: true, writable: true, configurable: true });
  else copy[key] = orderKeys(value, false);
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
