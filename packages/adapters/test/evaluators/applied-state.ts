import type { Manifest } from '../../src/index.js';

/**
 * Why the mesh's API server (or admission) would refuse an object: its errors, empty when it is
 * accepted. The CRD-schema / CEL validation of the mesh plugs in here (`validateManifest` has this
 * shape); without one, every object is accepted.
 */
export type Rejects = (object: Manifest) => readonly string[];

/** An object the API server refused, and why. */
export interface RejectedObject {
  readonly object: Manifest;
  readonly errors: readonly string[];
}

/**
 * What a cluster holds after `kubectl apply` of a list of objects: one object per API group, kind,
 * namespace and name, the later replacing the earlier. Evaluators see only this, so two emitted
 * objects with one name show up as a lost object, not as two policies.
 */
export interface AppliedState {
  /** Every stored object, in the order each key was first applied. */
  readonly objects: readonly Manifest[];
  readonly rejected: readonly RejectedObject[];
  /** Objects of one kind (and API group, when given), optionally in one namespace. */
  list(kind: string, options?: { group?: string; namespace?: string }): readonly Manifest[];
  get(kind: string, namespace: string, name: string, group?: string): Manifest | undefined;
}

/** `networking.istio.io/v1` → `networking.istio.io`; core `v1` → `` (the core group is the empty string). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Namespaced objects without a namespace land in `default`, as kubectl puts them. */
export function namespaceOfObject(m: Manifest): string {
  return m.metadata.namespace ?? 'default';
}

function keyOf(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/** Applies objects in order, as `kubectl apply -f` of one file would; rejected objects are not stored. */
export function applyState(objects: readonly Manifest[], rejects: Rejects = () => []): AppliedState {
  const stored = new Map<string, Manifest>();
  const rejected: RejectedObject[] = [];
  for (const object of objects) {
    const errors = rejects(object);
    if (errors.length > 0) {
      rejected.push({ object, errors });
      continue;
    }
    stored.set(keyOf(groupOf(object.apiVersion), object.kind, namespaceOfObject(object), object.metadata.name), object);
  }
  const all = [...stored.values()];
  return {
    objects: all,
    rejected,
    list: (kind, options = {}) =>
      all.filter(
        (m) =>
          m.kind === kind &&
          (options.group === undefined || groupOf(m.apiVersion) === options.group) &&
          (options.namespace === undefined || namespaceOfObject(m) === options.namespace),
      ),
    get: (kind, namespace, name, group) =>
      group !== undefined
        ? stored.get(keyOf(group, kind, namespace, name))
        : all.find((m) => m.kind === kind && namespaceOfObject(m) === namespace && m.metadata.name === name),
  };
}
