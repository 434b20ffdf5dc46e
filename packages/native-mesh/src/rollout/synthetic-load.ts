import { spiffeId as spiffeIdOf, type SyntheticLoad, type VersionRef } from '@anymesh/core';
import { Agent as HttpAgent, request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createKeyAndCsr, signWorkloadCsr, type CertificateAuthority } from '../identity/index.js';
import type { InstanceInfo } from '../protocol/types.js';
import { MetricsError } from './metrics/errors.js';
import { SYNTHETIC_SOURCE } from './metrics/promql.js';

/** The most synthetic requests per second a rollout may ask for. */
export const MAX_SYNTHETIC_RATE = 100;
/** Requests in flight at once; a tick finding this many waiting sends nothing (a slow version is not piled on). */
const MAX_IN_FLIGHT = 32;
const REQUEST_TIMEOUT_MS = 10_000;

/** A client certificate for the mesh's mTLS: key, certificate (+ chain), and the bundle that verifies sidecars. */
export interface SyntheticLoadCredentials {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

export interface SyntheticLoadOptions {
  /** Credentials when sidecars expect mTLS (mode strict or permissive); undefined: plaintext (mode disabled). */
  readonly credentials?: () => SyntheticLoadCredentials | undefined;
}

/** A load in progress. */
export interface SyntheticLoadRun {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
  /** Requests sent so far. */
  sent(): number;
  /** Answers so far by status (`0`: no answer). */
  answers(): ReadonlyMap<number, number>;
}

/**
 * Credentials for synthetic load, signed by the control plane's CA: the identity
 * `spiffe://<trust domain>/ns/<namespace>/sa/anymesh-synthetic-load`. Sidecars name the caller by
 * that service account (`source_service="anymesh-synthetic-load"`), and AccessPolicies decide on
 * it like on any identity: a mesh that denies by default must allow it for the load to get through.
 */
export async function syntheticLoadCredentials(
  ca: CertificateAuthority,
  namespace: string,
  ttlMs = 24 * 3_600_000,
): Promise<SyntheticLoadCredentials> {
  const spiffeId = spiffeIdOf(ca.trustDomain, namespace, SYNTHETIC_SOURCE);
  const { keyPem, csrPem } = await createKeyAndCsr(spiffeId);
  const cert = await signWorkloadCsr(ca, csrPem, spiffeId, ttlMs);
  return { key: keyPem, cert: ca.chainPem === '' ? cert : `${cert.trimEnd()}\n${ca.chainPem}`, ca: ca.bundlePem };
}

/** Literal loopback addresses only (127.0.0.0/8, ::1): a name could resolve anywhere. */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * Bounded-rate requests to the new version's sidecars' inbound listeners, so that the mesh's
 * policies (mTLS, access) apply to them as to any caller. Requests are spaced at least
 * 1/rate apart on the monotonic clock, so no window of W seconds holds more than rate·W + 1 of
 * them, whatever the timers do. Instances are re-read each request (round robin over the
 * version's instances on loopback addresses).
 */
export class SyntheticLoadGenerator {
  readonly #instances: () => readonly InstanceInfo[];
  readonly #options: SyntheticLoadOptions;

  constructor(instances: () => readonly InstanceInfo[], options: SyntheticLoadOptions = {}) {
    this.#instances = instances;
    this.#options = options;
  }

  /** Throws {@link MetricsError} `NOT_LOOPBACK` when an instance of the version is not on a loopback address, `NO_TARGET` when it has none. */
  start(target: VersionRef, spec: SyntheticLoad): SyntheticLoadRun {
    const targets = this.#targets(target);
    const outside = targets.find((i) => !isLoopback(i.host));
    if (outside !== undefined)
      throw new MetricsError('NOT_LOOPBACK', `synthetic load goes to loopback addresses only; ${outside.id} is at ${outside.host}`);
    if (targets.length === 0)
      throw new MetricsError(
        'NO_TARGET',
        `no instance of ${target.namespace}/${target.service} ${target.version} to send synthetic load to`,
      );
    const rate = Math.min(Math.max(spec.requestsPerSecond, 0), MAX_SYNTHETIC_RATE);
    return new LoadRun(() => this.#targets(target).filter((i) => isLoopback(i.host)), target, spec, rate, this.#options.credentials?.());
  }

  #targets(target: VersionRef): InstanceInfo[] {
    return this.#instances().filter(
      (i) => i.namespace === target.namespace && i.service === target.service && (i.version ?? '') === target.version,
    );
  }
}

class LoadRun implements SyntheticLoadRun {
  #sent = 0;
  #next = 0;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #answers = new Map<number, number>();
  readonly #agent: HttpAgent;
  readonly #headers: OutgoingHttpHeaders;
  readonly #periodMs: number;
  #lastSentAt = -Infinity;

  constructor(
    private readonly targets: () => InstanceInfo[],
    target: VersionRef,
    private readonly spec: SyntheticLoad,
    rate: number,
    private readonly credentials: SyntheticLoadCredentials | undefined,
  ) {
    this.#periodMs = rate > 0 ? 1000 / rate : Infinity;
    this.#agent = credentials
      ? new HttpsAgent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT })
      : new HttpAgent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
    this.#headers = {
      ...spec.headers,
      host: `${target.service}.${target.namespace}`,
      'x-anymesh-source-service': SYNTHETIC_SOURCE,
      'x-anymesh-synthetic': '1',
    };
    if (rate > 0) this.#tick();
  }

  sent(): number {
    return this.#sent;
  }

  answers(): ReadonlyMap<number, number> {
    return this.#answers;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await Promise.all(this.#inFlight);
    this.#agent.destroy();
  }

  readonly #tick = (): void => {
    if (this.#stopped) return;
    const now = performance.now();
    const wait = this.#lastSentAt + this.#periodMs - now;
    if (wait <= 0) {
      this.#lastSentAt = now;
      this.#sendOne();
    }
    this.#timer = setTimeout(this.#tick, Math.max(1, wait <= 0 ? this.#periodMs : wait));
  };

  #sendOne(): void {
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return;
    const targets = this.targets();
    const instance = targets[this.#next++ % Math.max(targets.length, 1)];
    if (instance === undefined) return;
    this.#sent++;
    const done = this.#request(instance).then((status) => {
      this.#answers.set(status, (this.#answers.get(status) ?? 0) + 1);
      this.#inFlight.delete(done);
    });
    this.#inFlight.add(done);
  }

  /** One request; resolves with its status, 0 when it got none. Never rejects. */
  #request(instance: InstanceInfo): Promise<number> {
    return new Promise((resolve) => {
      const common = {
        host: instance.host,
        port: instance.inboundPort,
        path: this.spec.path ?? '/',
        method: 'GET',
        headers: this.#headers,
        agent: this.#agent,
      };
      const expected = instance.identity;
      const req = this.credentials
        ? httpsRequest({
            ...common,
            ...this.credentials,
            minVersion: 'TLSv1.3',
            servername: undefined,
            // The sidecar must prove the instance's SPIFFE ID, as sidecars check each other.
            checkServerIdentity: (_host, peer) =>
              (peer.subjectaltname ?? '').split(', ').includes(`URI:${expected}`)
                ? undefined
                : new Error(`the server's certificate names ${peer.subjectaltname ?? 'no identity'}, expected ${expected}`),
          })
        : httpRequest(common);
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('synthetic request timed out')));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
        res.on('close', () => resolve(res.complete ? (res.statusCode ?? 0) : 0));
      });
      req.on('error', () => resolve(0));
      req.end();
    });
  }
}
