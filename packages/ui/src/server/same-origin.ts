import type { NextFunction, Request, Response } from 'express';

/**
 * Refuses API calls a browser makes on behalf of another site: the dashboard can change the
 * mesh's policies, and it listens on localhost where any open web page could reach it.
 */
export function sameOriginOnly(req: Request, res: Response, next: NextFunction): void {
  const origin = req.headers.origin;
  if (origin === undefined || origin === `http://${req.headers.host ?? ''}`) {
    next();
    return;
  }
  res.status(403).json({ error: { message: `cross-origin request from ${origin} refused` } });
}
