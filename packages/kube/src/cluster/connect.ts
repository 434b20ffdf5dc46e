import { existsSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { KubeconfigError } from '../errors.js';
import { KubeRest } from './rest.js';

/** How to reach a cluster, as kubectl takes it. */
export interface ClusterOptions {
  /** `--kubeconfig`; else `$KUBECONFIG` (a path list), else ~/.kube/config, else the in-cluster service account. */
  readonly kubeconfig?: string;
  /** `--context`; else the kubeconfig's current context. */
  readonly context?: string;
  /** `-n/--namespace`; else the context's namespace, else `default`. */
  readonly namespace?: string;
}

/** A resolved connection: which server, as whom, and the client to reach it. */
export interface ClusterConnection {
  readonly kubeConfig: KubeConfig;
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  /** client-node's generic object API: reads, lists, watches. */
  readonly objects: KubernetesObjectApi;
  /** Exact JSON requests (server-side apply, status writes): see rest.ts for why. */
  readonly rest: KubeRest;
}

/** Resolves the kubeconfig like kubectl; throws KubeconfigError naming what was looked for. */
export function connect(options: ClusterOptions = {}): ClusterConnection {
  const kubeConfig = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) {
      if (!existsSync(options.kubeconfig)) throw new KubeconfigError(`kubeconfig ${options.kubeconfig} does not exist`);
      kubeConfig.loadFromFile(options.kubeconfig);
    } else {
      kubeConfig.loadFromDefault();
    }
  } catch (error) {
    if (error instanceof KubeconfigError) throw error;
    throw new KubeconfigError(`cannot read the kubeconfig: ${(error as Error).message}`);
  }
  if (options.context !== undefined) {
    if (!kubeConfig.getContextObject(options.context))
      throw new KubeconfigError(
        `context "${options.context}" is not in the kubeconfig (it has: ${
          kubeConfig
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster)
    throw new KubeconfigError(
      'no cluster to talk to: pass --kubeconfig, set $KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
    );
  const context = kubeConfig.getCurrentContext();
  const namespace = options.namespace ?? kubeConfig.getContextObject(context)?.namespace ?? 'default';
  return {
    kubeConfig,
    context,
    server: cluster.server,
    namespace,
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    rest: new KubeRest(kubeConfig, cluster.server),
  };
}
