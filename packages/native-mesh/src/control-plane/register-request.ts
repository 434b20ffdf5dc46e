import type { InstanceInfo } from '../protocol/types.js';
import { HttpError } from './http-io.js';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ID = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;

/**
 * Checks a registration body field by field and reports every problem at once, so a sidecar
 * built against another protocol revision gets a message that names the fields to fix.
 */
export function parseRegisterRequest(body: unknown): InstanceInfo {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'INVALID_INSTANCE', 'body must be a JSON object describing the instance (see InstanceInfo)');
  }
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const text = (field: string, pattern?: RegExp): string => {
    const value = b[field];
    if (typeof value !== 'string' || value === '') problems.push(`${field} must be a non-empty string`);
    else if (pattern && !pattern.test(value)) problems.push(`${field} "${value}" must match ${pattern.source}`);
    return typeof value === 'string' ? value : '';
  };
  const port = (field: string, allowZero: boolean): number => {
    const value = b[field];
    const min = allowZero ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 65535) {
      problems.push(`${field} must be an integer port ${min}..65535, got ${JSON.stringify(value)}`);
      return 0;
    }
    return value;
  };
  const id = text('id', ID);
  const namespace = text('namespace', NAME);
  const service = text('service', NAME);
  const host = text('host');
  const identity = text('identity');
  const inboundPort = port('inboundPort', false);
  const servicePort = port('servicePort', true);
  const adminPort = port('adminPort', false);
  const version = b['version'];
  if (version !== undefined && version !== null && (typeof version !== 'string' || !NAME.test(version))) {
    problems.push('version must be a version name (lowercase letters, digits, dashes) or absent');
  }
  const locality = parseLocality(b['locality'], problems);
  if (problems.length > 0) throw new HttpError(400, 'INVALID_INSTANCE', `invalid instance: ${problems.join('; ')}`);
  return {
    id,
    namespace,
    service,
    version: typeof version === 'string' ? version : undefined,
    host,
    inboundPort,
    servicePort,
    adminPort,
    locality,
    identity,
  };
}

function parseLocality(value: unknown, problems: string[]): InstanceInfo['locality'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('locality must be an object { region?, zone? }');
    return undefined;
  }
  const l = value as Record<string, unknown>;
  const out: { region?: string; zone?: string } = {};
  for (const key of ['region', 'zone'] as const) {
    const v = l[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') problems.push(`locality.${key} must be a string`);
    else out[key] = v;
  }
  return out;
}
