import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Hop, HopTracer } from '../../observability/tracer.js';
import { parseTraceparent } from '../../observability/trace-context.js';
import type { InstanceInfo } from '../../protocol/types.js';
import type { AccessNote } from '../access/access-note.js';
import { requestChannel, type ProxyRequestMessage } from '../diagnostics.js';
import { AnymeshProxyError } from '../errors.js';
import { forwardableHeaders } from '../filters/headers.js';
import type { ProxyMetrics } from '../metrics.js';
import { SOURCE_SERVICE_HEADER, SOURCE_VERSION_HEADER } from './outbound.js';
import { callerOf, type IdentityIndex } from '../tls/caller.js';
import { sendError, sendJsonError } from './respond.js';
import { AppClient } from '../upstream/app-client.js';

/** Who is calling, as far as the inbound side knows. */
export interface CallerInfo {
  /**
   * The calling service: from the verified certificate's SPIFFE ID on an mTLS connection (a header
   * saying otherwise is ignored); from `x-anymesh-source-service` on plaintext (unverified, for
   * metrics only); `unknown` when neither says.
   */
  readonly service: string;
  /** The caller's version from `x-anymesh-source-version` (informative: a certificate names a service account, not a version). */
  readonly version: string;
  /** The SPIFFE ID of the verified client certificate; undefined on plaintext or without a verified certificate. Access control decides on this. */
  readonly identity: string | undefined;
  /** True when the request came over a mutually authenticated TLS connection. */
  readonly mtls: boolean;
}

/** An authorizer's decision with what it is based on (access logs and tap show `note`). */
export interface AccessVerdict {
  /** The error to answer, or undefined to let the request through. */
  readonly denied: AnymeshProxyError | undefined;
  /** JSON body of the denial (naming the deciding rule); a one-line text body when absent. */
  readonly body?: Record<string, unknown>;
  readonly note: AccessNote | undefined;
}

/**
 * Decides whether a caller may make a request: the error to answer (or a verdict carrying one),
 * or undefined to let it through. Access control (`proxy/access/`) plugs in here and decides on
 * `caller.identity`, the verified certificate's SPIFFE ID.
 */
export type InboundAuthorizer = (caller: CallerInfo, req: IncomingMessage) => AnymeshProxyError | AccessVerdict | undefined;

export interface InboundDeps {
  readonly self: InstanceInfo;
  readonly appPort: number;
  readonly metrics: ProxyMetrics;
  readonly authorize?: InboundAuthorizer;
  /** The tracer in force, if spans are exported (one server span per inbound request). */
  readonly tracer?: () => HopTracer | undefined;
  /** Which services carry which identity (from the config in force): names the caller of an mTLS request. */
  readonly identities?: () => IdentityIndex;
}

/** Per-request observations #record needs besides the response. */
interface InboundNotes {
  reason: string | undefined;
  access: AccessNote | undefined;
  hop: Hop | undefined;
}

const NO_IDENTITIES: IdentityIndex = new Map();

/**
 * The peers' side of the sidecar: takes requests from other sidecars and forwards them to the app
 * on 127.0.0.1 over keep-alive connections, adding nothing the app must know.
 *
 * The caller is the verified client certificate's identity on mTLS connections (`proxy/tls/`); on
 * plaintext (mode permissive or disabled) it is read from `x-anymesh-source-{service,version}`,
 * which anyone who can reach this port can forge: used for metrics only, never for access.
 */
export class InboundHandler {
  readonly #deps: InboundDeps;
  readonly #app: AppClient;
  readonly #selfVersion: string;

  constructor(deps: InboundDeps) {
    this.#deps = deps;
    this.#selfVersion = deps.self.version ?? '';
    this.#app = new AppClient(deps.appPort);
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const start = performance.now();
    const caller: CallerInfo = callerOf(
      req,
      headerValue(req, SOURCE_SERVICE_HEADER),
      headerValue(req, SOURCE_VERSION_HEADER),
      this.#deps.identities?.() ?? NO_IDENTITIES,
    );
    const notes: InboundNotes = { reason: undefined, access: undefined, hop: undefined };
    res.once('close', () => this.#record(req, res, caller, start, notes));
    const verdict = asVerdict(this.#deps.authorize?.(caller, req));
    notes.access = verdict?.note;
    if (verdict?.denied !== undefined) {
      notes.reason = verdict.denied.reason;
      return verdict.body === undefined ? sendError(res, verdict.denied) : sendJsonError(res, verdict.denied, verdict.body);
    }
    const headers = forwardableHeaders(req.headers);
    delete headers[SOURCE_SERVICE_HEADER];
    delete headers[SOURCE_VERSION_HEADER];
    const tracer = this.#deps.tracer?.();
    if (tracer !== undefined) {
      const incoming = headerValue(req, 'traceparent');
      notes.hop = tracer.startHop(
        `inbound ${this.#deps.self.service}`,
        incoming,
        { 'http.request.method': req.method ?? 'GET', 'anymesh.source': caller.service, 'anymesh.version': this.#selfVersion },
        'server',
      );
      headers.traceparent = notes.hop.traceparent;
    }
    this.#app.forward(req, res, headers, (error) => {
      notes.reason = 'app-unavailable';
      sendError(res, new AnymeshProxyError('APP_UNAVAILABLE', `app on port ${this.#deps.appPort}: ${error.message}`, { cause: error }));
    });
  };

  close(): void {
    void this.#app.close();
  }

  #record(req: IncomingMessage, res: ServerResponse, caller: CallerInfo, start: number, notes: InboundNotes): void {
    const self = this.#deps.self;
    const status = res.headersSent ? res.statusCode : 0;
    const durationMs = performance.now() - start;
    notes.hop?.end(status);
    this.#deps.metrics.request(
      'inbound',
      caller.service,
      caller.version,
      self.service,
      this.#selfVersion,
      status,
      durationMs / 1000,
      caller.mtls,
    );
    if (requestChannel.hasSubscribers) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const message: ProxyRequestMessage = {
        sidecar: self.id,
        direction: 'inbound',
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        sourceService: caller.service,
        sourceVersion: caller.version,
        destinationService: self.service,
        destinationVersion: this.#selfVersion,
        upstreamInstance: self.id,
        rule: undefined,
        status,
        reason: notes.reason,
        attempts: 1,
        durationMs,
        traceId: notes.hop?.traceId ?? parseTraceparent(headerValue(req, 'traceparent'))?.traceId,
        identity: caller.identity,
        mtls: caller.mtls,
        access: notes.access,
      };
      requestChannel.publish(message);
    }
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** A bare error from an authorizer is a denial with a text body and no access note. */
function asVerdict(answer: AnymeshProxyError | AccessVerdict | undefined): AccessVerdict | undefined {
  return answer instanceof AnymeshProxyError ? { denied: answer, note: undefined } : answer;
}
