type SchemaNode = Record<string, unknown>;

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Makes a CRD's structural schema strict the way `kubectl apply --validate=strict` is: every object
 * schema with declared `properties` (and no `additionalProperties` or preserve-unknown-fields)
 * rejects undeclared fields. The API server would prune them silently, which is exactly the kind
 * of quiet loss a translator must not have. The root gets apiVersion/kind/metadata declared first.
 */
export function strictSchema(schema: SchemaNode): SchemaNode {
  const root = tighten(structuredClone(schema));
  const properties = isNode(root.properties) ? root.properties : {};
  root.properties = {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    ...properties,
  };
  if (root['additionalProperties'] === undefined) root['additionalProperties'] = false;
  return root;
}

function tighten(node: SchemaNode): SchemaNode {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isNode(value)) {
      for (const child of Object.values(value)) if (isNode(child)) tighten(child);
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isNode(value)) {
      tighten(value);
    } else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value)) {
      for (const child of value) if (isNode(child)) tighten(child);
    }
  }
  const preserves = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isNode(node.properties) && node.additionalProperties === undefined && !preserves) node.additionalProperties = false;
  return node;
}

/** Go's time.ParseDuration syntax (`300ms`, `1h30m`, `-1.5h`, `0`): the Kubernetes `duration` format. */
export const GO_DURATION = /^(0|[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))*)$/;

/**
 * Applies structural-schema `default`s the way the API server does when it decodes a request,
 * before validation and CEL rules run (Gateway API's rules rely on defaulted `matches`).
 */
export function withDefaults(schema: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (isNode(schema.items) ? withDefaults(schema.items, v) : v));
  if (!isNode(value)) return value;
  const props = isNode(schema.properties) ? schema.properties : {};
  const extra = isNode(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const out: SchemaNode = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = isNode(props[key]) ? props[key] : extra;
    out[key] = sub ? withDefaults(sub, v) : v;
  }
  for (const [key, sub] of Object.entries(props)) {
    if (out[key] === undefined && isNode(sub) && sub.default !== undefined) out[key] = withDefaults(sub, structuredClone(sub.default));
  }
  return out;
}
