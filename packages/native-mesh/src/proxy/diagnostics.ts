import { channel } from 'node:diagnostics_channel';
import type { AccessNote } from './access/access-note.js';
import type { Direction } from './metrics.js';

/**
 * In-process observation points (access logs, tap). Publishing is skipped when nobody subscribes,
 * so the message object is only built for a subscriber.
 */
export const requestChannel = channel('anymesh:proxy:request');
export const configChannel = channel('anymesh:proxy:config');

/** Published on `anymesh:proxy:request` when a request through the sidecar completes. */
export interface ProxyRequestMessage {
  readonly sidecar: string;
  readonly direction: Direction;
  readonly method: string;
  /** Path as received, without query. */
  readonly path: string;
  readonly sourceService: string;
  readonly sourceVersion: string;
  readonly destinationService: string;
  readonly destinationVersion: string;
  /** The instance that answered, when one did. */
  readonly upstreamInstance: string | undefined;
  readonly rule: string | undefined;
  readonly status: number;
  /** `x-anymesh-reason` of a locally generated answer. */
  readonly reason: string | undefined;
  readonly attempts: number;
  readonly durationMs: number;
  /** W3C trace id of the request (this hop's span, or the caller's `traceparent`), when there is one. */
  readonly traceId?: string | undefined;
  /** Inbound: the caller's verified SPIFFE ID (undefined without a client certificate). */
  readonly identity?: string | undefined;
  /** Inbound: the request came over mutual TLS. */
  readonly mtls?: boolean;
  /** Inbound: what access control decided (undefined when it is not enforced, e.g. before any config). */
  readonly access?: AccessNote | undefined;
}

/** Published on `anymesh:proxy:config`: a snapshot applied, or rejected (the last good one stays). */
export type ProxyConfigMessage =
  | { readonly sidecar: string; readonly event: 'applied'; readonly version: number }
  | { readonly sidecar: string; readonly event: 'rejected'; readonly version: number; readonly error: Error };
