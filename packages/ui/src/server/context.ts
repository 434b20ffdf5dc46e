import type { LiveScraper } from './metrics/live-scraper.js';
import type { ErrorFeed } from './recent-errors/error-feed.js';
import type { ControlPlaneClient } from './sources/control-plane.js';
import type { MeshCatalog } from './sources/mesh-catalog.js';
import type { PolicySource } from './sources/policy-source.js';
import type { TapSessions } from './tap/tap-sessions.js';

/** Everything the procedures read; built once per dashboard, shared by all requests. */
export interface DashboardContext {
  readonly policies: PolicySource;
  readonly catalog: MeshCatalog;
  readonly controlPlane: ControlPlaneClient | undefined;
  readonly scraper: LiveScraper | undefined;
  /** Live request streams from sidecars (with a native mesh only). */
  readonly tap: TapSessions | undefined;
  /** Failed requests per service, collected from every sidecar while the dashboard runs (with a native mesh only). */
  readonly errors: ErrorFeed | undefined;
}
