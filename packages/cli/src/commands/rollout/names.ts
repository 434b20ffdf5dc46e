import { UsageError } from '../../errors.js';

export interface RolloutName {
  readonly namespace: string;
  readonly name: string;
}

/** `name` (in `namespace`, the -n flag's value) or `namespace/name`; anything else is a usage error. */
export function parseRolloutName(value: string, namespace: string): RolloutName {
  const parts = value.split('/');
  const valid = parts.length <= 2 && parts.every((p) => p !== '');
  if (!valid) throw new UsageError(`a rollout is named <name> or <namespace>/<name>, got "${value}"`);
  return parts.length === 2 ? { namespace: parts[0]!, name: parts[1]! } : { namespace, name: value };
}

export function formatName(name: RolloutName): string {
  return `${name.namespace}/${name.name}`;
}
