/** How one request reads in the "Recent errors" and "Live requests" tables. */

/** `500`, or `no response` when none was sent. */
export const statusText = (code: number): string => (code === 0 ? 'no response' : String(code));

/** `500`, `503 circuit-breaker` (the mesh answered itself), or `no response`. */
export function codeText(code: number, reason: string | null): string {
  return reason ? `${statusText(code)} ${reason}` : statusText(code);
}

/** Wall-clock time with milliseconds (requests arrive many per second), in the browser's time zone. */
export function timeOfDay(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`;
}

/** `frontend v1 → reviews v3`; a caller outside the mesh is named so. */
export function callText(source: string, sourceVersion: string, destination: string, destinationVersion: string): string {
  const side = (name: string, version: string) => (version && version !== 'unknown' ? `${name} ${version}` : name);
  const from = source === '' || source === 'unknown' ? 'outside the mesh' : side(source, sourceVersion);
  return `${from} → ${side(destination, destinationVersion)}`;
}

/** A CSS class per status family, so failures stand out in a long list. */
export function codeClass(code: number): string {
  if (code === 0 || code >= 500) return 'code-5xx';
  if (code >= 400) return 'code-4xx';
  return 'code-ok';
}
