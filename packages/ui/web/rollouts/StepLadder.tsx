import type { RolloutStatus } from '@anymesh/core';

type Rung = { readonly label: string; readonly state: 'done' | 'current' | 'failed' | 'todo' };

/** Each step with where the rollout is; a canary's rungs name their weights, other strategies count checks. */
export function rungsOf(status: RolloutStatus, ladder: readonly number[]): Rung[] {
  const count = ladder.length > 0 ? ladder.length : status.steps;
  const finished = status.phase === 'promoted';
  const stopped = status.phase === 'rolled-back' || status.phase === 'aborted';
  const rungs: Rung[] = [];
  for (let i = 0; i < count; i++) {
    const label = ladder.length > 0 ? `Step ${i + 1}: ${status.to} ${ladder[i]}%` : `Check ${i + 1} of ${count}`;
    const state = finished || i < status.step ? 'done' : i === status.step ? (stopped ? 'failed' : 'current') : 'todo';
    rungs.push({ label, state });
  }
  const end = finished ? 'done' : stopped ? 'failed' : 'todo';
  rungs.push({
    label: stopped ? `${status.phase === 'aborted' ? 'Aborted' : 'Rolled back'}: ${status.from} 100%` : `Promoted: ${status.to} 100%`,
    state: end,
  });
  return rungs;
}

const MARKS: Record<Rung['state'], string> = { done: '✓', current: '▶', failed: '✕', todo: '○' };

export function StepLadder({ status, ladder }: { status: RolloutStatus; ladder: readonly number[] }) {
  return (
    <section aria-label="Steps">
      <h3>Steps</h3>
      <ol className="step-ladder">
        {rungsOf(status, ladder).map((r, i) => (
          <li key={i} className={`rung rung-${r.state}`} aria-current={r.state === 'current' ? 'step' : undefined} data-state={r.state}>
            <span aria-hidden="true">{MARKS[r.state]}</span> {r.label}
          </li>
        ))}
      </ol>
    </section>
  );
}
