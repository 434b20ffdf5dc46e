import type { AccessPolicy, Mesh, Rollout, Service, TrafficPolicy, TrafficRoute, Workload } from './generated.js';
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type { FieldPath } from '../diagnostics/field-path.js';

export const API_VERSION = 'anymesh.io/v1alpha1';

/** Every kind of the neutral model, in the order documents are best read. */
export const KINDS = ['Mesh', 'Service', 'TrafficRoute', 'TrafficPolicy', 'AccessPolicy', 'Rollout', 'Workload'] as const;
export type Kind = (typeof KINDS)[number];

/** Any object of the neutral model, discriminated by `kind`. */
export type PolicyObject = Mesh | Service | TrafficRoute | TrafficPolicy | AccessPolicy | Rollout | Workload;

export type ObjectOfKind<K extends Kind> = Extract<PolicyObject, { kind: K }>;

/** Finds where a field of an object was written; falls back to the nearest enclosing field. */
export type PositionResolver = (path: FieldPath) => SourcePosition;

/** A document as loaded: the parsed value plus where it came from. */
export interface LoadedDocument {
  readonly value: unknown;
  readonly source: SourcePosition;
  readonly positionOf: PositionResolver;
}

/** A schema-valid object with its source. */
export interface LoadedObject<T extends PolicyObject = PolicyObject> {
  readonly object: T;
  readonly source: SourcePosition;
  readonly positionOf: PositionResolver;
}

export const DEFAULT_NAMESPACE = 'default';

export function namespaceOf(object: { metadata: { namespace?: string } }): string {
  return object.metadata.namespace ?? DEFAULT_NAMESPACE;
}

/** `Kind/namespace/name`, the key under which diagnostics and annotations name an object. */
export function objectRef(object: PolicyObject): string {
  return `${object.kind}/${namespaceOf(object)}/${object.metadata.name}`;
}

export function isKind<K extends Kind>(kind: K) {
  return (loaded: LoadedObject): loaded is LoadedObject<ObjectOfKind<K>> => loaded.object.kind === kind;
}
