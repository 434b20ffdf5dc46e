import { useEffect, useState } from 'react';

export const VIEWS = ['topology', 'rollouts', 'compare', 'policies'] as const;
export type ViewName = (typeof VIEWS)[number];

/** A deep link: `#/topology?service=bookstore/reviews`. */
export interface Route {
  readonly view: ViewName;
  readonly params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const view = VIEWS.find((v) => v === path) ?? 'topology';
  return { view, params: new URLSearchParams(query) };
}

export function routeHref(view: ViewName, params: Readonly<Record<string, string | undefined>> = {}): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, v);
  const q = query.toString();
  return `#/${view}${q ? `?${q}` : ''}`;
}

/** Replaces the URL's parameters without adding a history entry per click. */
export function setRouteParams(view: ViewName, params: Readonly<Record<string, string | undefined>>): void {
  const href = routeHref(view, params);
  if (window.location.hash !== href) window.history.replaceState(null, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}
