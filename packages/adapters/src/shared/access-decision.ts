import type { AccessRequest } from '@anymesh/core';
import type { Manifest } from '../types.js';

/**
 * An adapter's reading of its own authorization output, following the target mesh's documented
 * semantics: true when the mesh would let the request through. Compared with core's compileAccess.
 */
export type AccessEvaluator = (manifests: readonly Manifest[], request: AccessRequest) => boolean;
