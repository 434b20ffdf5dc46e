import { ApiException } from '@kubernetes/client-node';
import { KubeHttpError } from './rest.js';
import { ClusterUnreachableError, ForbiddenError, InvalidObjectError, KubeError, type FieldConflict } from '../errors.js';
import type { ClusterConnection } from './connect.js';

/** The `Status` object the API server answers an error with. */
export interface ApiStatus {
  readonly kind?: string;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly { reason?: string; message?: string; field?: string }[];
  };
}

/** The server's Status of a failed request, or undefined for an error that never reached the server. */
export function statusOf(error: unknown): ApiStatus | undefined {
  if (error instanceof KubeHttpError) return error.status;
  if (!(error instanceof ApiException)) return undefined;
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as ApiStatus;
    } catch {
      return { code: error.code, message: body };
    }
  }
  return typeof body === 'object' && body !== null ? (body as ApiStatus) : { code: error.code };
}

/** HTTP status of a failed request (0 when it never got an answer). */
export function httpCodeOf(error: unknown): number {
  return error instanceof ApiException || error instanceof KubeHttpError ? error.code : 0;
}

/** What a request was doing, for messages: `create VirtualService shop/reviews`. */
export interface RequestContext {
  readonly verb: string;
  /** `VirtualService shop/reviews` or a resource name. */
  readonly object: string;
  readonly resource: string;
  readonly namespace?: string;
  /** The neutral policy the object came from (`TrafficRoute/shop/reviews`). */
  readonly source?: string;
}

/**
 * A typed error for a failed request: unreachable server, RBAC refusal, invalid object. Anything else keeps the
 * server's own message, prefixed with what was being done.
 */
export function toKubeError(error: unknown, connection: ClusterConnection, request: RequestContext): KubeError {
  if (error instanceof KubeError) return error;
  const code = httpCodeOf(error);
  if (code === 0) {
    const cause = (error as { cause?: { code?: string; message?: string }; code?: string; message?: string }) ?? {};
    const reason = cause.cause?.code ?? cause.code ?? cause.cause?.message ?? cause.message ?? String(error);
    return new ClusterUnreachableError(connection.server, connection.context, reason);
  }
  const status = statusOf(error) ?? {};
  const message = status.message ?? `HTTP ${code}`;
  if (code === 403) return new ForbiddenError(request.verb, request.resource, request.namespace, userOf(message, connection), message);
  if (code === 422 || code === 400) {
    const fields = (status.details?.causes ?? []).map((c) => ({ field: c.field ?? '', message: c.message ?? c.reason ?? '' }));
    return new InvalidObjectError(request.object, fields, request.source, message);
  }
  // Server-side apply answers a value of the wrong type with a 500 naming the field: still the object's fault.
  const typed = /failed to create typed patch object \([^)]*\): (\.[^:]+): (.*)$/s.exec(message);
  if (typed) return new InvalidObjectError(request.object, [{ field: typed[1]!.slice(1), message: typed[2]! }], request.source, message);
  return new KubeError(`${request.verb} ${request.object}: ${message} (HTTP ${code})`);
}

/** `User "x" cannot ...` → `user "x"`; else the context's user name. */
function userOf(message: string, connection: ClusterConnection): string {
  const match = /User "([^"]+)"/.exec(message) ?? /"(system:serviceaccount:[^"]+)"/.exec(message);
  return match ? `user "${match[1]}"` : `user "${connection.kubeConfig.getCurrentUser()?.name ?? 'unknown'}"`;
}

/** Field-manager conflicts of a 409 answer to a server-side apply. */
export function conflictsOf(error: unknown, object: string): FieldConflict[] {
  if (httpCodeOf(error) !== 409) return [];
  const causes = statusOf(error)?.details?.causes ?? [];
  return causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => ({ object, field: c.field ?? '', manager: /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1] ?? 'unknown' }));
}
