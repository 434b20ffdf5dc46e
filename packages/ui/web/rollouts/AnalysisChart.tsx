import type { AnalysisPoint, MetricName } from '@anymesh/core';
import { formatMs, formatPercent } from '../primitives/format.js';
import { chartPoints, yRange, type ChartPoint } from './chart-points.js';
import { formatTime } from './rollout-format.js';

const W = 560;
const H = 180;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };

export interface ChartProps {
  readonly title: string;
  readonly metric: MetricName;
  readonly analysis: readonly AnalysisPoint[];
  readonly from: string;
  readonly to: string;
  readonly bounds: { readonly min?: number | undefined; readonly max?: number | undefined };
}

const formatOf = (metric: MetricName) =>
  metric === 'success-rate'
    ? formatPercent
    : metric === 'request-rate'
      ? (v?: number) => (v === undefined ? '–' : `${v.toFixed(1)}/s`)
      : formatMs;

function path(points: readonly ChartPoint[], key: 'from' | 'to', x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    const v = p[key];
    if (v === undefined) {
      pen = false; // a gap: no line through an interval without data
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.index).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/**
 * Old against new version, one point per analysis interval, with the bound as a dashed line.
 * Intervals without data are grey columns (and rows saying so in the table), never a zero.
 */
export function AnalysisChart({ title, metric, analysis, from, to, bounds }: ChartProps) {
  const points = chartPoints(analysis, metric);
  const bound = [bounds.min, bounds.max].filter((b): b is number => b !== undefined);
  const [lo, hi] = yRange(points, bound, metric === 'success-rate');
  const span = Math.max(points.length - 1, 1);
  const x = (i: number) => PAD.left + ((W - PAD.left - PAD.right) * i) / span;
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - lo) / (hi - lo || 1));
  const fmt = formatOf(metric);
  const noData = points.filter((p) => p.verdict === 'no-data').length;
  const colWidth = (W - PAD.left - PAD.right) / Math.max(points.length, 2);
  return (
    <figure className="analysis-chart" data-metric={metric}>
      <figcaption>
        {title} <span className="legend-from">— {from} (old)</span> <span className="legend-to">— {to} (new)</span>{' '}
        {bound.length > 0 && <span className="legend-bound">- - bound {bound.map((b) => fmt(b)).join(' / ')}</span>}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${points.length} intervals, ${noData} without data`}
        preserveAspectRatio="none"
      >
        {points
          .filter((p) => p.verdict === 'no-data')
          .map((p) => (
            <rect
              key={p.index}
              className="no-data"
              x={x(p.index) - colWidth / 2}
              y={PAD.top}
              width={colWidth}
              height={H - PAD.top - PAD.bottom}
            >
              <title>
                no data: {p.toRequests} requests reached {to}
              </title>
            </rect>
          ))}
        <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
        <text className="tick" x={PAD.left - 4} y={y(hi) + 4} textAnchor="end">
          {fmt(hi)}
        </text>
        <text className="tick" x={PAD.left - 4} y={y(lo)} textAnchor="end">
          {fmt(lo)}
        </text>
        {bound.map((b) => (
          <line key={b} className="bound" x1={PAD.left} x2={W - PAD.right} y1={y(b)} y2={y(b)} />
        ))}
        <path className="series-from" d={path(points, 'from', x, y)} />
        <path className="series-to" d={path(points, 'to', x, y)} />
        {points.map((p) =>
          p.from === undefined ? null : <circle key={`f${p.index}`} className="dot-from" cx={x(p.index)} cy={y(p.from)} r={2.5} />,
        )}
        {points.map((p) =>
          p.to === undefined ? null : <circle key={p.index} className={`dot verdict-${p.verdict}`} cx={x(p.index)} cy={y(p.to)} r={3} />,
        )}
      </svg>
      <details>
        <summary>Values per interval</summary>
        <div className="table-scroll">
          <table className="chart-values">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Step</th>
                <th scope="col">{from}</th>
                <th scope="col">{to}</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.index} data-verdict={p.verdict}>
                  <td>{formatTime(p.at)}</td>
                  <td>{p.step + 1}</td>
                  <td>{fmt(p.from)}</td>
                  <td>{p.verdict === 'no-data' ? `no data (${p.toRequests} requests)` : fmt(p.to)}</td>
                  <td>{p.verdict}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
