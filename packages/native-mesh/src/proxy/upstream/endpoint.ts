import type { ConnectionOptions } from 'node:tls';
import type { InstanceInfo } from '../../protocol/types.js';
import { PoolAgent } from './agent.js';

export interface EndpointHooks {
  readonly connectTimeoutMs: () => number;
  readonly idleTimeoutMs: number;
  readonly onConnectionCount: (delta: 1 | -1) => void;
  readonly mayKeep: (requestsServed: number) => boolean;
  /** TLS options for a new connection to a sidecar with this identity (SPIFFE ID), or undefined for plaintext. */
  readonly tls?: (identity: string) => ConnectionOptions | undefined;
}

/**
 * One instance of an upstream group: where to reach its sidecar, its keep-alive pool, its
 * in-flight count (least-request) and its passive-health state (outlier detection).
 */
export class Endpoint {
  readonly id: string;
  readonly #agent: PoolAgent;
  #info: InstanceInfo;
  #active = 0;
  #retired = false;
  /** Outlier state: consecutive failures, ejection end (0: not ejected), times ejected. */
  consecutive5xx = 0;
  consecutiveGateway = 0;
  ejectedUntil = 0;
  timesEjected = 0;

  constructor(info: InstanceInfo, hooks: EndpointHooks) {
    this.id = info.id;
    this.#info = info;
    this.#agent = new PoolAgent({
      connectTimeoutMs: hooks.connectTimeoutMs,
      idleTimeoutMs: hooks.idleTimeoutMs,
      onConnectionCount: hooks.onConnectionCount,
      mayKeep: hooks.mayKeep,
      tls: () => hooks.tls?.(this.#info.identity),
    });
  }

  get info(): InstanceInfo {
    return this.#info;
  }

  get host(): string {
    return this.#info.host;
  }

  get port(): number {
    return this.#info.inboundPort;
  }

  get version(): string | undefined {
    return this.#info.version;
  }

  get agent(): PoolAgent {
    return this.#agent;
  }

  get active(): number {
    return this.#active;
  }

  get ejected(): boolean {
    return this.ejectedUntil !== 0;
  }

  update(info: InstanceInfo): void {
    this.#info = info;
  }

  begin(): void {
    this.#active++;
  }

  end(): void {
    this.#active--;
    if (this.#retired && this.#active === 0) this.#agent.destroy();
  }

  /** The instance left: close idle connections now and busy ones once their requests finish. */
  retire(): void {
    this.#retired = true;
    if (this.#active === 0) this.#agent.destroy();
  }
}
