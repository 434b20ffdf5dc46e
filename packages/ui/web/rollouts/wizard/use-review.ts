import { useEffect, useRef, useState } from 'react';
import type { RolloutDraft, RolloutReview } from '../../../src/server/api-types.js';
import { api } from '../../app/api.js';

export interface ReviewState {
  /** The latest answer; it may be for an earlier draft (see `current`). */
  readonly review: RolloutReview | undefined;
  /** Whether `review` is the answer for the draft as it is now (what the review page and Start need). */
  readonly current: boolean;
  readonly problem: string | undefined;
}

/**
 * Validates the draft on the server a moment after each change (the same checks as `anymesh
 * validate`), with each mesh's first stage when `meshes`; an answer to an older draft is dropped.
 */
export function useReview(draft: RolloutDraft, meshes: boolean): ReviewState {
  const [answer, setAnswer] = useState<{ key: string; review: RolloutReview } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const seq = useRef(0);
  const key = `${meshes}:${JSON.stringify(draft)}`;
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      const asked = JSON.parse(key.slice(key.indexOf(':') + 1)) as RolloutDraft;
      api.rollouts.review.query({ draft: asked, meshes }).then(
        (review) => {
          if (mine !== seq.current) return;
          setAnswer({ key, review });
          setProblem(undefined);
        },
        (error: unknown) => {
          if (mine === seq.current) setProblem(error instanceof Error ? error.message : String(error));
        },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key, meshes]);
  return { review: answer?.review, current: answer?.key === key, problem };
}
