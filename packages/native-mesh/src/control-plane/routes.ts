import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SourceText } from '@anymesh/core';
import { HttpError, readJsonBody, sendError, sendJson, sendRawJson } from './http-io.js';
import type { MeshState } from './mesh-state.js';
import { parseRegisterRequest } from './register-request.js';

export interface RouteOptions {
  readonly heartbeatIntervalMs: number;
  readonly watchTimeoutMs: number;
  readonly now: () => number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL, params: string[]) => Promise<void> | void;

/** The control-plane API (protocol/types.ts), plus `GET /v1/policies` and `GET /healthz` for operators. */
export function createRoutes(state: MeshState, options: RouteOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const routes: { method: string; pattern: RegExp; handle: Handler }[] = [
    { method: 'POST', pattern: /^\/v1\/instances$/, handle: (req, res) => register(req, res) },
    { method: 'DELETE', pattern: /^\/v1\/instances\/([^/]+)$/, handle: (_req, res, _url, [id]) => deregister(res, id ?? '') },
    { method: 'GET', pattern: /^\/v1\/config$/, handle: (req, res, url) => watch(req, res, url) },
    { method: 'POST', pattern: /^\/v1\/policies$/, handle: (req, res) => apply(req, res) },
    {
      method: 'GET',
      pattern: /^\/v1\/policies$/,
      handle: (_req, res) => sendJson(res, 200, { version: state.version, sources: state.sources }),
    },
    { method: 'GET', pattern: /^\/v1\/registry$/, handle: (_req, res) => sendJson(res, 200, state.instances()) },
    { method: 'GET', pattern: /^\/healthz$/, handle: (_req, res) => sendJson(res, 200, { status: 'ok', version: state.version }) },
  ];

  const register = async (request: IncomingMessage, response: ServerResponse) => {
    const info = parseRegisterRequest(await readJsonBody(request));
    state.register(info, options.now());
    sendJson(response, 200, { heartbeatIntervalMs: options.heartbeatIntervalMs, configVersion: state.version });
  };

  const deregister = (response: ServerResponse, rawId: string) => {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      throw new HttpError(400, 'INVALID_INSTANCE_ID', 'instance id is not valid percent-encoding');
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
      Promise.resolve(route.handle(request, response, url, params)).catch(fail);
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
