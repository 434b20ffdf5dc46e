// Public API of @anymesh/kube: cluster access, the errors, and the local dev cluster (etcd + kube-apiserver).
export { connect, type ClusterConnection, type ClusterOptions } from './cluster/connect.js';
export {
  KubeError,
  DevClusterError,
  KubeconfigError,
  ClusterUnreachableError,
  CrdMissingError,
  ForbiddenError,
  InvalidObjectError,
  FieldConflictError,
  type FieldConflict,
} from './errors.js';
export {
  startDevCluster,
  DEV_CONTEXT,
  LIMITED_CONTEXT,
  LIMITED_USER,
  type DevCluster,
  type DevClusterOptions,
} from './dev-cluster/dev-cluster.js';
export { findKubeBinaries, kubeBinaryDir, repositoryRoot } from './dev-cluster/paths.js';
export { installCrds, vendoredCrds, MESH_CRD_DIRS } from './dev-cluster/install-crds.js';
export { KubeRest, KubeHttpError, type LiveObject, type ResourceInfo, type RequestBody } from './cluster/rest.js';
export { toKubeError, conflictsOf, statusOf, httpCodeOf, type ApiStatus, type RequestContext } from './cluster/api-errors.js';
export { applyManifests, deleteInStages, type OwnedObject } from './apply/apply.js';
export { listOwned, planPrune } from './apply/prune.js';
export { MESH_KINDS, meshKinds, stageOf, type KindRef } from './apply/mesh-kinds.js';
export {
  owned,
  ownedSelector,
  describeObject,
  objectKey,
  MESH_LABEL,
  APPLY_SET_LABEL,
  CONTENT_HASH_ANNOTATION,
  DEFAULT_APPLY_SET,
  FIELD_MANAGER,
} from './apply/ownership.js';
export { comparable, sameContent, stableJson } from './apply/live.js';
export { countChanges, type ApplyOptions, type ApplyReport, type ChangeAction, type ObjectChange } from './apply/types.js';
export { mapLimit } from './util/map-limit.js';
export { applyAssigned, type AssignedApplyOptions, type AssignedApplyReport, type AssignedChange } from './apply/apply-assigned.js';
