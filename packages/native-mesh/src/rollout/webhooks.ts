import { durationMs, type Rollout, type RolloutState, type WebhookType } from '@anymesh/core';

/** The JSON body every rollout webhook receives (`POST`). */
export interface WebhookPayload {
  readonly name: string;
  readonly namespace: string;
  readonly phase: RolloutState['phase'];
  readonly step: number;
  readonly type: WebhookType;
  readonly from: string;
  readonly to: string;
}

export interface WebhookOutcome {
  /** Every webhook of the type answered 2xx (true too when the rollout has none of that type). */
  readonly ok: boolean;
  /** E.g. `load-test answered 503` or `all 2 confirm-promotion webhooks passed`. */
  readonly detail: string;
}

export type WebhookCaller = (rollout: Rollout, state: RolloutState, type: WebhookType) => Promise<WebhookOutcome>;

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Calls every webhook of `type` of the rollout, in parallel: `POST` with the payload as JSON. A
 * non-2xx answer, a connection error or no answer within the webhook's `timeout` is a failure that
 * halts the gate (the controller retries every interval); informational types are only reported.
 */
export async function callWebhooks(rollout: Rollout, state: RolloutState, type: WebhookType): Promise<WebhookOutcome> {
  const hooks = (rollout.spec.webhooks ?? []).filter((h) => h.type === type);
  if (hooks.length === 0) return { ok: true, detail: `no ${type} webhook` };
  const payload: WebhookPayload = {
    name: rollout.metadata.name,
    namespace: rollout.metadata.namespace ?? 'default',
    phase: state.phase,
    step: state.step,
    type,
    from: rollout.spec.from,
    to: rollout.spec.to,
  };
  const failures = (
    await Promise.all(
      hooks.map(async (hook) => {
        const timeoutMs = hook.timeout ? durationMs(hook.timeout) : DEFAULT_WEBHOOK_TIMEOUT_MS;
        try {
          const response = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(payload),
            signal: AbortSignal.timeout(timeoutMs),
          });
          await response.body?.cancel();
          return response.ok ? undefined : `${hook.name} answered ${response.status}`;
        } catch (error) {
          const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(error);
          return `${hook.name} failed: ${why}`;
        }
      }),
    )
  ).filter((f): f is string => f !== undefined);
  if (failures.length > 0) return { ok: false, detail: failures.join('; ') };
  return { ok: true, detail: hooks.length === 1 ? `${hooks[0]!.name} passed` : `all ${hooks.length} ${type} webhooks passed` };
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
