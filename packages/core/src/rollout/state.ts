import type { RolloutPhase, WebhookType } from './contract.js';

/** A rollout's progress: plain JSON, persisted by the controller and fed back to the planner. */
export interface RolloutState {
  readonly phase: RolloutPhase;
  /** 0-based: the canary step, or (A/B, blue/green) the count of passed analysis iterations. */
  readonly step: number;
  /** Failed checks in this attempt; `analysis.threshold` of them roll back. */
  readonly failedChecks: number;
  /** 1, then +1 per `retry`. */
  readonly attempt: number;
  readonly startedAt: number;
  /** When the current step began: the progress deadline counts from here. */
  readonly stepStartedAt: number;
  readonly updatedAt: number;
  /** A timed step pause ends here. */
  readonly pauseUntil?: number;
  /** Blue/green after the switch: the old version is released here; `abort` before it rolls back at once. */
  readonly scaleDownAt?: number;
  /** Phase `waiting` (or `paused` from it): this gate's webhooks must pass. */
  readonly pendingWebhook?: WebhookType;
  readonly pausedBy?: 'step' | 'user';
  /** The latest transition's reason. */
  readonly message: string;
}
