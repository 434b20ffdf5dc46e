import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstanceInfo } from '../../src/protocol/types.js';

export async function tempStateDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'anymesh-cp-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function instance(id: string, overrides: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id,
    namespace: 'shop',
    service: 'reviews',
    version: 'v1',
    host: '127.0.0.1',
    inboundPort: 20001,
    servicePort: 9080,
    adminPort: 20002,
    locality: undefined,
    identity: 'spiffe://cluster.local/ns/shop/sa/reviews',
    ...overrides,
  };
}

export const SERVICES_YAML = `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: reviews, namespace: shop }
spec:
  ports: [{ port: 9080, protocol: http }]
  versions: { v1: { labels: { version: v1 } }, v2: { labels: { version: v2 } } }
`;

export function routeYaml(v1Weight: number, v2Weight: number): string {
  return `apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: reviews, namespace: shop }
spec:
  service: reviews
  rules:
    - destinations: [{ version: v1, weight: ${v1Weight} }, { version: v2, weight: ${v2Weight} }]
`;
}

export function policySources(v1Weight = 100, v2Weight = 0) {
  return [
    { file: 'services.yaml', text: SERVICES_YAML },
    { file: 'route.yaml', text: routeYaml(v1Weight, v2Weight) },
  ];
}

/** Posts JSON; `token` is the control plane's admin token (every endpoint but /healthz is authenticated). */
export async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes; returns the elapsed time. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/** The Authorization header for a token (or none). */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** fetch init carrying the admin token of `cp`. */
export function asAdmin(cp: { adminToken: string }, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...bearer(cp.adminToken) } };
}
