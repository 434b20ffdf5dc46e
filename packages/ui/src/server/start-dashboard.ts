import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express from 'express';
import type { DashboardContext } from './context.js';
import { LiveScraper } from './metrics/live-scraper.js';
import { ErrorFeed } from './recent-errors/error-feed.js';
import { sameOriginOnly } from './same-origin.js';
import { appRouter } from './router.js';
import { ControlPlaneClient } from './sources/control-plane.js';
import { meshCatalog } from './sources/mesh-catalog.js';
import { PolicySource } from './sources/policy-source.js';
import { TapSessions } from './tap/tap-sessions.js';

export interface DashboardOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1: the dashboard can change the mesh's policies, so it is not exposed by default. */
  readonly host?: string;
  /** The directory (or file) of neutral policies to show. */
  readonly policyDir: string;
  /** The native mesh control plane (`anymesh up`); without it the topology shows declared edges only. */
  readonly controlPlaneUrl?: string;
  /** The control plane's admin token (`<state dir>/admin-token`); without it the registry and apply are refused. */
  readonly controlPlaneToken?: string;
  /** How often sidecars are scraped; default 2 s. */
  readonly scrapeIntervalMs?: number;
}

export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** Both under src/server and dist/server, the built web app is two levels up. */
const WEB_DIST = fileURLToPath(new URL('../../web-dist/', import.meta.url));

const NOT_BUILT = `<!doctype html><title>anymesh dashboard</title><p>The dashboard web app is not built.
Run <code>pnpm --filter @anymesh/ui build</code> and reload. The API is up at <code>/trpc</code>.</p>`;

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Starts the dashboard server; resolves once it listens. Prints nothing. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const controlPlane = options.controlPlaneUrl ? new ControlPlaneClient(options.controlPlaneUrl, options.controlPlaneToken) : undefined;
  const scraper = controlPlane
    ? new LiveScraper(controlPlane, options.scrapeIntervalMs ? { intervalMs: options.scrapeIntervalMs } : {})
    : undefined;
  const errors = scraper ? new ErrorFeed(() => scraper.instances) : undefined;
  const context: DashboardContext = {
    policies: new PolicySource(options.policyDir),
    catalog: meshCatalog(),
    controlPlane,
    scraper,
    tap: controlPlane ? new TapSessions(controlPlane) : undefined,
    errors,
  };

  const host = options.host ?? '127.0.0.1';
  const app = express();
  app.disable('x-powered-by');
  app.use('/trpc', sameOriginOnly(isLoopback(host)), createExpressMiddleware({ router: appRouter, createContext: () => context }));
  if (existsSync(WEB_DIST)) app.use(express.static(WEB_DIST, { index: 'index.html', maxAge: 0 }));
  else app.get('/', (_req, res) => void res.type('html').send(NOT_BUILT));

  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = app.listen(options.port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  scraper?.start();
  errors?.start();
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    async close() {
      await scraper?.stop();
      errors?.stop();
      await context.tap?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
