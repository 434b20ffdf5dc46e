import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kind } from '../model/kinds.js';

/** schemas/ at the repository root; core reads it (read-only) rather than keeping a second copy. */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'schemas', 'v1alpha1');

const FILE_OF_KIND: Record<Kind, string> = {
  Mesh: 'mesh.schema.json',
  Service: 'service.schema.json',
  TrafficRoute: 'trafficroute.schema.json',
  TrafficPolicy: 'trafficpolicy.schema.json',
  AccessPolicy: 'accesspolicy.schema.json',
  Rollout: 'rollout.schema.json',
  Workload: 'workload.schema.json',
};

export type JsonSchema = Record<string, unknown>;

export function readSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as JsonSchema;
}

export function schemaOfKind(kind: Kind): JsonSchema {
  return readSchema(FILE_OF_KIND[kind]);
}

export function commonSchema(): JsonSchema {
  return readSchema('common.schema.json');
}

export function schemaFileOfKind(kind: Kind): string {
  return `schemas/v1alpha1/${FILE_OF_KIND[kind]}`;
}
