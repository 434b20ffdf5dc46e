import type { PolicySet } from '@anymesh/core';
import { MESH_NAMES, type Adapter, type CapabilityMatrixRow, type Manifest, type MeshName, type Translation } from './adapter-api.js';

/** What one build of @anymesh/adapters offers, normalised. */
export interface AdaptersModule {
  readonly adapters: ReadonlyMap<MeshName, Adapter>;
  readonly translate: ((mesh: MeshName, set: PolicySet) => Translation) | undefined;
  readonly capabilityMatrix: (() => readonly CapabilityMatrixRow[]) | undefined;
  readonly manifestsToYaml: ((manifests: readonly Manifest[]) => string) | undefined;
}

const isMesh = (name: unknown): name is MeshName => MESH_NAMES.some((m) => m === name);

function isAdapter(value: unknown): value is Adapter {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Partial<Record<keyof Adapter, unknown>>;
  return isMesh(a.name) && typeof a.displayName === 'string' && typeof a.capabilities === 'object' && typeof a.translate === 'function';
}

function fn<T>(value: unknown): T | undefined {
  return typeof value === 'function' ? (value as T) : undefined;
}

/**
 * Reads the adapters module's exports: `ADAPTERS` as a list or a record of adapters (both have
 * been its shape), and the helper functions when exported.
 */
export function readAdapters(exports: Readonly<Record<string, unknown>>): AdaptersModule {
  const registry = exports.ADAPTERS;
  const list: unknown[] = Array.isArray(registry) ? registry : typeof registry === 'object' && registry ? Object.values(registry) : [];
  const adapters = new Map<MeshName, Adapter>();
  for (const candidate of list) if (isAdapter(candidate)) adapters.set(candidate.name, candidate);
  return {
    adapters,
    translate: fn(exports.translate),
    capabilityMatrix: fn(exports.capabilityMatrix),
    manifestsToYaml: fn(exports.manifestsToYaml),
  };
}
