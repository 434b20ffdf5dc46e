import { expect } from 'vitest';
import type { RequestSpec, RouteExpectation } from '../../../adapters/test/conformance/case.js';
import { fiveSigma, many } from '../proxy/support/mesh.js';
import type { LiveMesh, LiveRequest } from './live-mesh.js';

/** Enough sequential requests for round robin over three instances to reach each at least once, with room. */
const ALL_VERSIONS_SAMPLE = 12;
/** Requests for a weighted split: 5-sigma bounds at 400 are about ±0.11 around a share of 0.25. */
const SPLIT_SAMPLE = 400;

export function liveRequest(spec: RequestSpec): LiveRequest {
  const query = new URLSearchParams(spec.query ?? {}).toString();
  return { method: spec.method, target: query ? `${spec.path}?${query}` : spec.path, headers: spec.headers };
}

/**
 * Sends each request of a case through the client sidecar and checks the live outcome against the
 * neutral expectation: redirect status and Location, or which versions answered (every version for
 * `*`, the weighted shares within 5-sigma bounds), the path and Host the app saw. Returns the requests sent.
 */
export async function checkRoutesLive(mesh: LiveMesh, versions: readonly string[], routes: readonly RouteExpectation[]): Promise<number> {
  let sent = 0;
  for (const [spec, want] of routes) {
    const request = liveRequest(spec);
    const label = `${request.method ?? 'GET'} ${request.target} ${JSON.stringify(spec.headers ?? {})}`;
    if ('redirect' in want) {
      const reply = await mesh.call(request);
      sent += 1;
      expect(reply.status, label).toBe(want.redirect);
      const location = new URL(String(reply.headers.location));
      const query = new URLSearchParams(spec.query ?? {}).toString();
      expect(
        { scheme: location.protocol, path: location.pathname, host: location.hostname, port: location.port, query: location.search },
        label,
      ).toEqual({
        scheme: `${want.scheme ?? 'http'}:`,
        path: want.path ?? spec.path,
        host: want.host ?? 'web',
        // The client's Host carries no port: the request's port and the scheme's well-known one both leave it out.
        port: typeof want.port === 'number' ? String(want.port) : '',
        query: want.query === 'dropped' || query === '' ? '' : `?${query}`,
      });
      continue;
    }
    const weighted = Object.values(want.shares).some((s) => s > 0 && s < 1);
    const n = weighted ? SPLIT_SAMPLE : want.shares['*'] ? ALL_VERSIONS_SAMPLE : 3;
    const replies = await many(n, weighted ? 8 : 1, () => mesh.call(request));
    sent += n;
    const counts = new Map<string, number>();
    for (const reply of replies) {
      expect(reply.status, label).toBe(200);
      const echo = reply.echo!;
      counts.set(echo.version, (counts.get(echo.version) ?? 0) + 1);
      const path = echo.url.split('?')[0];
      expect({ path, host: echo.host }, label).toEqual({ path: want.path ?? spec.path, host: want.host ?? 'web' });
    }
    if (want.shares['*']) {
      expect([...counts.keys()].sort(), `${label}: every version answers`).toEqual([...versions].sort());
      continue;
    }
    for (const version of versions) {
      const share = want.shares[version] ?? 0;
      const got = counts.get(version) ?? 0;
      if (share === 0 || share === 1) {
        expect(got, `${label}: answers from ${version}`).toBe(share * n);
        continue;
      }
      const [lo, hi] = fiveSigma(n, share);
      expect(got, `${label}: ${version} share ${share} of ${n}`).toBeGreaterThanOrEqual(lo);
      expect(got, `${label}: ${version} share ${share} of ${n}`).toBeLessThanOrEqual(hi);
    }
  }
  return sent;
}
