import type { SourceText } from '@anymesh/core';
import type { PolicyObject, RolloutCommand, RolloutStatus } from '@anymesh/core';
import type {
  ApplyResult,
  ConfigSnapshot,
  InstanceInfo,
  RolloutCommandRefused,
  RolloutEventList,
  RolloutList,
  StartRolloutResponse,
} from '@anymesh/native-mesh';

export type { InstanceInfo };

/** A control-plane answer the dashboard passes on as it is: unknown rollout, refused command. */
export class ControlPlaneAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The answer to a rollout command: the new status, or the control plane's reason for refusing it. */
export type CommandOutcome =
  { readonly done: true; readonly status: RolloutStatus } | { readonly done: false; readonly refused: RolloutCommandRefused };

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

  /** The objects in force (the Rollouts started with `POST /v1/rollouts` among them); answers at once with `after=0`. */
  async policiesInForce(): Promise<readonly PolicyObject[]> {
    return (await this.#getJson<ConfigSnapshot>('/v1/config?after=0')).policies;
  }

  listRollouts(): Promise<RolloutList> {
    return this.#getJson<RolloutList>('/v1/rollouts');
  }

  rollout(namespace: string, name: string): Promise<RolloutStatus> {
    return this.#getJson<RolloutStatus>(`/v1/rollouts/${enc(namespace)}/${enc(name)}`);
  }

  /** Events with `seq` above `after` (all when absent). */
  rolloutEvents(namespace: string, name: string, after?: number): Promise<RolloutEventList> {
    const query = after === undefined ? '' : `?after=${after}`;
    return this.#getJson<RolloutEventList>(`/v1/rollouts/${enc(namespace)}/${enc(name)}/events${query}`);
  }

  /** Adds (or replaces) a Rollout; an invalid one comes back as `started: false` with its diagnostics (422). */
  async startRollout(source: SourceText): Promise<StartRolloutResponse> {
    const response = await this.#post('/v1/rollouts', { source });
    const body = (await response.json().catch(() => undefined)) as StartRolloutResponse | undefined;
    if (body && (response.ok || response.status === 422) && Array.isArray(body.diagnostics)) return body;
    throw new ControlPlaneAnswer(response.status, `control plane answered ${response.status} to POST /v1/rollouts`);
  }

  async rolloutCommand(namespace: string, name: string, command: RolloutCommand): Promise<CommandOutcome> {
    const path = `/v1/rollouts/${enc(namespace)}/${enc(name)}/${command}`;
    const response = await this.#post(path, {});
    if (response.ok) return { done: true, status: (await response.json()) as RolloutStatus };
    if (response.status === 409) return { done: false, refused: (await response.json()) as RolloutCommandRefused };
    throw new ControlPlaneAnswer(response.status, await failure(response, `POST ${path}`));
  }

  async #getJson<T>(path: string): Promise<T> {
    const response = await fetch(`${this.#base}${path}`, { headers: this.#auth, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) throw new ControlPlaneAnswer(response.status, await failure(response, `GET ${path}`));
    return (await response.json()) as T;
  }

  #post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.#base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.#auth },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS * 3),
    });
  }
}

const enc = encodeURIComponent;

/** The control plane's own words when it gives them (`{ error: { code, message } }`), else the status. */
async function failure(response: Response, what: string): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: unknown } } | undefined;
  const detail = typeof body?.error?.message === 'string' ? `: ${body.error.message}` : '';
  return `control plane answered ${response.status} to ${what}${detail}`;
}
