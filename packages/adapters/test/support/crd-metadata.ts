// ObjectMeta checks the API server makes itself (CRD schemas declare metadata as a bare object).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyErrors(key: string, where: string): string[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const errors: string[] = [];
  if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    errors.push(`${where}: key prefix "${prefix}" must be a DNS-1123 subdomain`);
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) errors.push(`${where}: key "${key}" is not a qualified name`);
  return errors;
}

export function metadataErrors(metadata: unknown, namespaced: boolean): string[] {
  if (metadata === null || typeof metadata !== 'object') return ['/metadata: must be an object'];
  const m = metadata as { name?: unknown; namespace?: unknown; labels?: unknown; annotations?: unknown };
  const errors: string[] = [];
  if (typeof m.name !== 'string' || m.name.length > 253 || !DNS1123_SUBDOMAIN.test(m.name)) {
    errors.push(`/metadata/name: ${JSON.stringify(m.name)} must be a DNS-1123 subdomain (lower-case alphanumerics, '-', '.')`);
  }
  if (
    namespaced &&
    m.namespace !== undefined &&
    (typeof m.namespace !== 'string' || m.namespace.length > 63 || !DNS1123_LABEL.test(m.namespace))
  ) {
    errors.push(`/metadata/namespace: ${JSON.stringify(m.namespace)} must be a DNS-1123 label`);
  }
  for (const [k, v] of Object.entries((m.labels ?? {}) as Record<string, unknown>)) {
    errors.push(...keyErrors(k, '/metadata/labels'));
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      errors.push(`/metadata/labels/${k}: invalid label value ${JSON.stringify(v)}`);
  }
  for (const [k, v] of Object.entries((m.annotations ?? {}) as Record<string, unknown>)) {
    errors.push(...keyErrors(k, '/metadata/annotations'));
    if (typeof v !== 'string') errors.push(`/metadata/annotations/${k}: must be a string`);
  }
  return errors;
}
