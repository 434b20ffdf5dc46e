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
  const refs = [...new Set(sources.map(objectRef))].sort();
  return {
    name,
    namespace,
    labels: { ...extra.labels, [MANAGED_BY_LABEL]: MANAGED_BY },
    annotations: { ...extra.annotations, [SOURCE_ANNOTATION]: refs.join(',') },
  };
}

export { namespaceOf };
