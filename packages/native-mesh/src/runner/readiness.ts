import { request } from 'node:http';

/** One GET; resolves with the status, or 0 when nothing answered within `timeoutMs`. */
export function probe(url: string, timeoutMs = 1_000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Polls `url` until it answers 2xx. Gives up when `deadline` passes or `givenUp()` says the
 * process behind it has exited (no point waiting for a dead app).
 */
export async function waitUntilReady(url: string, deadline: number, givenUp: () => boolean): Promise<boolean> {
  for (let delay = 50; Date.now() < deadline && !givenUp(); delay = Math.min(delay * 2, 250)) {
    const status = await probe(url, Math.max(100, Math.min(1_000, deadline - Date.now())));
    if (status >= 200 && status < 300) return true;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return false;
}
