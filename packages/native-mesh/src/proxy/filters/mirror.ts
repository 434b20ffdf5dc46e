import { request, type OutgoingHttpHeaders } from 'node:http';
import type { RequestBody } from './body.js';
import { performance } from 'node:perf_hooks';
import type { Endpoint } from '../upstream/endpoint.js';
import type { UpstreamGroup } from '../upstream/group.js';

/** How a copy ended: its status code, `failed` (no answer), or no instance to send it to. Metrics count copies as attempts to the version. */
export type MirrorCopyReport = (
  group: UpstreamGroup,
  endpoint: Endpoint | undefined,
  outcome: number | 'failed' | 'no-healthy-upstream',
  seconds: number | undefined,
) => void;

/** Mirror copies in flight per sidecar; beyond it copies are dropped (and counted). */
export const MAX_MIRRORS_IN_FLIGHT = 64;
/** A copy is abandoned after this long, so a hung mirror cannot hold a slot forever. */
export const MIRROR_TIMEOUT_MS = 10_000;

/**
 * Fire-and-forget copies of requests (Envoy's request mirroring). The copy's Host gets the
 * `-shadow` suffix, as Envoy does, so the mirror target can tell copies apart. Its response is
 * drained and ignored; its failure is ignored. Only replayable bodies (≤ 64 KiB) are mirrored.
 */
export class Mirror {
  #inFlight = 0;
  readonly #onDropped: () => void;
  readonly #onCopy: MirrorCopyReport;

  constructor(onDropped: () => void, onCopy: MirrorCopyReport = () => undefined) {
    this.#onDropped = onDropped;
    this.#onCopy = onCopy;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  send(group: UpstreamGroup, method: string, path: string, headers: OutgoingHttpHeaders, authority: string, body: RequestBody): void {
    if (body.kind === 'streaming') return;
    const endpoint = group.pick(undefined);
    if (endpoint === undefined) {
      this.#onCopy(group, undefined, 'no-healthy-upstream', undefined);
      return;
    }
    if (this.#inFlight >= MAX_MIRRORS_IN_FLIGHT) {
      this.#onDropped();
      return;
    }
    this.#inFlight++;
    const copyHeaders = { ...headers, host: `${authority}-shadow` };
    const req = request({ agent: endpoint.agent, host: endpoint.host, port: endpoint.port, method, path, headers: copyHeaders });
    const sentAt = performance.now();
    let done = false;
    let status: number | 'failed' = 'failed';
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.#inFlight--;
      this.#onCopy(group, endpoint, status, (performance.now() - sentAt) / 1000);
    };
    const timer = setTimeout(() => req.destroy(), MIRROR_TIMEOUT_MS);
    let responded = false;
    req.on('response', (res) => {
      responded = true;
      status = res.statusCode ?? 'failed';
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      res.resume();
    });
    req.on('error', finish);
    req.on('close', () => {
      if (!responded) finish();
    });
    req.end(body.kind === 'buffered' ? body.data : undefined);
  }
}
