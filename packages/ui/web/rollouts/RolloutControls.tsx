import type { RolloutCommand, RolloutPhase, RolloutStatus } from '@anymesh/core';
import { useEffect, useRef, useState } from 'react';
import { api } from '../app/api.js';

/** What each command does to the rollout, and in which phases the controller takes it. */
const ALLOWED: Record<RolloutCommand, readonly RolloutPhase[]> = {
  promote: ['progressing', 'paused', 'waiting'],
  pause: ['progressing', 'waiting'],
  resume: ['paused'],
  abort: ['progressing', 'paused', 'waiting'],
  retry: ['rolled-back', 'aborted'],
};
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
            disabled={busy || !ALLOWED[c].includes(status.phase)}
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
