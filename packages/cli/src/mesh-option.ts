import type { Adapter } from '@anymesh/adapters';
import { UsageError } from './errors.js';

/**
 * The meshes `--mesh` takes, in the adapters' order, for help texts: written here so that `validate --help` and a
 * validate without `--mesh` do not load the adapters (a test checks it is exactly the adapters' list).
 */
export const MESH_NAMES = ['istio', 'consul', 'linkerd'] as const;

/** The adapter for `--mesh`; a missing or unknown mesh is a usage error (exit 2) listing the meshes there are. */
export async function adapterOption(mesh: string | undefined, command: string): Promise<Adapter> {
  const { ADAPTERS, adapterFor } = await import('@anymesh/adapters');
  const known = ADAPTERS.map((a) => a.name).join(', ');
  if (mesh === undefined) throw new UsageError(`${command} needs --mesh: one of ${known}`);
  const adapter = adapterFor(mesh);
  if (!adapter) throw new UsageError(`unknown mesh "${mesh}": known meshes are ${known}`);
  return adapter;
}
