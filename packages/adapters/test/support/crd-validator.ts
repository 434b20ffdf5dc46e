import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { celErrors } from './crd-cel.js';
import { CRDS_DIR, crdKey, loadCrdIndex, type CrdVersion } from './crd-index.js';
import { metadataErrors } from './crd-metadata.js';
import { GO_DURATION, strictSchema, withDefaults } from './crd-schema.js';

export { CRDS_DIR } from './crd-index.js';

/** A generated object as far as the validator cares. */
export interface ManifestLike {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
  readonly metadata?: unknown;
  readonly [key: string]: unknown;
}

/** Built-in API groups (no CRD): only ObjectMeta is checked for them. */
const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io']);

function formatAjvError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where}: ${e.message} ${JSON.stringify(e.params.allowedValues)}`;
  return `${where}: ${e.message}`;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  ajv.addFormat('duration', GO_DURATION);
  for (const f of ['byte', 'date-time', 'ipv4', 'ipv6', 'url', 'string']) ajv.addFormat(f, true);
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (on: boolean, v: unknown) => !on || Number.isInteger(v) || typeof v === 'string',
  });
  return ajv;
}

/** Validates generated manifests against the real upstream CRD schemas vendored in third_party/crds. */
export class CrdValidator {
  readonly #index: Map<string, CrdVersion>;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #ajv = newAjv();
  /** CEL rules met that the CEL library could not evaluate, for the record. */
  readonly unevaluatedRules = new Set<string>();

  constructor(dir = CRDS_DIR) {
    this.#index = loadCrdIndex(dir);
  }

  /** Every reason the API server (with strict field validation) would reject the object; empty when it would accept it. */
  validate(manifest: ManifestLike): string[] {
    const { apiVersion, kind } = manifest;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['/: apiVersion and kind must be strings'];
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    if (BUILT_IN_GROUPS.has(group)) return metadataErrors(manifest.metadata, true);
    const crd = this.#index.get(crdKey(group, version, kind));
    if (!crd) return [`/: no CRD defines ${kind} in ${apiVersion} ("no matches for kind")`];
    if (!crd.served) return [`/: ${kind} ${apiVersion} is not served by ${crd.file}`];
    const key = crdKey(group, version, kind);
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(strictSchema(crd.schema));
      this.#compiled.set(key, validate);
    }
    const defaulted = withDefaults(crd.schema, manifest);
    const errors = validate(defaulted) ? [] : (validate.errors ?? []).map(formatAjvError);
    const cel = celErrors(crd.schema, defaulted);
    for (const rule of cel.unevaluated) this.unevaluatedRules.add(`${kind}: ${rule}`);
    return [...metadataErrors(manifest.metadata, crd.namespaced), ...errors, ...cel.errors];
  }
}

let shared: CrdValidator | undefined;

/** Validates with a validator shared across a test file, built on first use. */
export function validateManifest(manifest: ManifestLike): string[] {
  shared ??= new CrdValidator();
  return shared.validate(manifest);
}
