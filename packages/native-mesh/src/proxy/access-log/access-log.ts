import type { MeshSettings } from '@anymesh/core';
import { requestChannel, type ProxyRequestMessage } from '../diagnostics.js';
import { accessLogRecord, formatJson, formatText } from './format.js';

/** Where access-log lines go: the CLI passes its stdout or a file stream; the library never prints on its own. */
export interface AccessLogSink {
  write(line: string): unknown;
}

/**
 * Writes one line per request that went through this sidecar, when
 * `Mesh.spec.observability.accessLogs.enabled` says so and a sink was given. It listens on the
 * `anymesh:proxy:request` channel only while enabled, so a sidecar without access logs builds no
 * message at all.
 */
export class AccessLog {
  readonly #sidecar: string;
  readonly #sink: AccessLogSink | undefined;
  #format: ((m: ProxyRequestMessage) => string) | undefined;

  constructor(sidecarId: string, sink: AccessLogSink | undefined) {
    this.#sidecar = sidecarId;
    this.#sink = sink;
  }

  readonly #onMessage = (message: unknown): void => {
    const m = message as ProxyRequestMessage;
    if (m.sidecar !== this.#sidecar || this.#format === undefined) return;
    this.#sink?.write(this.#format(m));
  };

  configure(mesh: MeshSettings): void {
    const wanted = this.#sink !== undefined && mesh.accessLogs;
    const format = mesh.accessLogFormat === 'text' ? formatText : formatJson;
    const next = wanted ? (m: ProxyRequestMessage) => format(accessLogRecord(m, Date.now())) : undefined;
    if (next !== undefined && this.#format === undefined) requestChannel.subscribe(this.#onMessage);
    if (next === undefined && this.#format !== undefined) requestChannel.unsubscribe(this.#onMessage);
    this.#format = next;
  }

  close(): void {
    if (this.#format !== undefined) requestChannel.unsubscribe(this.#onMessage);
    this.#format = undefined;
  }
}
