import type { SourceText } from '@anymesh/core';
import type { ApplyResult, InstanceInfo } from '@anymesh/native-mesh';

export type { InstanceInfo };

const TIMEOUT_MS = 3_000;

/** The native mesh control-plane admin API (see native-mesh protocol/types.ts). */
export class ControlPlaneClient {
  readonly #base: string;
  readonly #auth: Record<string, string>;

  /** `token`: the control plane's admin token (registry and apply are admin endpoints). */
  constructor(baseUrl: string, token?: string) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#auth = token === undefined ? {} : { authorization: `Bearer ${token}` };
  }

  get url(): string {
    return this.#base;
  }

  async registry(): Promise<InstanceInfo[]> {
    const response = await fetch(`${this.#base}/v1/registry`, { headers: this.#auth, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw new Error(`control plane answered ${response.status} to GET /v1/registry`);
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new Error('control plane registry is not a list of instances');
    return body as InstanceInfo[];
  }

  async applyPolicies(sources: readonly SourceText[]): Promise<ApplyResult> {
    const response = await fetch(`${this.#base}/v1/policies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.#auth },
      body: JSON.stringify({ sources }),
      signal: AbortSignal.timeout(TIMEOUT_MS * 3),
    });
    const body = (await response.json()) as ApplyResult;
    if (!response.ok && !Array.isArray(body.diagnostics)) throw new Error(`control plane answered ${response.status} to POST /v1/policies`);
    return body;
  }
}
