import { get } from 'node:http';

/** The lines of a metrics page that hold the needle, or why the page could not be read. */
export type ScrapeResult = { readonly ok: true; readonly lines: readonly string[] } | { readonly ok: false; readonly error: string };

/** Limit on one page: a sidecar's is tens of KiB; anything far larger is not a sidecar. */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;
const NEWLINE = 0x0a;
const HASH = 0x23;

/**
 * GETs `http://host:port<path>` within `timeoutMs` and keeps the sample lines containing
 * `needle`, searching the bytes as they arrive: the page is never made into one string (with 50
 * sidecars that was most of an analysis' CPU, in garbage collection). Never rejects.
 */
export function scrapeMatching(host: string, port: number, path: string, timeoutMs: number, needle: string): Promise<ScrapeResult> {
  const matcher = new LineMatcher(Buffer.from(needle, 'utf8'));
  return new Promise((resolve) => {
    const req = get({ host, port, path, timeout: timeoutMs, headers: { accept: 'text/plain' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ ok: false, error: `HTTP ${res.statusCode ?? 0} from ${path}` });
        return;
      }
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PAGE_BYTES) req.destroy(new Error(`metrics page larger than ${MAX_PAGE_BYTES} bytes`));
        else matcher.push(chunk);
      });
      res.on('end', () => resolve({ ok: true, lines: matcher.end() }));
      res.on('error', (error) => resolve({ ok: false, error: error.message }));
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
  });
}

/** Collects the non-comment lines containing a needle from a byte stream split anywhere. */
export class LineMatcher {
  readonly #needle: Buffer;
  readonly #lines: string[] = [];
  /** The unfinished line at the end of the previous chunk. */
  #carry: Buffer | undefined;

  constructor(needle: Buffer) {
    this.#needle = needle;
  }

  push(chunk: Buffer): void {
    let from = 0;
    if (this.#carry !== undefined) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) {
        this.#carry = Buffer.concat([this.#carry, chunk]);
        return;
      }
      this.#line(Buffer.concat([this.#carry, chunk.subarray(0, nl)]), 0, this.#carry.length + nl);
      this.#carry = undefined;
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    const complete = last < from ? from : last;
    this.#scan(chunk, from, complete);
    if (last < from) this.#carry = Buffer.from(chunk.subarray(from));
    else if (last + 1 < chunk.length) this.#carry = Buffer.from(chunk.subarray(last + 1));
  }

  end(): string[] {
    if (this.#carry !== undefined) this.#line(this.#carry, 0, this.#carry.length);
    this.#carry = undefined;
    return this.#lines;
  }

  /** Lines in data[from, to) (to: a newline or the end) holding the needle. */
  #scan(data: Buffer, from: number, to: number): void {
    let at = from;
    for (;;) {
      const hit = data.indexOf(this.#needle, at);
      if (hit === -1 || hit >= to) return;
      const start = hit === 0 ? 0 : data.lastIndexOf(NEWLINE, hit - 1) + 1;
      let end = data.indexOf(NEWLINE, hit);
      if (end === -1 || end > to) end = to;
      if (data[start] !== HASH) this.#lines.push(data.toString('utf8', Math.max(start, from), end));
      at = end + 1;
    }
  }

  #line(data: Buffer, from: number, to: number): void {
    if (data.indexOf(this.#needle, from) !== -1 && data[from] !== HASH) this.#lines.push(data.toString('utf8', from, to));
  }
}
