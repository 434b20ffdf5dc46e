const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i;

/**
 * The path access control decides on, and that the app then receives: origin form (an
 * absolute-form target loses its scheme and authority), dot segments resolved and repeated slashes
 * merged (Envoy's `normalize_path` + `merge_slashes`, which Istio turns on), so `/public/../admin/x`,
 * `//admin/x` or `http://x/admin/x` cannot slip past a rule on `/admin/*` to an app that reads them
 * as `/admin/x`. Percent-encoding is left as received (as Envoy does by default).
 */
export function normalizePath(path: string): string {
  if (path.charCodeAt(0) !== 47 /* '/' */) {
    const absolute = ABSOLUTE_FORM.exec(path);
    if (absolute === null) return path;
    return normalizePath(absolute[1] ?? '/');
  }
  if (!path.includes('//') && !path.includes('/.')) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..');
  return `/${segments.join('/')}${trailing && segments.length > 0 ? '/' : ''}`;
}
