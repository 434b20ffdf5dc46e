import { meshSettings, namespaceOf, type LoadedObject, type MeshSettings, type PolicySet, type Service } from '@anymesh/core';
import { GapReporter } from '../shared/gaps.js';
import { NameAllocator } from '../shared/names.js';
import type { Manifest } from '../types.js';
import { NAME_SPACES } from './names.js';

/** A per-version backend Service some route needs, with the neutral objects that asked for it. */
export interface VersionServiceNeed {
  readonly service: LoadedObject<Service>;
  readonly version: string;
  /** The Service's name: `<service>-<version>` unless that is taken or too long (shared/names.ts). */
  readonly name: string;
  readonly requestedBy: LoadedObject[];
}

/** What every Linkerd translation step reads and writes. */
export interface LinkerdContext {
  readonly set: PolicySet;
  readonly mesh: MeshSettings;
  readonly gaps: GapReporter;
  /** Errors regardless of `strict`: what would change meaning so much that we refuse (mTLS disabled). */
  readonly refusals: GapReporter;
  readonly manifests: Manifest[];
  /** Keyed `namespace/service/version`. */
  readonly versionServices: Map<string, VersionServiceNeed>;
  /** Names of generated objects, with the user's Services reserved. */
  readonly names: NameAllocator;
}

export function newContext(set: PolicySet, strict: boolean): LinkerdContext {
  const names = new NameAllocator();
  for (const { object } of set.services.values()) {
    names.reserve(NAME_SPACES.service, namespaceOf(object), object.metadata.name, `Service/${namespaceOf(object)}/${object.metadata.name}`);
  }
  return {
    set,
    mesh: meshSettings(set.mesh?.object),
    gaps: new GapReporter('linkerd', strict),
    refusals: new GapReporter('linkerd', true),
    manifests: [],
    versionServices: new Map(),
    names,
  };
}
