import type { Diagnostic, RolloutCommand, RolloutStatus, SourceText } from '@anymesh/core';
import type { RolloutEventList, RolloutList, StartRolloutResponse } from '@anymesh/native-mesh';
import { tokenHint, type AdminToken } from '../../control-plane-access.js';
import type { RolloutName } from './names.js';

const REQUEST_TIMEOUT_MS = 10_000;

/** Why a call to the control plane's rollout API did not give its answer; each kind has its own message and exit code. */
export type RolloutApiErrorKind = 'unreachable' | 'unknown-rollout' | 'refused' | 'invalid' | 'failed';

export class RolloutApiError extends Error {
  override readonly name = 'RolloutApiError';
  constructor(
    readonly kind: RolloutApiErrorKind,
    message: string,
    /** For `invalid`: the control plane's diagnostics of the Rollout sent. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** The control plane's rollout API (`packages/native-mesh/src/protocol/rollouts.ts`), one method per route. */
export class RolloutClient {
  constructor(
    readonly url: string,
    private readonly admin: AdminToken,
  ) {}

  list(): Promise<RolloutList> {
    return this.#call<RolloutList>('GET', '/v1/rollouts');
  }

  get(name: RolloutName): Promise<RolloutStatus> {
    return this.#call<RolloutStatus>('GET', pathOf(name), undefined, name);
  }

  events(name: RolloutName, after?: number): Promise<RolloutEventList> {
    const query = after === undefined ? '' : `?after=${after}`;
    return this.#call<RolloutEventList>('GET', `${pathOf(name)}/events${query}`, undefined, name);
  }

  command(name: RolloutName, command: RolloutCommand): Promise<RolloutStatus> {
    return this.#call<RolloutStatus>('POST', `${pathOf(name)}/${command}`, {}, name);
  }

  /** Starts (or replaces) the one Rollout in `source`; `invalid` with the diagnostics when the control plane refuses it. */
  async start(source: SourceText): Promise<Extract<StartRolloutResponse, { started: true }>> {
    const answer = await this.#call<StartRolloutResponse>('POST', '/v1/rollouts', { source });
    if (!answer.started) throw new RolloutApiError('invalid', 'the control plane refused the Rollout', answer.diagnostics);
    return answer;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown, name?: RolloutName): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.admin.token === undefined ? {} : { authorization: `Bearer ${this.admin.token}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new RolloutApiError(
        'unreachable',
        `cannot reach the control plane at ${this.url} (${cause}); start it with anymesh up or anymesh control-plane, or pass --control-plane`,
      );
    }
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok && answer !== undefined) return answer as T;
    throw errorOf(response.status, answer, `${method} ${path}`, name, tokenHint(response.status, this.admin));
  }
}

function pathOf(name: RolloutName): string {
  return `/v1/rollouts/${encodeURIComponent(name.namespace)}/${encodeURIComponent(name.name)}`;
}

/** The typed error for a refusal: the server's own message where it gave one. */
function errorOf(status: number, answer: unknown, call: string, name: RolloutName | undefined, hint: string): RolloutApiError {
  const message = messageOf(answer);
  if (status === 404 && name !== undefined) {
    return new RolloutApiError(
      'unknown-rollout',
      `no rollout ${name.namespace}/${name.name} on the control plane (anymesh rollout list shows those there are)`,
    );
  }
  if (status === 409) return new RolloutApiError('refused', message ?? `the control plane refused ${call}`);
  if (status === 422 && isDiagnostics(answer)) {
    return new RolloutApiError('invalid', 'the control plane refused the Rollout', answer.diagnostics);
  }
  return new RolloutApiError(
    'failed',
    `the control plane answered ${call} with ${status}${message === undefined ? '' : `: ${message}`}${hint}`,
  );
}

/** `{ error: { message } }` (the control plane's 4xx) or `{ error: 'command-refused', message }` (RolloutCommandRefused). */
function messageOf(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const { error, message } = answer as { error?: unknown; message?: unknown };
  if (typeof message === 'string') return message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return typeof error === 'string' ? error : undefined;
}

function isDiagnostics(answer: unknown): answer is { diagnostics: Diagnostic[] } {
  return typeof answer === 'object' && answer !== null && Array.isArray((answer as { diagnostics?: unknown }).diagnostics);
}
