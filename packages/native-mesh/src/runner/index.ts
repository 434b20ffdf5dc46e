export {
  startLocalMesh,
  INGRESS_SERVICE,
  type LocalMesh,
  type LocalMeshOptions,
  type RunningInstance,
  type EntryPoint,
} from './local-mesh.js';
export type { LocalMeshEvent } from './events.js';
export { RunnerError, type RunnerErrorCode } from './errors.js';
export type { DemoLoadStats } from './demo-load.js';
export type { ReplicaPorts } from './launch.js';
export { freePort } from './free-port.js';
