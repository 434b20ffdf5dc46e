import { formatFieldPath, objectRef, type Diagnostic, type FeatureName, type FieldPath, type LoadedObject } from '@anymesh/core';
import type { MeshName } from '../types.js';

export type GapKind = 'unsupported' | 'approximated' | 'assumption';

/**
 * Collects what a translation cannot keep exactly. Nothing is dropped or rounded silently:
 * every gap is a diagnostic naming the feature, the neutral field path and the nearest equivalent.
 * With `strict`, unsupported and approximated features are errors.
 */
export class GapReporter {
  readonly #mesh: MeshName;
  readonly #strict: boolean;
  readonly #diagnostics: Diagnostic[] = [];

  constructor(mesh: MeshName, strict = false) {
    this.#mesh = mesh;
    this.#strict = strict;
  }

  /** The mesh cannot express this; it is left out of the output. */
  unsupported(loaded: LoadedObject, path: FieldPath, feature: FeatureName, message: string): void {
    this.#add(loaded, path, feature, 'AM4001', this.#strict ? 'error' : 'warning', `${this.#mesh} cannot express ${feature}: ${message}`);
  }

  /** Expressed with a different mechanism or a caveat; the message says which. */
  approximated(loaded: LoadedObject, path: FieldPath, feature: FeatureName, message: string): void {
    this.#add(loaded, path, feature, 'AM4002', this.#strict ? 'error' : 'warning', `${this.#mesh} approximates ${feature}: ${message}`);
  }

  /** Exact, but only under a stated assumption about the cluster (e.g. one service account per version). */
  assumption(loaded: LoadedObject, path: FieldPath, feature: FeatureName, message: string): void {
    this.#add(loaded, path, feature, 'AM4003', 'info', `${this.#mesh} translation of ${feature} assumes: ${message}`);
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#diagnostics;
  }

  #add(
    loaded: LoadedObject,
    path: FieldPath,
    feature: FeatureName,
    code: Diagnostic['code'],
    severity: Diagnostic['severity'],
    message: string,
  ) {
    this.#diagnostics.push({
      code,
      severity,
      ...loaded.positionOf(path),
      path: formatFieldPath(path),
      message,
      object: objectRef(loaded.object),
      feature,
      mesh: this.#mesh,
    });
  }
}
