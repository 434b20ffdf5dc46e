// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecentErrorsView } from '../src/server/api-types.js';
import { LiveRequests } from '../web/topology/LiveRequests.js';
import { RecentErrors } from '../web/topology/RecentErrors.js';
import type { TapEventView } from '../web/topology/tap-rows.js';

// The panels' only dependency is the typed API client; these tests answer for the server.
const { tapQuery, recentErrorsQuery } = vi.hoisted(() => ({ tapQuery: vi.fn(), recentErrorsQuery: vi.fn() }));
vi.mock('../web/app/api.js', () => ({ api: { tap: { query: tapQuery }, recentErrors: { query: recentErrorsQuery } } }));

function request(seq: number, overrides: Partial<Extract<TapEventView, { type: 'request' }>> = {}): TapEventView {
  return {
    type: 'request',
    seq,
    time: '2026-11-26T12:00:00.000Z',
    sidecar: 'reviews-v3-0',
    direction: 'inbound',
    source: 'frontend',
    source_version: 'v1',
    destination: 'reviews',
    destination_version: 'v3',
    method: 'GET',
    path: `/reviews/${seq}`,
    code: 200,
    reason: null,
    duration_ms: 12,
    attempts: 1,
    retries: 0,
    upstream: 'reviews-v3-0',
    route_rule: null,
    trace_id: null,
    mtls: false,
    identity: null,
    access: null,
    access_rule: null,
    audit: null,
    ...overrides,
  };
}

/** Lets the mocked answers resolve and React render them. */
const settle = () => act(async () => void (await Promise.resolve()));

beforeEach(() => {
  vi.useFakeTimers();
  tapQuery.mockReset();
  recentErrorsQuery.mockReset();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('live requests section', () => {
  it('shows the requests the server has tapped, newest first, and polls every second for more', async () => {
    tapQuery.mockResolvedValueOnce({
      instances: ['reviews-v3-0'],
      events: [request(1), request(2, { code: 500 })],
      next: 2,
      problem: undefined,
    });
    tapQuery.mockResolvedValue({ instances: ['reviews-v3-0'], events: [request(3)], next: 3, problem: undefined });
    render(<LiveRequests namespace="bookstore" service="reviews" versions={['v1', 'v3']} />);
    await settle();
    const table = screen.getByRole('table', { name: 'Live requests of reviews' });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.getAttribute('data-code')),
    ).toEqual(['500', '200']);
    await act(async () => void vi.advanceTimersByTime(1_000));
    await settle();
    expect(tapQuery).toHaveBeenLastCalledWith({ namespace: 'bookstore', service: 'reviews', after: 2 });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.getByText(/Streaming: 3 requests shown .* from reviews-v3-0/)).toBeTruthy();
  });

  it('stops polling while paused and goes on from where it was on resume', async () => {
    tapQuery.mockResolvedValue({ instances: ['reviews-v3-0'], events: [], next: 5, problem: undefined });
    render(<LiveRequests namespace="bookstore" service="reviews" versions={['v3']} />);
    await settle();
    const pause = screen.getByRole('button', { name: 'Pause' });
    fireEvent.click(pause);
    expect(pause.getAttribute('aria-pressed')).toBe('true');
    const calls = tapQuery.mock.calls.length;
    await act(async () => void vi.advanceTimersByTime(5_000));
    expect(tapQuery.mock.calls.length).toBe(calls);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await settle();
    expect(tapQuery).toHaveBeenLastCalledWith({ namespace: 'bookstore', service: 'reviews', after: 5 });
  });

  it('asks the server for one version and a path prefix, from a fresh list', async () => {
    tapQuery.mockResolvedValue({ instances: ['reviews-v3-0'], events: [], next: 0, problem: undefined });
    render(<LiveRequests namespace="bookstore" service="reviews" versions={['v1', 'v3']} />);
    await settle();
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: 'v3' } });
    fireEvent.change(screen.getByLabelText('Path prefix'), { target: { value: 'reviews' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await settle();
    expect(tapQuery).toHaveBeenLastCalledWith({ namespace: 'bookstore', service: 'reviews', version: 'v3', path: '/reviews' });
  });

  it("in an edge panel, lists only the target's inbound requests from that caller", async () => {
    const fromCatalog = request(2, { source: 'catalog' });
    const outboundCall = request(3, { direction: 'outbound', destination: 'ratings' });
    tapQuery.mockResolvedValue({
      instances: ['reviews-v3-0'],
      events: [request(1), fromCatalog, outboundCall],
      next: 3,
      problem: undefined,
    });
    render(<LiveRequests namespace="bookstore" service="reviews" versions={['v3']} from="frontend" />);
    await settle();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('frontend v1 → reviews v3')]);
  });

  it('says why nothing comes', async () => {
    tapQuery.mockResolvedValue({ instances: [], events: [], next: 0, problem: 'no running instance of bookstore/reviews' });
    render(<LiveRequests namespace="bookstore" service="reviews" versions={[]} />);
    await settle();
    expect(screen.getByText('no running instance of bookstore/reviews')).toBeTruthy();
  });
});

describe('recent errors section', () => {
  const tapped: RecentErrorsView = {
    feed: { mode: 'tap', tapping: 12, sidecars: 12, since: '2026-11-26T11:00:00.000Z', dropped: 0 },
    rows: [
      {
        seq: 9,
        time: '2026-11-26T12:00:00.000Z',
        direction: 'inbound',
        source: 'frontend',
        sourceVersion: 'v1',
        destination: 'reviews',
        destinationVersion: 'v3',
        method: 'GET',
        path: '/reviews/1',
        code: 500,
        reason: null,
        durationMs: 300,
        retries: 0,
        sidecar: 'reviews-v3-0',
      },
    ],
  };

  it('lists failed requests with code, version and path, and says they come from the tap', async () => {
    recentErrorsQuery.mockResolvedValue(tapped);
    render(<RecentErrors service="bookstore/reviews" fromMetrics={[]} windowSeconds={10} />);
    await settle();
    const region = screen.getByRole('region', { name: 'Recent errors' });
    expect(within(region).getByText(/From the sidecars' live request streams since .* \(12 of 12 sidecars streaming\)/)).toBeTruthy();
    const row = within(region).getAllByRole('row')[1];
    expect(row?.textContent).toMatch(/500.*GET \/reviews\/1.*frontend v1 → reviews v3/);
    expect(recentErrorsQuery).toHaveBeenCalledWith({ service: 'bookstore/reviews', limit: 50 });
  });

  it('falls back to the error rates of the metrics without a native mesh, and says so', async () => {
    recentErrorsQuery.mockResolvedValue({
      feed: { mode: 'metrics', tapping: 0, sidecars: 0, dropped: 0, problem: 'run anymesh up' },
      rows: [],
    });
    render(
      <RecentErrors service="bookstore/reviews" source="bookstore/frontend" fromMetrics={[{ code: '503', rps: 0.5 }]} windowSeconds={10} />,
    );
    await settle();
    expect(screen.getByText(/From the sidecars' metrics: error responses per second by code over the last 10 s/)).toBeTruthy();
    expect(screen.getByText(/HTTP 503: 0.5 req\/s/)).toBeTruthy();
    expect(recentErrorsQuery).toHaveBeenCalledWith({ service: 'bookstore/reviews', source: 'bookstore/frontend', limit: 50 });
  });
});
