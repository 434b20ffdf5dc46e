import type { Topology } from '../../src/server/api-types.js';

/** Says where the figures come from, and what to do when they do not come. */
export function LiveBanner({ topology }: { topology: Topology }) {
  const { live } = topology;
  if (live.mode === 'static') {
    return (
      <p className="banner" role="status">
        Showing the services and calls your policies declare. For live traffic, run <code>anymesh up</code> (it starts the dashboard
        connected to the native mesh).
      </p>
    );
  }
  if (live.problem) {
    return (
      <p className="banner banner-warn" role="alert">
        {live.problem}
      </p>
    );
  }
  return (
    <p className="banner banner-live" role="status">
      Live: rates over the last {live.windowSeconds || '–'} s, refreshed every few seconds
      {live.lastScrapeAt ? ` (last scrape ${new Date(live.lastScrapeAt).toLocaleTimeString()})` : ''}.
    </p>
  );
}
