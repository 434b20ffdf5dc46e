import { namespaceOf, objectRef, type PolicyObject } from '@anymesh/core';
import type { ManifestMetadata } from '../types.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'anymesh';
/** Names the neutral object(s) a manifest came from, e.g. `TrafficRoute/bookstore/reviews`. */
export const SOURCE_ANNOTATION = 'anymesh.io/source';

/** Metadata every generated object carries: the managed-by label and the source annotation. */
export function managedMetadata(
  name: string,
  namespace: string,
  sources: readonly PolicyObject[],
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): ManifestMetadata {
  const refs = sources.length === 1 ? objectRef(sources[0]!) : [...new Set(sources.map(objectRef))].sort().join(',');
  // Copies and assignments, not spreads with a computed key (which V8 builds slowly): one per generated object.
  const labels: Record<string, string> = { ...extra.labels };
  labels[MANAGED_BY_LABEL] = MANAGED_BY;
  const annotations: Record<string, string> = { ...extra.annotations };
  annotations[SOURCE_ANNOTATION] = refs;
  return { name, namespace, labels, annotations };
}

export { namespaceOf };
