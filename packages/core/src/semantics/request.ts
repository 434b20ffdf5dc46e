/**
 * The parts of an HTTP request that routing and access decisions read. Header names are
 * lower-case; a repeated header's values are joined with ", "; a repeated query parameter's
 * first value counts.
 */
export interface RequestView {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** Splits a request target (`/a/b?x=1`) into path and first-value query map. */
export function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const q = target.indexOf('?');
  if (q === -1) return { path: target, query: {} };
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(target.slice(q + 1))) if (!(k in query)) query[k] = v;
  return { path: target.slice(0, q), query };
}
