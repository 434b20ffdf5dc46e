// Markdown tables of a benchmark run.
import type { LoadResult } from './load.js';

export interface PhaseResult extends LoadResult {
  /** CPU time of the setup's proxy processes (not the app, not the load generator) per request. */
  readonly proxyCpuUsPerRequest: number;
  /** The largest peak RSS (VmHWM) among the setup's proxy processes, MB. */
  readonly proxyPeakRssMb: number;
}

export interface SetupResult {
  readonly name: string;
  /** Rows are compared with the reference pair of the same kind (plaintext or mTLS). */
  readonly kind: 'plaintext' | 'mTLS';
  readonly isReferencePair: boolean;
  readonly isDirect: boolean;
  readonly rate: PhaseResult;
  readonly saturation: PhaseResult;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const int = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '–');
const mb = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const ratio = (a: number, b: number | undefined) => (b !== undefined && Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(2)}x` : '–');

export function markdownReport(results: readonly SetupResult[], rate: number): string {
  const direct = results.find((r) => r.isDirect);
  const reference = (kind: SetupResult['kind']) => results.find((r) => r.isReferencePair && r.kind === kind);
  const lines: string[] = [];
  lines.push(`**Fixed rate, ${rate} req/s (open loop; latency counted from when each request was due):**`, '');
  lines.push(
    '| setup | req/s | p50 ms | p99 ms | p99.9 ms | p99 added vs direct, ms | proxy CPU µs/req | peak RSS per proxy, MB | errors |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const added = direct && !r.isDirect ? ms(r.rate.p99Ms - direct.rate.p99Ms) : '–';
    lines.push(
      `| ${r.name} | ${int(r.rate.rps)} | ${ms(r.rate.p50Ms)} | ${ms(r.rate.p99Ms)} | ${ms(r.rate.p999Ms)} | ${added} | ${int(r.rate.proxyCpuUsPerRequest)} | ${mb(r.rate.proxyPeakRssMb)} | ${r.rate.errors} |`,
    );
  }
  lines.push('', '**Saturation (closed loop):**', '');
  lines.push(
    '| setup | req/s | vs direct | vs nginx pair (same kind) | p50 ms | p99 ms | p99.9 ms | proxy CPU µs/req | peak RSS per proxy, MB | errors |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const s = r.saturation;
    lines.push(
      `| ${r.name} | ${int(s.rps)} | ${ratio(s.rps, direct?.saturation.rps)} | ${ratio(s.rps, reference(r.kind)?.saturation.rps)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ms(s.p999Ms)} | ${int(s.proxyCpuUsPerRequest)} | ${mb(s.proxyPeakRssMb)} | ${s.errors} |`,
    );
  }
  return lines.join('\n');
}
