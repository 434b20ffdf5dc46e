import { get } from 'node:http';

/** A metrics page, or why it could not be read. */
export type ScrapeResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Limit on one page: a sidecar's is tens of KiB; anything far larger is not a sidecar. */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** GETs `http://host:port/metrics` within `timeoutMs`; never rejects. */
export function scrapeMetrics(host: string, port: number, timeoutMs: number): Promise<ScrapeResult> {
  return new Promise((resolve) => {
    const req = get({ host, port, path: '/metrics', timeout: timeoutMs, headers: { accept: 'text/plain' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ ok: false, error: `HTTP ${res.statusCode ?? 0} from /metrics` });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PAGE_BYTES) req.destroy(new Error(`metrics page larger than ${MAX_PAGE_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (error) => resolve({ ok: false, error: error.message }));
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
  });
}
