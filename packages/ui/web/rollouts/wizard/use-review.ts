import { useEffect, useRef, useState } from 'react';
import type { RolloutDraft, RolloutReview } from '../../../src/server/api-types.js';
import { api } from '../../app/api.js';

/**
 * Validates the draft on the server a moment after each change (the same checks as `anymesh
 * validate`), with each mesh's first stage when `meshes`; an answer to an older draft is dropped.
 */
export function useReview(draft: RolloutDraft, meshes: boolean): { review: RolloutReview | undefined; problem: string | undefined } {
  const [review, setReview] = useState<RolloutReview | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const seq = useRef(0);
  const key = JSON.stringify(draft);
  useEffect(() => {
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      api.rollouts.review.query({ draft: JSON.parse(key) as RolloutDraft, meshes }).then(
        (r) => {
          if (mine !== seq.current) return;
          setReview(r);
          setProblem(undefined);
        },
        (error: unknown) => {
          if (mine === seq.current) setProblem(error instanceof Error ? error.message : String(error));
        },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [key, meshes]);
  return { review, problem };
}
