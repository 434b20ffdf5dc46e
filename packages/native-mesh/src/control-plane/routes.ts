import type { IncomingMessage, ServerResponse } from 'node:http';
import { spiffeId, type SourceText } from '@anymesh/core';
import { HttpError, readJsonBody, sendError, sendJson, sendRawJson } from './http-io.js';
import type { MeshState } from './mesh-state.js';
import { parseRegisterRequest } from './register-request.js';
import { forbidden, principalOf, requireAdmin, requireWorkloadOrAdmin, type Principal } from './security/auth.js';
import { issueCertificate } from './security/certificates.js';
import type { ControlPlaneCredentials } from './security/credentials.js';

export interface RouteOptions {
  readonly heartbeatIntervalMs: number;
  readonly watchTimeoutMs: number;
  readonly now: () => number;
  readonly credentials: ControlPlaneCredentials;
  /** Lifetime of the workload certificates issued now. */
  readonly workloadCertTtlMs: () => number;
  /** More endpoints (the rollout API). */
  readonly extraRoutes?: readonly Route[];
}

export type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  params: string[],
  principal: Principal,
) => Promise<void> | void;

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: Handler;
}

/**
 * The control-plane API (protocol/types.ts), plus `GET /v1/policies` and `GET /healthz` for
 * operators. Every endpoint but /healthz is authenticated: admin endpoints by the admin token,
 * sidecar endpoints by the sidecar's mesh certificate (or the admin token), and the first
 * certificate of a sidecar by its join token (security/).
 */
export function createRoutes(state: MeshState, options: RouteOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const routes: Route[] = [
    { method: 'POST', pattern: /^\/v1\/instances$/, handle: (req, res, _url, _params, who) => register(req, res, who) },
    {
      method: 'DELETE',
      pattern: /^\/v1\/instances\/([^/]+)$/,
      handle: (_req, res, _url, [id], who) => deregister(res, id ?? '', who),
    },
    {
      method: 'GET',
      pattern: /^\/v1\/config$/,
      handle: (req, res, url, _params, who) => {
        requireWorkloadOrAdmin(who);
        return watch(req, res, url);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/certificates$/,
      handle: async (req, res, _url, _params, who) => {
        const issued = await issueCertificate(await readJsonBody(req), who, state, options.credentials, options.workloadCertTtlMs());
        sendJson(res, 200, issued);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/policies$/,
      handle: (req, res, _url, _params, who) => {
        requireAdmin(who);
        return apply(req, res);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/policies$/,
      handle: (_req, res, _url, _params, who) => {
        requireAdmin(who);
        sendJson(res, 200, { version: state.version, sources: state.sources });
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/join-tokens$/,
      handle: async (req, res, _url, _params, who) => {
        requireAdmin(who);
        sendJson(res, 200, joinTokenFor(parseJoinTokenBody(await readJsonBody(req))));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/registry$/,
      handle: (_req, res, _url, _params, who) => {
        requireAdmin(who);
        sendJson(res, 200, state.instances());
      },
    },
    { method: 'GET', pattern: /^\/healthz$/, handle: (_req, res) => sendJson(res, 200, { status: 'ok', version: state.version }) },
    ...(options.extraRoutes ?? []),
  ];

  const trustDomain = options.credentials.ca.trustDomain;
  const register = async (request: IncomingMessage, response: ServerResponse, who: Principal) => {
    const workload = requireWorkloadOrAdmin(who);
    const info = parseRegisterRequest(await readJsonBody(request));
    if (workload !== undefined) {
      // A sidecar registers only as an instance of what its certificate says it is.
      const expected = spiffeId(trustDomain, info.namespace, state.serviceAccountOf(info.namespace, info.service, info.version));
      if (info.identity !== workload || workload !== expected) {
        throw forbidden(
          `this certificate is ${workload}; instance ${info.id} of ${info.service} must be ${expected} and say so in identity`,
        );
      }
    }
    state.register(info, options.now());
    sendJson(response, 200, { heartbeatIntervalMs: options.heartbeatIntervalMs, configVersion: state.version });
  };

  /** For a sidecar started by hand (`anymesh join-token`): the token of the identity it will have, and the trust bundle. */
  const joinTokenFor = (asked: { namespace: string; service: string; version: string | undefined }) => {
    const identity = spiffeId(trustDomain, asked.namespace, state.serviceAccountOf(asked.namespace, asked.service, asked.version));
    return { identity, token: options.credentials.joinToken(identity), trustBundle: options.credentials.ca.bundlePem };
  };

  const deregister = (response: ServerResponse, rawId: string, who: Principal) => {
    const workload = requireWorkloadOrAdmin(who);
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw new HttpError(400, 'INVALID_INSTANCE_ID', 'instance id is not valid percent-encoding');
    }
    const instance = state.instances().find((i) => i.id === id);
    if (workload !== undefined && instance !== undefined && instance.identity !== workload) {
      throw forbidden(`instance "${id}" is ${instance.identity}, not ${workload}`);
    }
    if (!state.deregister(id)) throw new HttpError(404, 'UNKNOWN_INSTANCE', `no instance "${id}" is registered`);
    response.writeHead(204).end();
  };

  const watch = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const raw = url.searchParams.get('after');
    if (raw === null) return sendRawJson(response, 200, state.snapshotJson());
    if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'INVALID_VERSION', `after must be a non-negative integer version, got "${raw}"`);
    const after = Number(raw);
    // A different version (newer, or older after the state was reset) is answered at once.
    if (after !== state.publishedVersion) return sendRawJson(response, 200, state.snapshotJson());
    const cancel = state.watchers.wait(after, options.watchTimeoutMs, () => sendRawJson(response, 200, state.snapshotJson()));
    response.on('close', cancel);
    return undefined;
  };

  const apply = async (request: IncomingMessage, response: ServerResponse) => {
    const sources = parseApplyBody(await readJsonBody(request));
    const result = await state.apply(sources);
    sendJson(response, result.applied ? 200 : 422, result);
  };

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://control-plane');
    const samePath = routes.filter((r) => r.pattern.test(url.pathname));
    const route = samePath.find((r) => r.method === request.method);
    const fail = (error: unknown) => {
      const httpError = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL', (error as Error).message);
      // A body we refused may still be arriving: close the connection after answering rather than read the rest.
      sendError(response, httpError, request.complete ? {} : { connection: 'close' });
    };
    if (!route) {
      const error =
        samePath.length > 0
          ? new HttpError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url.pathname}`, {
              allow: samePath.map((r) => r.method).join(', '),
            })
          : new HttpError(404, 'NOT_FOUND', `no such endpoint: ${url.pathname}`);
      return fail(error);
    }
    try {
      const params = url.pathname.match(route.pattern)?.slice(1) ?? [];
      const principal = principalOf(request, options.credentials);
      Promise.resolve(route.handle(request, response, url, params, principal)).catch(fail);
    } catch (error) {
      fail(error);
    }
    return undefined;
  };
}

function parseApplyBody(body: unknown): SourceText[] {
  const sources = (body as { sources?: unknown } | null)?.sources;
  if (typeof body !== 'object' || body === null || !Array.isArray(sources)) {
    throw new HttpError(400, 'INVALID_POLICIES', 'body must be { "sources": [{ "file": "...", "text": "..." }, …] }');
  }
  return sources.map((s: unknown, i) => {
    const item = s as Record<string, unknown> | null;
    if (typeof item !== 'object' || item === null || typeof item['file'] !== 'string' || typeof item['text'] !== 'string') {
      throw new HttpError(400, 'INVALID_POLICIES', `sources[${i}] must be { "file": string, "text": string }`);
    }
    return { file: item['file'], text: item['text'] };
  });
}

function parseJoinTokenBody(body: unknown): { namespace: string; service: string; version: string | undefined } {
  const item = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { namespace = 'default', service, version } = item;
  const name = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  if (typeof service !== 'string' || !name.test(service)) {
    throw new HttpError(
      400,
      'INVALID_JOIN_TOKEN_REQUEST',
      'body must be { "service": "<name>", "namespace"?: "<name>", "version"?: "<name>" }',
    );
  }
  if (typeof namespace !== 'string' || !name.test(namespace))
    throw new HttpError(400, 'INVALID_JOIN_TOKEN_REQUEST', 'namespace must be a DNS label');
  if (version !== undefined && (typeof version !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(version))) {
    throw new HttpError(400, 'INVALID_JOIN_TOKEN_REQUEST', 'version must be a version name such as v1');
  }
  return { namespace, service, version };
}
