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
