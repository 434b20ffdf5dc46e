import type { LiveObject } from '../cluster/rest.js';

/** Metadata the server maintains: not part of what an apply changes. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'creationTimestamp', 'uid'];

/** The object without server-maintained metadata and status: what apply compares and diff shows. */
export function comparable(object: LiveObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) if (!SERVER_METADATA.includes(key)) kept[key] = value;
  return { ...rest, metadata: kept };
}

/** Deep equality of two comparable objects (key order ignored). */
export function sameContent(a: LiveObject, b: LiveObject): boolean {
  return stableJson(comparable(a)) === stableJson(comparable(b));
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
