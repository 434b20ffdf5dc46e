import type { RecentErrorsView } from '../api-types.js';
import { OUTSIDE_ID } from '../topology/build-topology.js';
import type { ErrorFeed } from './error-feed.js';

export interface RecentErrorsInput {
  /** `namespace/name`, as topology nodes are identified. */
  readonly service: string;
  /** A topology node id: only its calls (the edge panel). */
  readonly source?: string;
  readonly limit?: number;
}

/** Without a native mesh there is no stream: the panel shows the metrics' error rates and says why. */
const NO_MESH: RecentErrorsView = {
  feed: {
    mode: 'metrics',
    tapping: 0,
    sidecars: 0,
    dropped: 0,
    problem: 'request details need the native mesh: run `anymesh up`, or `anymesh dashboard --control-plane <url>`',
  },
  rows: [],
};

/** Sidecars name callers by bare service name, and a caller they cannot name `unknown`. */
function callerNames(source: string): readonly string[] {
  if (source === OUTSIDE_ID) return ['unknown', ''];
  return [source.split('/').at(-1) ?? source];
}

export function recentErrors(feed: ErrorFeed | undefined, input: RecentErrorsInput): RecentErrorsView {
  if (!feed) return NO_MESH;
  return feed.recent(input.service, { limit: input.limit ?? 50, ...(input.source ? { sources: callerNames(input.source) } : {}) });
}
