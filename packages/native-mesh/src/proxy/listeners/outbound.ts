import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseTraceparent } from '../../observability/trace-context.js';
import type { Hop, HopTracer } from '../../observability/tracer.js';
import type { InstanceInfo } from '../../protocol/types.js';
import type { CompiledRule } from '../config/compiled-rule.js';
import type { CompiledConfig } from '../config/compile-config.js';
import { requestChannel, type ProxyRequestMessage } from '../diagnostics.js';
import { AnymeshProxyError } from '../errors.js';
import { readBody } from '../filters/body.js';
import { chance, faultAbortStatus, faultDelayMs } from '../filters/fault.js';
import { applyHeaderChanges, forwardableHeaders } from '../filters/headers.js';
import type { Mirror } from '../filters/mirror.js';
import { redirectLocation, redirectStatus } from '../filters/redirect.js';
import { rewritePath } from '../filters/rewrite.js';
import type { ProxyMetrics } from '../metrics.js';
import { Cancellation } from '../resilience/cancellation.js';
import { forward, type ForwardHooks } from '../resilience/forward.js';
import { hashKeyOf } from '../routing/hash-key.js';
import { resolveTarget } from '../routing/resolve-service.js';
import { pickGroup, selectRule } from '../routing/select.js';
import { relayResponse, sendError, sendLocal } from './respond.js';

/** Headers by which a caller sidecar tells the next one who calls (plaintext-mode stopgap, see inbound.ts). */
export const SOURCE_SERVICE_HEADER = 'x-anymesh-source-service';
export const SOURCE_VERSION_HEADER = 'x-anymesh-source-version';

export interface OutboundDeps {
  readonly self: InstanceInfo;
  readonly config: () => CompiledConfig | undefined;
  readonly metrics: ProxyMetrics;
  readonly mirror: Mirror;
  readonly hooks: ForwardHooks;
  /** The tracer in force, if spans are exported (one client span per outbound request). */
  readonly tracer?: () => HopTracer | undefined;
}

interface Outcome {
  status: number;
  reason: string | undefined;
  service: string;
  version: string;
  instance: string | undefined;
  rule: string | undefined;
  attempts: number;
  hop: Hop | undefined;
}

/**
 * The app's side of the sidecar: resolves the destination service, applies the route (core's
 * precedence), its filters and resilience policy, and forwards to a peer sidecar's inbound port.
 * The compiled config is read once per request, so a request keeps the config it started with.
 */
export class OutboundHandler {
  readonly #deps: OutboundDeps;
  readonly #selfVersion: string;

  constructor(deps: OutboundDeps) {
    this.#deps = deps;
    this.#selfVersion = deps.self.version ?? '';
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const start = performance.now();
    const outcome: Outcome = {
      status: 0,
      reason: undefined,
      service: 'unknown',
      version: 'unknown',
      instance: undefined,
      rule: undefined,
      attempts: 0,
      hop: undefined,
    };
    res.once('close', () => this.#record(req, outcome, res, start));
    this.#route(req, res, outcome).catch((error: unknown) => {
      const e = error instanceof AnymeshProxyError ? error : new AnymeshProxyError('BAD_REQUEST', String(error));
      outcome.reason = e.reason;
      sendError(res, e);
    });
  };

  async #route(req: IncomingMessage, res: ServerResponse, outcome: Outcome): Promise<void> {
    const config = this.#deps.config();
    if (config === undefined) return this.#fail(res, outcome, new AnymeshProxyError('NO_CONFIG', 'no configuration received yet'));
    const target = resolveTarget(req.url ?? '/', req.headers.host, this.#deps.self.namespace);
    if (target === undefined)
      return this.#fail(res, outcome, new AnymeshProxyError('BAD_REQUEST', 'no destination: set Host or use an absolute URL'));
    const service = config.services.get(target.key);
    if (service === undefined) return this.#fail(res, outcome, new AnymeshProxyError('UNKNOWN_SERVICE', `unknown service ${target.key}`));
    outcome.service = service.name;
    const method = req.method ?? 'GET';
    const selection = selectRule(service, method, target.target, req.headers);
    const rule = selection.rule;
    outcome.rule = rule.name;
    if (rule.redirect !== undefined) {
      const port = portOf(req.headers.host);
      const location = redirectLocation(
        rule.redirect,
        { authority: target.authority, port, path: selection.path, query: selection.query },
        selection.matchedPrefix,
      );
      outcome.reason = 'redirect';
      return sendLocal(res, redirectStatus(rule.redirect), 'redirect', `redirect to ${location}`, { location });
    }
    if (rule.fault !== undefined) {
      const delay = faultDelayMs(rule.fault);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const abort = faultAbortStatus(rule.fault);
      if (abort > 0) {
        outcome.reason = 'fault-abort';
        return sendLocal(res, abort, 'fault-abort', 'anymesh: fault injected');
      }
    }
    const group = pickGroup(rule);
    if (group === undefined)
      return this.#fail(res, outcome, new AnymeshProxyError('NO_HEALTHY_UPSTREAM', `no destination for ${target.key}`));
    outcome.service = group.service;
    outcome.version = group.versionLabel;

    const headers = forwardableHeaders(req.headers);
    headers.host = rule.rewriteHost ?? req.headers.host ?? target.authority;
    headers[SOURCE_SERVICE_HEADER] = this.#deps.self.service;
    headers[SOURCE_VERSION_HEADER] = this.#selfVersion;
    const tracer = this.#deps.tracer?.();
    if (tracer !== undefined) {
      outcome.hop = tracer.startHop(
        `outbound ${group.service}`,
        firstHeader(req.headers.traceparent),
        { 'http.request.method': method, 'anymesh.destination': group.service, 'anymesh.destination.version': group.versionLabel },
        'client',
      );
      headers.traceparent = outcome.hop.traceparent;
    }
    if (rule.requestHeaders !== undefined) applyHeaderChanges(headers, rule.requestHeaders);
    const path = rewritePath(selection.path, rule.rewriteFullPath, rule.rewritePrefix, selection.matchedPrefix) + selection.query;
    const body = await readBody(req);
    if (body.kind === 'buffered') headers['content-length'] = body.data.length;
    const out = { method, path, headers, body };
    if (rule.mirror !== undefined && chance(rule.mirror.percent)) {
      this.#deps.mirror.send(rule.mirror.group, method, path, headers, target.authority, body);
    }
    await this.#forward(req, res, outcome, rule, group, out);
  }

  async #forward(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: Outcome,
    rule: CompiledRule,
    group: NonNullable<ReturnType<typeof pickGroup>>,
    out: { method: string; path: string; headers: OutgoingHttpHeaders; body: Awaited<ReturnType<typeof readBody>> },
  ): Promise<void> {
    // One close listener per request, and a Cancellation rather than an AbortSignal (the profile
    // showed abort-signal plumbing at about a tenth of this sidecar's CPU): `cancel` stops the
    // pending step of `forward` and, once a response is being relayed, destroys both sides.
    const cancellation = new Cancellation();
    let relaying: IncomingMessage | undefined = undefined;
    const cancel = (reason: AnymeshProxyError) => {
      cancellation.cancel(reason);
      if (relaying !== undefined) {
        relaying.destroy();
        res.destroy();
      }
    };
    const timer =
      rule.timeoutMs > 0
        ? setTimeout(() => cancel(new AnymeshProxyError('TIMEOUT', `request timeout ${rule.timeoutMs}ms`)), rule.timeoutMs)
        : undefined;
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) cancel(new AnymeshProxyError('TIMEOUT', 'caller went away'));
    });
    const result = await forward(group, out, rule.retry, hashKeyOf(group.hashPolicy, req), cancellation, this.#deps.hooks);
    outcome.attempts = result.attempts;
    outcome.instance = result.endpoint?.id;
    if (result.endpoint?.version !== undefined) outcome.version = result.endpoint.version;
    if (!result.ok) return this.#fail(res, outcome, result.error);
    const response = result.response;
    // Cancelled while the last attempt's head was arriving: nobody is waiting for this response.
    if (cancellation.aborted) {
      response.destroy();
      res.destroy();
      return;
    }
    relaying = response;
    const changes = rule.responseHeaders;
    relayResponse(response, res, changes === undefined ? undefined : (h) => applyHeaderChanges(h, changes));
  }

  #fail(res: ServerResponse, outcome: Outcome, error: AnymeshProxyError): void {
    outcome.reason = error.reason;
    sendError(res, error);
  }

  #record(req: IncomingMessage, outcome: Outcome, res: ServerResponse, start: number): void {
    const status = res.headersSent ? res.statusCode : 0;
    outcome.status = status;
    const durationMs = performance.now() - start;
    const self = this.#deps.self;
    outcome.hop?.end(status);
    this.#deps.metrics.request('outbound', self.service, this.#selfVersion, outcome.service, outcome.version, status, durationMs / 1000);
    if (requestChannel.hasSubscribers) {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const message: ProxyRequestMessage = {
        sidecar: self.id,
        direction: 'outbound',
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        sourceService: self.service,
        sourceVersion: this.#selfVersion,
        destinationService: outcome.service,
        destinationVersion: outcome.version,
        upstreamInstance: outcome.instance,
        rule: outcome.rule,
        status,
        reason: outcome.reason,
        attempts: outcome.attempts,
        durationMs,
        traceId: outcome.hop?.traceId ?? parseTraceparent(firstHeader(req.headers.traceparent))?.traceId,
      };
      requestChannel.publish(message);
    }
  }
}

function portOf(host: string | undefined): number | undefined {
  if (host === undefined) return undefined;
  const colon = host.lastIndexOf(':');
  return colon === -1 ? undefined : Number(host.slice(colon + 1)) || undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
