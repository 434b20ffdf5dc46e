import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../../../native-mesh/test/support/required-tool.js';
import { startAnymeshUp, type RunningUp } from '../support/anymesh-up.js';
import { CHROMIUM, launchChromium, type RunningBrowser } from '../support/chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../../test-results/screenshots/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/*
 * The wizard starts a canary of the bookstore's reviews v3 (ERROR_RATE 0.2, see
 * examples/bookstore/workloads.yaml) on a real `anymesh up`, with 3 s intervals; the live view shows
 * the rollout at its first step, each failed check, then the automatic rollback and its reason.
 */
describeWithTool(CHROMIUM, 'rollout wizard and live view in Chromium against anymesh up', () => {
  let up: RunningUp;
  let running: RunningBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    up = await startAnymeshUp().catch((error: unknown) => {
      if (!/EADDRINUSE/.test(String(error))) throw error;
      return startAnymeshUp();
    });
    running = await launchChromium();
    context = await running.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 200_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    const results = await Promise.allSettled([running?.close(), up?.stop()]);
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  }, 60_000);

  it('walks the wizard from the keyboard to a valid canary of reviews v3, with diagnostics on an invalid step', async () => {
    await page.goto(`${up.dashboardUrl}#/rollouts`);
    await page.getByText('No rollouts yet').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'New rollout' }).click();

    const reviews = page.getByRole('radio', { name: /^reviews/ });
    await reviews.focus();
    await page.keyboard.press('Space');
    expect(await reviews.isChecked()).toBe(true);
    await shot(page, 'rollout-wizard-1-service');
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');

    // Live instance counts from the registry.
    const to = page.getByLabel('To (new)');
    await to.locator('option', { hasText: 'v3 — 1 of 1 instances up' }).waitFor({ state: 'attached', timeout: 30_000 });
    await page.getByLabel('From (stable)').selectOption('v1');
    await to.selectOption('v3');
    await shot(page, 'rollout-wizard-2-versions');
    await page.getByRole('button', { name: 'Next' }).click();

    expect(await page.getByRole('radio', { name: /^Canary/ }).isChecked()).toBe(true);
    expect(await page.getByText('Send only a cohort (by header or cookie)').count()).toBe(1);
    await shot(page, 'rollout-wizard-3-strategy');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByRole('button', { name: 'Quick: 20 → 50' }).click();
    const second = page.getByLabel('Weight of step 2 (percent)');
    await second.fill('15');
    // The same finding `anymesh validate` gives, on the rung it is about.
    await page.locator('.field-diagnostics[data-field="steps[1]"]', { hasText: 'AM3015' }).waitFor({ timeout: 10_000 });
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'rollout-wizard-4-steps-invalid');
    await second.fill('50');
    await page.locator('.field-diagnostics').first().waitFor({ state: 'detached', timeout: 10_000 });
    await shot(page, 'rollout-wizard-4-steps');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Interval', { exact: true }).fill('3s');
    await page.getByLabel('Failed checks before rollback').fill('3');
    await page.getByLabel(/Requests needed per interval/).fill('5');
    // The stable version's current success rate beside the bound (the demo load reaches it within seconds).
    await page.locator('tr[data-metric="success-rate"] td.stable-now', { hasText: /%$/ }).waitFor({ timeout: 30_000 });
    await shot(page, 'rollout-wizard-5-analysis');
    await page.getByRole('button', { name: 'Next' }).click();

    const yaml = page.getByLabel('Neutral YAML of dashboard/reviews-v3.yaml');
    await yaml.waitFor({ timeout: 15_000 });
    // What is shown is the answer for the draft as it is now, never an earlier one's (a regression seen here).
    expect(await yaml.textContent()).toMatch(/kind: Rollout.*interval: 3s/s);
    await page.getByRole('tabpanel', { name: 'Istio configuration for the first stage' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Istio manifests for the first stage').textContent()).toContain('VirtualService');
    await page.getByRole('tab', { name: /Linkerd/ }).click();
    expect(await page.getByLabel('Linkerd manifests for the first stage').textContent()).toContain('HTTPRoute');
    await shot(page, 'rollout-wizard-6-review');
  }, 120_000);

  it('starts the rollout and shows the first step, the failed checks and then the automatic rollback with its reason', async () => {
    await page.getByRole('button', { name: 'Start rollout' }).click();
    const detail = page.getByRole('region', { name: 'Rollout reviews-v3' });
    await detail.waitFor({ timeout: 15_000 }).catch(async (e: unknown) => {
      await shot(page, 'debug-after-start');
      throw e;
    });
    expect(page.url()).toContain('#/rollouts?rollout=bookstore%2Freviews-v3');
    // The first step: in the history always; as the ladder's current rung while it is still on it
    // (under load the page may first show it after a check has already moved it on).
    const started = detail.locator('.event-history li[data-kind="started"]');
    await started.waitFor({ timeout: 15_000 });
    expect(await started.textContent()).toContain('step 1 · attempt 1');
    const current = detail.locator('ol.step-ladder li[aria-current="step"]');
    if ((await detail.locator('.badge.phase-progressing').count()) > 0 && (await current.count()) > 0) {
      expect(await current.textContent()).toMatch(/Step [12]: v3 (20|50)%/);
      await shot(page, 'rollout-live-progressing');
    }

    // One chart point per analysed interval; the first failed check shows on the chart and in the history.
    await detail
      .locator('.analysis-chart[data-metric="success-rate"] tr[data-verdict="fail"]')
      .first()
      .waitFor({ state: 'attached', timeout: 30_000 });
    await detail.locator('.event-history li[data-kind="check-failed"]').first().waitFor({ timeout: 15_000 });
    await shot(page, 'rollout-live-failing-check');

    // Threshold 3 at 3 s intervals: about 9 s, longer when intervals have no data (neither pass nor fail).
    await detail.locator('.badge.phase-rolled-back').waitFor({ timeout: 90_000 });
    const message = (await detail.locator('.rollout-message').textContent()) ?? '';
    expect(message).toMatch(/success-rate [\d.]+ ?% < 99/);
    expect(await detail.getByTestId('traffic-now').textContent()).toBe('v1 100% · v3 0%');
    // Where it stopped: an interval of a few requests can pass by chance (0.8^n), so the canary may have
    // advanced before failing; every step before the failed one is done, none after it.
    const rungs = await detail.locator('ol.step-ladder li').evaluateAll((items) => items.map((li) => li.getAttribute('data-state')));
    const at = rungs.indexOf('failed');
    expect(rungs.at(-1)).toBe('failed');
    expect(rungs.slice(0, at).every((state) => state === 'done')).toBe(true);
    expect(rungs.slice(at + 1, -1).every((state) => state === 'todo')).toBe(true);
    const rolledBack = detail.locator('.event-history li[data-kind="rolled-back"]');
    expect(await rolledBack.textContent()).toMatch(/success-rate/);
    expect(await detail.getByRole('button', { name: 'Retry' }).isEnabled()).toBe(true);
    expect(await detail.getByRole('button', { name: 'Abort' }).isDisabled()).toBe(true);
    await shot(page, 'rollout-live-rolled-back');

    await page.goto(`${up.dashboardUrl}#/rollouts`);
    const row = page.locator('tr[data-rollout="bookstore/reviews-v3"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('rolled back');
    await shot(page, 'rollout-list');
  }, 200_000);

  it('retries, pauses, resumes, aborts (after confirming) and promotes from the live view', async () => {
    await page.goto(`${up.dashboardUrl}#/rollouts?rollout=bookstore%2Freviews-v3`);
    const detail = page.getByRole('region', { name: 'Rollout reviews-v3' });
    const phase = (name: string) => detail.locator(`.badge.phase-${name}`).waitFor({ timeout: 10_000 });
    const click = async (name: string) => {
      const button = detail.getByRole('button', { name, exact: true });
      await expect.poll(() => button.isEnabled(), { timeout: 10_000 }).toBe(true);
      await button.click();
    };

    await click('Retry');
    await phase('progressing');
    expect(await detail.getByText(/ · attempt 2 · /).count()).toBe(1);
    await click('Abort');
    const confirm = page.getByRole('alertdialog', { name: 'Abort reviews-v3?' });
    await confirm.getByRole('button', { name: 'Abort rollout' }).click();
    await phase('aborted');
    expect(await detail.getByTestId('traffic-now').textContent()).toBe('v1 100% · v3 0%');

    await click('Retry');
    await phase('progressing');
    await click('Pause');
    await phase('paused');
    // The topology's service panel links to the running (here: paused) rollout.
    const topology = await context.newPage();
    await topology.goto(`${up.dashboardUrl}#/topology?service=reviews`);
    const panel = topology.getByRole('region', { name: 'Service reviews' });
    await panel.getByRole('link', { name: 'reviews-v3: v1 → v3' }).waitFor({ timeout: 30_000 });
    expect(await panel.locator('.service-rollout .badge').textContent()).toBe('paused');
    await shot(topology, 'rollout-service-panel-link');
    await topology.close();
    await click('Resume');
    await phase('progressing');
    await click('Promote');
    await phase('promoted');
    expect(await detail.getByTestId('traffic-now').textContent()).toBe('v1 0% · v3 100%');
    expect(await detail.locator('li.rung-done').count()).toBe(3);
    const kinds = await detail.locator('.event-history li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds.slice(0, 4)).toEqual(['promoted', 'resumed', 'paused', 'retried']);
    await shot(page, 'rollout-live-promoted-by-user');
  }, 120_000);

  it('opens the wizard review from a deep link and fits a 390 px phone screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${up.dashboardUrl}#/rollouts?new=1&page=review&service=bookstore%2Freviews&from=v1&to=v2&strategy=blueGreen`);
    const yaml = phone.getByLabel('Neutral YAML of dashboard/reviews-v2.yaml');
    await yaml.waitFor({ timeout: 20_000 });
    expect(await yaml.textContent()).toContain('blueGreen');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, 'rollout-wizard-review-phone');
    await phone.goto(`${up.dashboardUrl}#/rollouts?rollout=bookstore%2Freviews-v3`);
    await phone.locator('.badge.phase-promoted').waitFor({ timeout: 15_000 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, 'rollout-live-phone');
    await phone.close();
  }, 60_000);
});
