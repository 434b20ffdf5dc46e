/** Short, fixed-width-friendly figures for edge labels and tables. */
export function formatRps(rps: number): string {
  if (rps === 0) return '0 req/s';
  if (rps < 0.1) return '<0.1 req/s';
  return `${rps < 10 ? rps.toFixed(1) : Math.round(rps)} req/s`;
}

export function formatPercent(p: number | undefined): string {
  if (p === undefined) return '–';
  return Number.isInteger(p) || p >= 99.95 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
