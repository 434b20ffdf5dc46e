import { compileRule } from './cel/kubernetes-cel.js';

type SchemaNode = Record<string, unknown>;
interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
}

/** Result of evaluating every `x-kubernetes-validations` rule that applies to a value. */
export interface CelResult {
  readonly errors: string[];
  /** Rules that errored for a reason other than the data (a gap in our CEL environment); not counted as passing. Kept at 0 by crd-cel.test.ts. */
  readonly unevaluated: string[];
}

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON → CEL values: schema integers become CEL ints (BigInt), schema numbers stay doubles. */
function toCel(value: unknown, schema: SchemaNode | undefined): unknown {
  if (typeof value === 'number') {
    const integer = schema?.type === 'integer' || (schema?.['x-kubernetes-int-or-string'] === true && Number.isInteger(value));
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => toCel(v, isNode(schema?.items) ? schema.items : undefined));
  if (isNode(value)) {
    const props = isNode(schema?.properties) ? schema.properties : {};
    const extra = isNode(schema?.additionalProperties) ? schema.additionalProperties : undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v, isNode(props[k]) ? props[k] : extra)]));
  }
  return value;
}

/**
 * Evaluates the CRD's CEL rules the way the API server does on create: each rule with `self` bound to
 * the value at the schema node that carries it. Transition rules (`oldSelf`) do not apply to creates.
 */
export function celErrors(schema: SchemaNode, value: unknown): CelResult {
  const result: CelResult = { errors: [], unevaluated: [] };
  walk(schema, value, '', result);
  return result;
}

function walk(schema: SchemaNode, value: unknown, path: string, result: CelResult): void {
  if (value === undefined || value === null) return;
  const rules = (schema['x-kubernetes-validations'] ?? []) as CelRule[];
  for (const rule of rules) {
    if (/\boldSelf\b/.test(rule.rule)) continue;
    try {
      if (compileRule(rule.rule)({ self: toCel(value, schema) }) !== true) {
        result.errors.push(`${path || '/'}: ${rule.message ?? `failed rule: ${rule.rule}`} (CEL: ${rule.rule})`);
      }
    } catch (error) {
      const message = (error as Error).message;
      // A missing key is a real evaluation error on the API server too; unknown overloads are our library's gap.
      if (/no such key/i.test(message)) result.errors.push(`${path || '/'}: CEL rule errored (${message.split('\n')[0]}): ${rule.rule}`);
      else result.unevaluated.push(`${path || '/'}: ${rule.rule}`);
    }
  }
  if (Array.isArray(value)) {
    if (isNode(schema.items)) value.forEach((v, i) => walk(schema.items as SchemaNode, v, `${path}/${i}`, result));
    return;
  }
  if (!isNode(value)) return;
  const props = isNode(schema.properties) ? schema.properties : {};
  for (const [key, child] of Object.entries(value)) {
    const sub = isNode(props[key]) ? props[key] : isNode(schema.additionalProperties) ? schema.additionalProperties : undefined;
    if (sub) walk(sub, child, `${path}/${key}`, result);
  }
}
