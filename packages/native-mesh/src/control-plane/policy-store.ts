import {
  buildPolicySet,
  loadTexts,
  meshSettings,
  type Diagnostic,
  type PolicyObject,
  type PolicySet,
  type SourceText,
} from '@anymesh/core';
import type { MeshSettings } from '@anymesh/core';

/** A policy set that passed validation: the texts it came from and what sidecars receive. */
export interface AcceptedPolicies {
  readonly sources: readonly SourceText[];
  readonly mesh: MeshSettings;
  readonly policies: readonly PolicyObject[];
  /** The same objects indexed by core (rollout routes are computed against it). */
  readonly set: PolicySet;
  /** Warnings and infos of the accepted set (errors would have refused it). */
  readonly diagnostics: readonly Diagnostic[];
}

export type PolicyCheck =
  { readonly ok: true; readonly accepted: AcceptedPolicies } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Validates policy texts exactly as `anymesh validate` does (schema, then semantic checks).
 * Pure: nothing is stored here, so a refused set cannot change what is in force.
 */
export function checkPolicies(sources: readonly SourceText[]): PolicyCheck {
  const loaded = loadTexts(sources);
  if (!loaded.valid) return { ok: false, diagnostics: loaded.diagnostics };
  return {
    ok: true,
    accepted: {
      sources: sources.map((s) => ({ file: s.file, text: s.text })),
      mesh: meshSettings(loaded.set.mesh?.object),
      policies: loaded.set.objects.map((o) => o.object),
      set: loaded.set,
      diagnostics: loaded.diagnostics,
    },
  };
}

export const EMPTY_POLICIES: AcceptedPolicies = {
  sources: [],
  mesh: meshSettings(undefined),
  policies: [],
  set: buildPolicySet([]),
  diagnostics: [],
};
