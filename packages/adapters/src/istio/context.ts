import { meshSettings, type MeshSettings, type PolicySet } from '@anymesh/core';
import { GapReporter } from '../shared/gaps.js';
import { PodMates } from '../shared/pod-mates.js';
import type { Manifest } from '../types.js';

/** What every Istio translation step reads and writes. */
export interface IstioContext {
  readonly set: PolicySet;
  readonly mesh: MeshSettings;
  readonly gaps: GapReporter;
  readonly manifests: Manifest[];
  /** Which services may select the same pods, indexed once per translation. */
  readonly podMates: PodMates;
}

export function newContext(set: PolicySet, strict: boolean): IstioContext {
  return {
    set,
    mesh: meshSettings(set.mesh?.object),
    gaps: new GapReporter('istio', strict),
    manifests: [],
    podMates: new PodMates([...set.services.values()].map((s) => s.object)),
  };
}
