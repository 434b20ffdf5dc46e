import type { RolloutCommand, RolloutPhase, RolloutStatus } from '@anymesh/core';
import { useEffect, useRef, useState } from 'react';
import { api } from '../app/api.js';

/** The phases in which the controller takes each command (core's rollout/commands.ts table). */
const ALLOWED: Record<RolloutCommand, readonly RolloutPhase[]> = {
  promote: ['progressing', 'paused', 'waiting'],
  pause: ['progressing', 'waiting'],
  resume: ['paused'],
  abort: ['progressing', 'paused', 'waiting'],
  retry: ['rolled-back', 'aborted'],
};

export function allowed(command: RolloutCommand, status: RolloutStatus, now: number): boolean {
  if (ALLOWED[command].includes(status.phase)) return true;
  // A timed step pause can be made a hold; blue/green can still go back while the old version is kept ready.
  if (command === 'pause') return status.phase === 'paused' && status.pauseUntil !== undefined;
  if (command === 'abort') return status.phase === 'promoted' && status.scaleDownAt !== undefined && now < status.scaleDownAt;
  return false;
}
const LABELS: Record<RolloutCommand, string> = { promote: 'Promote', pause: 'Pause', resume: 'Resume', abort: 'Abort', retry: 'Retry' };

export function RolloutControls({ status, onDone }: { status: RolloutStatus; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | undefined>();
  const [confirming, setConfirming] = useState(false);
  const run = (command: RolloutCommand) => {
    setBusy(true);
    setConfirming(false);
    api.rollouts.command
      .mutate({ namespace: status.namespace, name: status.name, command })
      .then(
        (r) => setOutcome(r.done ? `${LABELS[command]}: done` : r.message),
        (error: unknown) => setOutcome(`${LABELS[command]} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        setBusy(false);
        onDone();
      });
  };
  return (
    <div className="rollout-controls">
      <div role="group" aria-label="Rollout commands" className="actions">
        {(Object.keys(LABELS) as RolloutCommand[]).map((c) => (
          <button
            key={c}
            type="button"
            disabled={busy || !allowed(c, status, Date.now())}
            onClick={() => (c === 'abort' ? setConfirming(true) : run(c))}
            className={c === 'abort' ? 'danger' : undefined}
          >
            {LABELS[c]}
          </button>
        ))}
      </div>
      {confirming && <ConfirmAbort status={status} onConfirm={() => run('abort')} onCancel={() => setConfirming(false)} />}
      <span role="status" className="muted">
        {outcome}
      </span>
    </div>
  );
}

/** Abort is the one command that cannot be undone by another click: it asks first; Escape or Cancel keep going. */
function ConfirmAbort({ status, onConfirm, onCancel }: { status: RolloutStatus; onConfirm(): void; onCancel(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label={`Abort ${status.name}?`}
      className="confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p>
        Abort {status.name}? All of {status.service}&apos;s traffic goes back to {status.from} and the analysis stops.
      </p>
      <button type="button" className="danger" onClick={onConfirm}>
        Abort rollout
      </button>{' '}
      <button type="button" ref={cancel} onClick={onCancel}>
        Keep it running
      </button>
    </div>
  );
}
