// Typed errors of @anymesh/kube. Every message is one a user can act on: it names the cluster, the object, the
// field, the identity — whatever the failure is about. The CLI prints `message`; nothing here prints or exits.

/** Base of every error this package throws on purpose. */
export class KubeError extends Error {
  override readonly name: string = 'KubeError';
}

/** The local dev cluster (etcd + kube-apiserver) could not be built, started or stopped. */
export class DevClusterError extends KubeError {
  override readonly name = 'DevClusterError';
}

/** No usable kubeconfig, or the named context does not exist. */
export class KubeconfigError extends KubeError {
  override readonly name = 'KubeconfigError';
}

/** The API server did not answer: names the URL and the context. */
export class ClusterUnreachableError extends KubeError {
  override readonly name = 'ClusterUnreachableError';
  constructor(
    readonly server: string,
    readonly context: string,
    readonly reason: string,
  ) {
    super(`the Kubernetes API server ${server} (context "${context}") is unreachable: ${reason}`);
  }
}

/** A kind the translation needs is not served: the mesh's CRDs are not installed. */
export class CrdMissingError extends KubeError {
  override readonly name = 'CrdMissingError';
  constructor(
    readonly meshDisplayName: string,
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`the ${meshDisplayName} CRDs are not installed: ${kind} ${apiVersion} is unknown to the API server`);
  }
}

/** RBAC refused a request: names the verb, resource, namespace and the identity. */
export class ForbiddenError extends KubeError {
  override readonly name = 'ForbiddenError';
  constructor(
    readonly verb: string,
    readonly resource: string,
    readonly namespace: string | undefined,
    readonly user: string,
    serverMessage: string,
  ) {
    super(`forbidden: ${user} may not ${verb} ${resource}${namespace ? ` in namespace "${namespace}"` : ''} (${serverMessage})`);
  }
}

/** The server rejected an object (schema, CEL rule, admission): names the object, field and the source policy. */
export class InvalidObjectError extends KubeError {
  override readonly name = 'InvalidObjectError';
  constructor(
    readonly object: string,
    readonly fields: readonly { field: string; message: string }[],
    readonly source: string | undefined,
    serverMessage: string,
  ) {
    const detail = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : serverMessage;
    super(`the API server rejected ${object}${source ? ` (from ${source})` : ''}: ${detail}`);
  }
}

/** Another field manager owns fields anymesh would change; nothing was applied. */
export class FieldConflictError extends KubeError {
  override readonly name = 'FieldConflictError';
  constructor(readonly conflicts: readonly FieldConflict[]) {
    super(
      `${conflicts.length} field(s) owned by another manager; nothing applied (use --force-conflicts to take them over):\n` +
        conflicts.map((c) => `  ${c.object}: ${c.field} is owned by "${c.manager}"`).join('\n'),
    );
  }
}

export interface FieldConflict {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** The field path as the server names it, e.g. `.spec.http`. */
  readonly field: string;
  readonly manager: string;
}
