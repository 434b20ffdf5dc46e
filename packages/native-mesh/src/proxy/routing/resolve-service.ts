/** Where an outbound request goes: the destination service and the origin-form target. */
export interface ResolvedTarget {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** Path and query, origin form (`/a/b?x=1`). */
  readonly target: string;
  /** The authority the app used, without port (`reviews`, `reviews.bookstore`). */
  readonly authority: string;
}

const CLUSTER_SUFFIX = '.svc.cluster.local';

/**
 * Resolves the destination of an app's call: from the absolute-form target (`GET http://reviews/x`,
 * as HTTP_PROXY clients send) or else the Host header. `reviews`, `reviews:9080` and
 * `reviews.<namespace>[.svc.cluster.local]` are accepted; a bare name is in the caller's namespace.
 */
export function resolveTarget(url: string, host: string | undefined, callerNamespace: string): ResolvedTarget | undefined {
  let authority = host;
  let target = url;
  if (url.charCodeAt(0) !== 47 /* '/' */) {
    const m = /^http:\/\/([^/?#]+)(.*)$/i.exec(url);
    if (m === null) return undefined;
    authority = m[1]!;
    target = m[2] === '' ? '/' : m[2]!;
    if (target.charCodeAt(0) === 63 /* '?' */) target = `/${target}`;
  }
  if (authority === undefined || authority === '') return undefined;
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  const colon = authority.indexOf(':');
  if (colon !== -1) authority = authority.slice(0, colon);
  authority = authority.toLowerCase();
  const bare = authority.endsWith(CLUSTER_SUFFIX) ? authority.slice(0, -CLUSTER_SUFFIX.length) : authority;
  const dot = bare.indexOf('.');
  const name = dot === -1 ? bare : bare.slice(0, dot);
  const namespace = dot === -1 ? callerNamespace : bare.slice(dot + 1);
  if (name === '' || namespace === '' || namespace.includes('.')) return undefined;
  return { key: `${namespace}/${name}`, namespace, name, target, authority };
}
