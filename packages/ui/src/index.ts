// Public API of @anymesh/ui: the dashboard server, and its API types for the web app and tests.
export { startDashboard, type Dashboard, type DashboardOptions } from './server/start-dashboard.js';
export type { AppRouter } from './server/router.js';
export type * from './server/api-types.js';
