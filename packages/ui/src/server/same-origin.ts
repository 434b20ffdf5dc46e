import type { NextFunction, Request, RequestHandler, Response } from 'express';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostname(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : (hostHeader.split(':')[0] ?? '');
}

/**
 * Refuses API calls a browser makes on behalf of another site. The dashboard can change the
 * mesh's policies and listens on localhost, where any open web page can reach it: a foreign
 * Origin is refused, and on a loopback address so is a foreign Host (DNS rebinding).
 */
export function sameOriginOnly(loopbackOnly: boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const host = req.headers.host ?? '';
    const origin = req.headers.origin;
    if (loopbackOnly && !LOOPBACK_NAMES.has(hostname(host))) {
      res.status(403).json({ error: { message: `requests for host ${host} refused: the dashboard answers only on localhost` } });
      return;
    }
    if (origin !== undefined && origin !== `http://${host}`) {
      res.status(403).json({ error: { message: `cross-origin request from ${origin} refused` } });
      return;
    }
    next();
  };
}
