// @vitest-environment jsdom
import type { Diagnostic } from '@anymesh/core';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnalysisChart } from '../web/rollouts/AnalysisChart.js';
import { allowed, RolloutControls } from '../web/rollouts/RolloutControls.js';
import { StepLadder } from '../web/rollouts/StepLadder.js';
import { CanarySteps } from '../web/rollouts/wizard/CanarySteps.js';
import { fieldOf, pageOf } from '../web/rollouts/wizard/wizard-model.js';
import { ServiceRollout } from '../web/topology/ServiceRollout.js';
import { FAILING_ANALYSIS, rolloutStatus } from './fixtures/rollouts.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const diagnostic = (path: string, message: string): Diagnostic => ({
  code: 'AM3015',
  severity: 'error',
  file: 'dashboard/reviews-v3.yaml',
  line: 14,
  col: 11,
  path,
  message,
});

describe('rollout live view', () => {
  it('draws one point per interval and shows an interval without data as such, never as zero', () => {
    render(<AnalysisChart title="Success rate" metric="success-rate" analysis={FAILING_ANALYSIS} from="v1" to="v3" bounds={{ min: 99 }} />);
    expect(screen.getByRole('img', { name: 'Success rate: 3 intervals, 1 without data' })).toBeTruthy();
    const svg = screen.getByRole('img');
    expect(svg.querySelectorAll('rect.no-data')).toHaveLength(1);
    expect(svg.querySelectorAll('circle.dot')).toHaveLength(2);
    // The old version has a value in every interval, so even a single interval is visible for it.
    expect(svg.querySelectorAll('circle.dot-from')).toHaveLength(3);
    expect(svg.querySelectorAll('circle.verdict-fail')).toHaveLength(2);
    // The new version's line breaks at the gap: two separate pieces, not a line through zero.
    expect(svg.querySelector('path.series-to')?.getAttribute('d')?.match(/M/g)).toHaveLength(2);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-verdict'))).toEqual(['fail', 'no-data', 'fail']);
    expect(rows[1]?.textContent).toContain('no data (0 requests)');
    expect(rows[0]?.textContent).toContain('75%');
    expect(screen.getByText(/bound 99%/)).toBeTruthy();
  });

  it('marks the current canary step and, after a rollback, the step it failed at', () => {
    const { rerender } = render(<StepLadder status={rolloutStatus()} ladder={[10, 25, 50]} />);
    const rungs = () => screen.getAllByRole('listitem').map((li) => `${li.getAttribute('data-state')} ${li.textContent?.slice(2)}`);
    expect(rungs()).toEqual(['done Step 1: v3 10%', 'current Step 2: v3 25%', 'todo Step 3: v3 50%', 'todo Promoted: v3 100%']);
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('25%');
    rerender(<StepLadder status={rolloutStatus({ phase: 'rolled-back', step: 0 })} ladder={[10, 25, 50]} />);
    expect(rungs()).toEqual(['failed Step 1: v3 10%', 'todo Step 2: v3 25%', 'todo Step 3: v3 50%', 'failed Rolled back: v1 100%']);
  });

  it('asks before aborting; Escape keeps the rollout running and sends nothing', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    render(<RolloutControls status={rolloutStatus()} onDone={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Resume' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Retry' }).hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Abort' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Abort reviews-v3?' });
    expect(dialog.textContent).toContain("All of reviews's traffic goes back to v1");
    expect(document.activeElement?.textContent).toBe('Keep it running');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('sends abort once it is confirmed', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response(JSON.stringify([{ result: { data: { done: true, status: rolloutStatus({ phase: 'aborted' }) } } }]), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    const onDone = vi.fn();
    render(<RolloutControls status={rolloutStatus()} onDone={onDone} />);
    fireEvent.click(screen.getByRole('button', { name: 'Abort' }));
    await act(async () => {
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Abort rollout' }));
      await new Promise((r) => setTimeout(r, 20));
    });
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(String(url)).toContain('rollouts.command');
    expect(String(init?.body)).toContain('"command":"abort"');
    expect(onDone).toHaveBeenCalled();
    expect(screen.getByText('Abort: done')).toBeTruthy();
  });
});

describe('rollout wizard', () => {
  it('puts each diagnostic on the field its path names, and on that field’s page', () => {
    expect(fieldOf('spec.strategy.canary.steps[2].weight')).toBe('steps[2]');
    expect(fieldOf('spec.strategy.canary')).toBe('steps');
    expect(fieldOf('spec.strategy.abTest.match[0].cookie.name')).toBe('cohort[0]');
    expect(fieldOf('spec.analysis.metrics[1].max')).toBe('metrics[1]');
    expect(fieldOf('spec.to')).toBe('to');
    expect(fieldOf('metadata.name')).toBe('name');
    expect(pageOf(diagnostic('spec.analysis.interval', 'x'))).toBe('analysis');
    expect(pageOf(diagnostic('spec.from', 'x'))).toBe('versions');
    expect(pageOf(diagnostic('', 'x'))).toBe('review');
  });

  it('shows a step’s diagnostic under that rung and marks only its input invalid', () => {
    const steps = [30, 20].map((weight) => ({ weight, pause: 'none' as const, duration: '' }));
    const d = diagnostic('spec.strategy.canary.steps[1]', 'canary steps must increase, but step 1 (20) is not above step 0 (30)');
    render(<CanarySteps steps={steps} to="v3" diagnostics={[d]} onChange={() => undefined} />);
    const second = screen.getByLabelText('Weight of step 2 (percent)');
    expect(second.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Weight of step 1 (percent)').getAttribute('aria-invalid')).toBeNull();
    const described = document.getElementById(second.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toContain('AM3015 canary steps must increase');
  });

  it('replaces the ladder with a preset and draws each rung as wide as its weight', () => {
    const onChange = vi.fn();
    render(<CanarySteps steps={[]} to="v3" diagnostics={[]} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Careful: 5 → 10 → 25 → 50 → 75' }));
    expect(onChange.mock.calls[0]?.[0].map((s: { weight: number }) => s.weight)).toEqual([5, 10, 25, 50, 75]);
    cleanup();
    render(<CanarySteps steps={onChange.mock.calls[0]?.[0]} to="v3" diagnostics={[]} onChange={onChange} />);
    const widths = [...document.querySelectorAll<HTMLElement>('.rung-bar span')].map((s) => s.style.width);
    expect(widths).toEqual(['5%', '10%', '25%', '50%', '75%']);
  });
});

describe('rollout commands', () => {
  it('offers abort after a blue/green switch only while the old version is kept ready', () => {
    const now = Date.UTC(2026, 0, 1, 12, 1, 0);
    const promoted = rolloutStatus({ strategy: 'blueGreen', phase: 'promoted', scaleDownAt: now + 10_000 });
    expect(allowed('abort', promoted, now)).toBe(true);
    expect(allowed('abort', promoted, now + 10_000)).toBe(false);
    expect(allowed('abort', rolloutStatus({ phase: 'promoted' }), now)).toBe(false);
    expect(allowed('pause', rolloutStatus({ phase: 'paused', pauseUntil: now + 5_000 }), now)).toBe(true);
    expect(allowed('pause', rolloutStatus({ phase: 'paused' }), now)).toBe(false);
    expect(allowed('retry', rolloutStatus({ phase: 'rolled-back' }), now)).toBe(true);
  });
});

describe('service panel rollout link', () => {
  const answer = (body: unknown, status = 200) =>
    vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response(JSON.stringify([body]), { status, headers: { 'content-type': 'application/json' } }));

  it('links to the running rollout of the service with its phase', async () => {
    answer({ result: { data: [rolloutStatus({ phase: 'paused' }), rolloutStatus({ name: 'catalog-v2', service: 'catalog' })] } });
    render(<ServiceRollout namespace="bookstore" service="reviews" />);
    const link = await screen.findByRole('link', { name: 'reviews-v3: v1 → v3' });
    expect(link.getAttribute('href')).toBe('#/rollouts?rollout=bookstore%2Freviews-v3');
    expect(screen.getByText('paused')).toBeTruthy();
  });

  it('offers the wizard when no rollout of the service is running', async () => {
    answer({ result: { data: [rolloutStatus({ phase: 'rolled-back' })] } });
    render(<ServiceRollout namespace="bookstore" service="reviews" />);
    const start = await screen.findByRole('link', { name: 'Start one' });
    expect(start.getAttribute('href')).toBe('#/rollouts?new=1&page=versions&service=bookstore%2Freviews');
  });

  it('claims nothing when the control plane cannot list rollouts', async () => {
    answer({ error: { message: 'cannot reach the control plane', code: -32603, data: { code: 'BAD_GATEWAY', httpStatus: 502 } } }, 502);
    render(<ServiceRollout namespace="bookstore" service="reviews" />);
    await screen.findByText(/Rollouts unknown: cannot reach the control plane/);
    expect(screen.queryByText(/No rollout of reviews is running/)).toBeNull();
  });
});
