import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NATIVE_CAPABILITIES } from '@anymesh/native-mesh';
import { startAnymeshUp, type RunningUp } from '../support/anymesh-up.js';
import { describeWithTool } from '../../../native-mesh/test/support/required-tool.js';
import { CHROMIUM, launchChromium, type RunningBrowser } from '../support/chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/screenshots/', import.meta.url));
const BOOKSTORE_SERVICES = ['frontend', 'catalog', 'inventory', 'reviews', 'ratings', 'checkout', 'payments'];
async function configVersion(controlPlaneUrl: string): Promise<number> {
  const response = await fetch(new URL('/v1/config?after=0', controlPlaneUrl));
  return ((await response.json()) as { version: number }).version;
}

describeWithTool(CHROMIUM, 'dashboard in Chromium against anymesh up of the bookstore', () => {
  let up: RunningUp;
  let running: RunningBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    // One after the other: the runner picks free ports before binding them (a race with any
    // process opening sockets meanwhile, reported to its owner), so it gets one retry too.
    up = await startAnymeshUp().catch((error: unknown) => {
      if (!/EADDRINUSE/.test(String(error))) throw error;
      return startAnymeshUp();
    });
    running = await launchChromium();
    context = await running.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  }, 200_000);

  afterAll(async () => {
    // Each step runs even if another fails: a stuck browser must not leave the mesh running.
    await context?.close().catch(() => undefined);
    const results = await Promise.allSettled([running?.close(), up?.stop()]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }, 60_000);

  it('shows every bookstore service and live non-zero request rates on the edges', async () => {
    await page.goto(`${up.dashboardUrl}#/topology`);
    for (const name of BOOKSTORE_SERVICES) await page.locator(`.react-flow__node [data-service="${name}"]`).waitFor({ timeout: 30_000 });
    const liveEdge = page.locator('.react-flow__edge-text', { hasText: /^(?!0 req)[\d.<]+ req\/s · [\d.]+% · p99/ }).first();
    await liveEdge.waitFor({ timeout: 30_000 });
    const label = (await liveEdge.textContent()) ?? '';
    expect(Number(/([\d.]+) req\/s/.exec(label)?.[1])).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'topology.png') });
  }, 70_000);

  it('shows the three reviews versions and the current split when reviews is clicked', async () => {
    await page.locator('.react-flow__node [data-service="reviews"]').click();
    const panel = page.getByRole('region', { name: 'Service reviews' });
    for (const v of ['v1', 'v2', 'v3']) await expect(panel.locator(`tr[data-version="${v}"]`).count()).resolves.toBe(1);
    await expect(panel.getByText('v1 80% · v2 15% · v3 5%').count()).resolves.toBe(1);
    expect(page.url()).toContain('#/topology?service=bookstore%2Freviews');
    await page.screenshot({ path: join(SCREENSHOTS, 'topology-reviews.png') });
  });

  it('lists the failed requests of reviews v3 and live requests streaming when reviews is selected', async () => {
    await page.goto(`${up.dashboardUrl}#/topology?service=reviews`);
    const panel = page.getByRole('region', { name: 'Service reviews' });
    const errors = panel.getByRole('region', { name: 'Recent errors' });
    await errors.getByText(/From the sidecars' live request streams/).waitFor({ timeout: 30_000 });
    // reviews v3 fails a fifth of its requests on purpose (examples/bookstore/workloads.yaml).
    const failed = errors.locator('tr[data-destination-version="v3"][data-code^="5"]').first();
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.textContent()).toMatch(/5\d\d.*(GET|POST) \/.*→ reviews v3/);
    const live = panel.getByRole('table', { name: 'Live requests of reviews' });
    await live.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await live.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'topology-reviews-errors-live.png') });
    await panel.screenshot({ path: join(SCREENSHOTS, 'service-panel-reviews.png') });

    const pause = panel.getByRole('button', { name: 'Pause' });
    await pause.focus();
    await page.keyboard.press('Enter');
    await panel.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await panel.getByRole('button', { name: 'Resume' }).getAttribute('aria-pressed')).toBe('true');
    await panel.getByLabel('Version').selectOption('v3');
    await panel.getByRole('button', { name: 'Resume' }).click();
    const v3Row = live.locator('tbody tr', { hasText: 'reviews v3' }).first();
    await v3Row.waitFor({ timeout: 60_000 });
    expect(await live.locator('tbody tr', { hasNotText: 'reviews v3' }).count()).toBe(0);
  }, 150_000);

  it('selects a service from the keyboard through the service list', async () => {
    await page.getByLabel('Find a service').focus();
    await page.keyboard.type('ratings');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Service ratings' }).waitFor();
  });

  it("lists Linkerd's lack of mirroring with its note on the compare view", async () => {
    await page.goto(`${up.dashboardUrl}#/compare`);
    const linkerd = page.getByRole('region', { name: 'Linkerd: what your policies lose' });
    const mirror = linkerd.locator('li[data-feature="mirror"]');
    await mirror.waitFor({ timeout: 15_000 });
    expect(await mirror.textContent()).toMatch(/Mesh note: .+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: true });
  });

  it("shows the native mesh's column in the capability matrix, from its published table", async () => {
    await page.goto(`${up.dashboardUrl}#/compare`);
    await page.getByRole('columnheader', { name: 'Native mesh' }).waitFor({ timeout: 45_000 });
    for (const feature of ['mirror', 'access.sourceVersion', 'rollout.canary'] as const) {
      const cell = page.locator(`table.capabilities tr[data-feature="${feature}"] td[data-mesh="native"]`);
      const { level, note } = NATIVE_CAPABILITIES[feature];
      expect(await cell.textContent(), feature).toBe(`${{ full: '●', partial: '◐', none: '○' }[level]} ${level}${note}`);
    }
  }, 60_000);

  it('shows the Istio translation of the bookstore policies beside the neutral YAML', async () => {
    await page.goto(`${up.dashboardUrl}#/policies?file=routes.yaml&mesh=istio`);
    const manifests = page.getByLabel('Istio manifests');
    await manifests.waitFor({ timeout: 15_000 });
    const text = (await manifests.textContent()) ?? '';
    expect(text).toContain('VirtualService');
    expect(text).toContain('reviews');
    await expect(page.getByLabel(/Neutral YAML of .*routes\.yaml/).count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'policies.png') });
  });

  it('marks on the neutral YAML the lines Linkerd cannot express', async () => {
    await page.goto(`${up.dashboardUrl}#/policies?file=routes.yaml&mesh=linkerd`);
    const neutral = page.getByLabel(/Neutral YAML of .*routes\.yaml/);
    const note = neutral.getByRole('note').filter({ hasText: 'mirror' }).first();
    await note.waitFor({ timeout: 15_000 });
    expect(await note.textContent()).toContain('AM4001');
    expect(await note.locator('xpath=..').textContent()).toContain('mirror: { version: v3, percent: 10 }');
  });

  it('shows a line diff between the Istio and Linkerd translations', async () => {
    await page.goto(`${up.dashboardUrl}#/policies?file=routes.yaml&tab=diff&mesh=istio&other=linkerd`);
    const diff = page.getByLabel('Istio (−) against Linkerd (+)');
    await diff.waitFor({ timeout: 15_000 });
    expect(await diff.locator('.diff-left').count()).toBeGreaterThan(0);
    expect(await diff.locator('.diff-right', { hasText: 'HTTPRoute' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'policies-diff.png') });
  });

  it('shows the figures of an edge when it is clicked', async () => {
    await page.goto(`${up.dashboardUrl}#/topology`);
    const edge = page.locator('.react-flow__edge[data-id="bookstore/frontend>bookstore/reviews"]');
    await edge.waitFor({ timeout: 30_000 });
    await edge.locator('.react-flow__edge-interaction').click({ force: true });
    const panel = page.getByRole('region', { name: 'Calls from frontend to reviews' });
    await panel.waitFor();
    expect(await panel.getByText('By destination version').count()).toBe(1);
    await panel
      .getByRole('region', { name: 'Recent errors' })
      .getByText(/From the sidecars' live request streams/)
      .waitFor({ timeout: 15_000 });
    const live = panel.getByRole('table', { name: 'Live requests of reviews' });
    await live.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    expect(await live.locator('tbody tr', { hasNotText: /frontend( v\d+)? → reviews/ }).count()).toBe(0);
    await panel.screenshot({ path: join(SCREENSHOTS, 'edge-panel-frontend-reviews.png') });
  }, 60_000);

  it('shows the diagnostic of an invalid policy edit and changes nothing', async () => {
    const before = await configVersion(up.controlPlaneUrl);
    const onDisk = await readFile(join(up.policyDir, 'routes.yaml'), 'utf8');
    await page.goto(`${up.dashboardUrl}#/policies?file=routes.yaml&tab=edit`);
    const editor = page.getByRole('textbox', { name: 'Edit routes.yaml' });
    await editor.waitFor();
    await editor.fill(onDisk.replace('weight: 80', 'weight: -80'));
    await page.getByRole('button', { name: 'Validate and apply to the native mesh' }).click();
    const outcome = page.locator('.apply-outcome');
    await outcome.getByText('Nothing changed in the mesh').waitFor({ timeout: 15_000 });
    expect(await outcome.locator('.diagnostic.severity-error').first().textContent()).toMatch(/AM\d{4}.*weight/s);
    expect(await configVersion(up.controlPlaneUrl)).toBe(before);
    expect(await readFile(join(up.policyDir, 'routes.yaml'), 'utf8')).toBe(onDisk);
    await page.screenshot({ path: join(SCREENSHOTS, 'policies-invalid-edit.png') });
  });

  it('fits a 390 px phone screen without sideways scrolling', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${up.dashboardUrl}#/topology?service=reviews`);
    await phone.getByRole('region', { name: 'Service reviews' }).waitFor({ timeout: 30_000 });
    await phone.locator('.react-flow__node [data-service="reviews"]').waitFor({ timeout: 30_000 });
    // The live requests table is the widest thing in the panel: it scrolls inside, the page must not.
    await phone.getByRole('table', { name: 'Live requests of reviews' }).locator('tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(SCREENSHOTS, 'topology-phone.png'), fullPage: true });
    await phone.getByRole('region', { name: 'Recent errors' }).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(SCREENSHOTS, 'service-panel-phone.png') });
    await phone.goto(`${up.dashboardUrl}#/policies?file=routes.yaml`);
    await phone.getByLabel(/Neutral YAML of/).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(SCREENSHOTS, 'policies-phone.png') });
    await phone.close();
  }, 150_000);
});
