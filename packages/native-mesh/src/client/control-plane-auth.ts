import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/** How a client authenticates to the control plane. */
export interface ControlPlaneAuth {
  /** The admin token (admin tools, the dashboard): sent as `Authorization: Bearer`. */
  readonly token?: string;
  /**
   * TLS to the control plane (sidecars): read for every new connection, so a rotated client
   * certificate is used from then on. The URL's scheme is switched to https.
   */
  readonly tls?: () => ConnectionOptions;
}

export type ControlPlaneFetch = (
  path: string,
  init?: { method?: string; body?: string; signal?: AbortSignal; token?: string },
) => Promise<Response>;

/**
 * A fetch bound to one control plane and its credentials. With TLS options it uses undici with a
 * connector that calls node:tls with the options current at each connection.
 */
export function controlPlaneFetch(url: string, auth: ControlPlaneAuth = {}): { fetch: ControlPlaneFetch; close: () => Promise<void> } {
  const base = url.replace(/\/+$/, '');
  const tlsOptions = auth.tls;
  if (tlsOptions === undefined) {
    return {
      fetch: (path, init = {}) => fetch(`${base}${path}`, requestInit(init, auth.token)),
      close: async () => undefined,
    };
  }
  const secureBase = base.replace(/^http:/, 'https:');
  const dispatcher = new Agent({
    connect: (options, callback) => {
      const socket = connectTls({ host: options.hostname, port: Number(options.port), ...tlsOptions() });
      let done = false;
      socket.once('secureConnect', () => {
        done = true;
        callback(null, socket);
      });
      socket.once('error', (error) => {
        if (!done) callback(error, null);
      });
    },
  });
  return {
    fetch: async (path, init = {}) =>
      (await undiciFetch(`${secureBase}${path}`, {
        ...(requestInit(init, auth.token) as UndiciRequestInit),
        dispatcher,
      })) as unknown as Response,
    close: () => dispatcher.close(),
  };
}

function requestInit(
  init: { method?: string; body?: string; signal?: AbortSignal; token?: string },
  token: string | undefined,
): RequestInit {
  const headers: Record<string, string> = {};
  const bearer = init.token ?? token;
  if (bearer !== undefined) headers['authorization'] = `Bearer ${bearer}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  };
}
