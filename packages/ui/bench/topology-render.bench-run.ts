import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { startDashboard } from '../src/index.js';
import { edgeLabel } from '../web/topology/to-flow.js';
import { generateTopology } from '../test/fixtures/topology-300.js';
import { findTool } from '../../native-mesh/test/support/required-tool.js';
import { CHROMIUM, launchChromium } from '../test/support/chromium.js';
import { writeDashboardSection } from './performance-doc.js';

/*
 * Time to first render and to update of the 300-service topology in headless Chromium, with the
 * real built web app. The topology API answer is replaced at the network layer by the generated
 * fixture (tick 0, then tick 1, 2, … for each refresh), so the figures measure the browser side.
 */
const SERVICES = 300;
const UPDATES = 5;
const DOC = fileURLToPath(new URL('../../../docs/performance.md', import.meta.url));
const BOOKSTORE = fileURLToPath(new URL('../../../examples/bookstore/', import.meta.url));

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function trpcBody(data: unknown): string {
  return JSON.stringify([{ result: { data } }]);
}

async function measure(page: Page, url: string) {
  let tick = 0;
  await page.route('**/trpc/topology**', (route) =>
    route.fulfill({ contentType: 'application/json', body: trpcBody(generateTopology(SERVICES, tick)) }),
  );
  await page.addInitScript(() => {
    const w = window as unknown as { longestTaskMs: number };
    w.longestTaskMs = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longestTaskMs = Math.max(w.longestTaskMs, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  // As an SRE would: a service selected, so the edges around it are labelled.
  await page.goto(`${url}#/topology?service=${encodeURIComponent(generateTopology(SERVICES).edges[0]?.source ?? '')}`);
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length >= n, SERVICES, {
    timeout: 120_000,
    polling: 'raf',
  });
  const firstRenderMs = await page.evaluate(() => performance.now());
  // Updates are measured once the final layout is in, so they do not include it.
  await page.waitForFunction(() => performance.getEntriesByName('anymesh:layout-done').length > 0, undefined, { timeout: 120_000 });
  const layoutDoneMs = await page.evaluate(() => performance.getEntriesByName('anymesh:layout-done')[0]?.startTime ?? NaN);
  await page.waitForTimeout(500);
  const longestTaskMs = await page.evaluate(() => (window as unknown as { longestTaskMs: number }).longestTaskMs);

  const first = generateTopology(SERVICES, 0).edges[0];
  if (!first) throw new Error('fixture without edges');
  const updates: number[] = [];
  for (let i = 1; i <= UPDATES; i++) {
    tick = i;
    const expected = edgeLabel(generateTopology(SERVICES, i).edges[0] ?? first);
    // The app refreshes on its own timer; measure from the moment the new answer is served.
    const served = page.waitForResponse('**/trpc/topology**').then(() => Date.now());
    const seen = page
      .waitForFunction(
        ([id, text]) => document.querySelector(`.react-flow__edge[data-id="${id}"] .react-flow__edge-text`)?.textContent === text,
        [first.id, expected] as const,
        { timeout: 30_000, polling: 'raf' },
      )
      .then(() => Date.now());
    const [s, t] = await Promise.all([served, seen]);
    updates.push(t - s);
  }
  return { firstRenderMs, layoutDoneMs, longestTaskMs, updateMs: median(updates), updates };
}

it(`renders the ${SERVICES}-service topology and its live updates in headless Chromium`, async (ctx) => {
  const chromium = findTool(CHROMIUM);
  if (!chromium.found && chromium.optedOut) return ctx.skip(chromium.message);
  const dashboard = await startDashboard({ port: 0, policyDir: BOOKSTORE });
  const browser = await launchChromium();
  try {
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const result = await measure(await context.newPage(), dashboard.url);
    await context.close();
    const fixture = generateTopology(SERVICES);
    const machine = `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), shared with other work while measured`;
    await writeDashboardSection(
      DOC,
      `Topology view with the generated ${SERVICES}-service fixture (${fixture.edges.length} edges; packages/ui/test/fixtures/topology-300.ts), 1280×800, headless Chromium, built web app.

| Measure | Result |
| --- | --- |
| Time to first render (navigation start → all ${SERVICES} nodes on screen, in the provisional quick layout) | ${Math.round(result.firstRenderMs)} ms |
| Time to the final ELK layout (computed in a Web Worker), since navigation start | ${Math.round(result.layoutDoneMs)} ms |
| Longest main-thread task until first render | ${Math.round(result.longestTaskMs)} ms |
| Time to update (refresh answer received → new edge label on screen), median of ${UPDATES} | ${Math.round(result.updateMs)} ms |
| Individual updates | ${result.updates.map((u) => `${u} ms`).join(', ')} |

Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; load average ${loadavg()[0]?.toFixed(1) ?? '?'} when it finished.`,
    );
    expect(result.firstRenderMs).toBeGreaterThan(0);
    expect(result.updateMs).toBeLessThan(3_000);
  } finally {
    await browser.close();
    await dashboard.close();
  }
});
