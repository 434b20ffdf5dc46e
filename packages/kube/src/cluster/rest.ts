import { Agent, request, type RequestOptions } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiStatus } from './api-errors.js';

const MAX_429_RETRIES = 5;

/** A failed request: the HTTP status and the server's Status object. */
export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError';
  constructor(
    readonly code: number,
    readonly status: ApiStatus,
    readonly method: string,
    readonly path: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${method} ${path}: HTTP ${code}: ${status.message ?? ''}`);
  }
}

/** Where a kind is served: its plural resource name and scope, from discovery. */
export interface ResourceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** A Kubernetes object as read from the server. */
export type LiveObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

export interface RequestBody {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

/**
 * The REST calls anymesh makes, JSON in and out, exactly as given. Why not client-node's generic object API: it
 * serializes known kinds (CustomResourceDefinition, Service) through its generated models, which drop fields they
 * do not model (`x-kubernetes-int-or-string` in a CRD schema is lost) — server-side apply must send exactly the
 * fields anymesh owns, no more, no less. client-node still resolves the kubeconfig and the credentials (tokens,
 * client certificates, exec plugins) on every request; connections are kept alive.
 */
export class KubeRest {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private agent: Agent | HttpAgent | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly server: string,
  ) {}

  /**
   * One request. A 429 answer (the server's flow control, or a CRD's storage still initializing right after it
   * became Established) is retried after its Retry-After, up to 5 times, as client-go does.
   */
  async request<T>(method: string, path: string, options: RequestBody = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, path, options);
      } catch (error) {
        if (!(error instanceof KubeHttpError) || error.code !== 429 || attempt >= MAX_429_RETRIES) throw error;
        await new Promise((r) => setTimeout(r, Math.min(error.retryAfterSeconds ?? 1, 5) * 1000));
      }
    }
  }

  private async requestOnce<T>(method: string, path: string, options: RequestBody): Promise<T> {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const opts: RequestOptions = { method, headers: { accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = { ...(opts.headers as Record<string, string>) };
    if (payload) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const secure = url.protocol === 'https:';
    this.agent ??= secure
      ? new Agent({
          keepAlive: true,
          maxSockets: 32,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
          rejectUnauthorized: opts.rejectUnauthorized,
          servername: opts.servername,
        })
      : new HttpAgent({ keepAlive: true, maxSockets: 32 });
    const send = secure ? request : httpRequest;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, timeout: options.timeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          let parsed: unknown = undefined;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = { message: text.slice(0, 500) };
          }
          if (code >= 200 && code < 300) resolve(parsed as T);
          else {
            const retryAfter = Number(res.headers['retry-after']);
            reject(
              new KubeHttpError(
                code,
                (parsed as ApiStatus | undefined) ?? { code },
                method,
                url.pathname,
                Number.isFinite(retryAfter) ? retryAfter : undefined,
              ),
            );
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? 30_000) / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** The resource serving `kind` in `apiVersion`, or undefined when the server does not serve it. */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let found = (await this.groupVersion(apiVersion))?.get(kind);
    if (!found) {
      // A CRD installed since the last look: ask again once.
      this.discovery.delete(apiVersion);
      found = (await this.groupVersion(apiVersion))?.get(kind);
    }
    return found;
  }

  private groupVersion(apiVersion: string): Promise<Map<string, ResourceInfo> | undefined> {
    let entry = this.discovery.get(apiVersion);
    if (!entry) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      entry = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>('GET', path).then(
        (list) =>
          new Map(
            list.resources
              .filter((r) => !r.name.includes('/'))
              .map((r) => [r.kind, { apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced }]),
          ),
        (error: unknown) => {
          this.discovery.delete(apiVersion);
          if (error instanceof KubeHttpError && error.code === 404) return undefined;
          throw error;
        },
      );
      this.discovery.set(apiVersion, entry);
    }
    return entry;
  }

  /** `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]`. */
  static path(resource: ResourceInfo, namespace?: string, name?: string): string {
    const base = resource.apiVersion.includes('/') ? `/apis/${resource.apiVersion}` : `/api/${resource.apiVersion}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${resource.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  close(): void {
    this.agent?.destroy();
  }
}
