import { request, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestBody } from '../filters/body.js';
import { CONNECT_TIMEOUT, countRequestOn, wasReused } from '../upstream/agent.js';
import type { Endpoint } from '../upstream/endpoint.js';
import type { Cancellation } from './cancellation.js';

export interface OutgoingRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: RequestBody;
}

export type AttemptFailure = 'connect-failure' | 'reset' | 'per-try-timeout' | 'aborted';

export type AttemptResult =
  | { readonly ok: true; readonly response: IncomingMessage }
  | { readonly ok: false; readonly failure: AttemptFailure; readonly reused: boolean; readonly error: Error };

const PER_TRY_TIMEOUT = new Error('per-try timeout');
const CANCELLED = new Error('request cancelled');

/**
 * Sends one attempt to one endpoint and settles when the response head arrives or the attempt
 * fails. The per-try timeout covers the time to the response head; after that the response is
 * committed to the caller and only the request timeout (the signal) bounds it.
 */
export function sendAttempt(
  endpoint: Endpoint,
  out: OutgoingRequest,
  perTryTimeoutMs: number,
  signal: Cancellation,
): Promise<AttemptResult> {
  if (signal.aborted) return Promise.resolve({ ok: false, failure: 'aborted', reused: false, error: CANCELLED });
  return new Promise((resolve) => {
    let connected = false;
    let reused = false;
    let timer: NodeJS.Timeout | undefined;
    const req: ClientRequest = request({
      agent: endpoint.agent,
      host: endpoint.host,
      port: endpoint.port,
      method: out.method,
      path: out.path,
      headers: out.headers,
    });
    signal.onCancel(() => req.destroy(CANCELLED));
    req.on('socket', (socket: Socket) => {
      countRequestOn(socket);
      reused = wasReused(socket);
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    if (perTryTimeoutMs > 0) timer = setTimeout(() => req.destroy(PER_TRY_TIMEOUT), perTryTimeoutMs);
    req.once('response', (response) => {
      clearTimeout(timer);
      signal.clear();
      resolve({ ok: true, response });
    });
    req.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      signal.clear();
      let failure: AttemptFailure;
      if (signal.aborted) failure = 'aborted';
      else if (error === PER_TRY_TIMEOUT) failure = 'per-try-timeout';
      else if (!connected || error.code === CONNECT_TIMEOUT || error.code === 'ECONNREFUSED') failure = 'connect-failure';
      else failure = 'reset';
      resolve({ ok: false, failure, reused, error });
    });
    writeBody(req, out.body);
  });
}

function writeBody(req: ClientRequest, body: RequestBody): void {
  switch (body.kind) {
    case 'none':
      req.end();
      return;
    case 'buffered':
      req.end(body.data);
      return;
    case 'streaming':
      for (const chunk of body.head) req.write(chunk);
      body.rest.pipe(req);
      body.rest.resume();
      return;
  }
}
