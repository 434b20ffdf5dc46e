// One interval's analysis with the sidecar metrics provider against 50 sidecar metric endpoints:
// control-plane CPU (process.cpuUsage) for the window's start and its finish, per interval.
// Run: pnpm bench:analysis (builds, then node packages/native-mesh/bench/dist/analysis.bench.js [sidecars] [intervals]).
import { cpus, loadavg } from 'node:os';
import { SidecarMetricsProvider, type InstanceInfo } from '@anymesh/native-mesh';
import { startScript, stopAll } from './processes.js';

const SIDECARS = Number(process.argv[2] ?? 50);
const INTERVALS = Number(process.argv[3] ?? 30);
const TARGET = { namespace: 'bookstore', service: 'reviews', version: 'v3' };

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

try {
  const { line } = await startScript('analysis-sidecars.js', [String(SIDECARS)]);
  const ports = JSON.parse(line) as number[];
  const instances: InstanceInfo[] = ports.map((port, i) => ({
    id: `sidecar-${i}`,
    namespace: 'bookstore',
    service: `svc-${i}`,
    version: 'v1',
    host: '127.0.0.1',
    inboundPort: 1,
    servicePort: 9080,
    adminPort: port,
    locality: undefined,
    identity: `spiffe://cluster.local/ns/bookstore/sa/svc-${i}`,
  }));
  const pageBytes = (await (await fetch(`http://127.0.0.1:${ports[0]}/metrics`)).text()).length;
  const askedBytes = (
    await (
      await fetch(
        `http://127.0.0.1:${ports[0]}/metrics?name=anymesh_upstream_attempts_total&name=anymesh_upstream_attempt_duration_seconds`,
      )
    ).text()
  ).length;
  const provider = new SidecarMetricsProvider(() => instances);
  const starts: number[] = [];
  const finishes: number[] = [];
  const totals: number[] = [];
  let requests = 0;
  for (let i = -3; i < INTERVALS; i++) {
    let cpu = process.cpuUsage();
    const window = await provider.startWindow(TARGET);
    const startMs = cpuMsSince(cpu);
    await new Promise((r) => setTimeout(r, 50));
    cpu = process.cpuUsage();
    const sample = await window.finish();
    const finishMs = cpuMsSince(cpu);
    if (sample.missing.length > 0) throw new Error(`missing: ${JSON.stringify(sample.missing)}`);
    if (i < 0) continue; // warm-up (JIT)
    requests = sample.requests;
    starts.push(startMs);
    finishes.push(finishMs);
    totals.push(startMs + finishMs);
  }
  const row = (name: string, v: number[]) =>
    `| ${name} | ${quantile(v, 0.5).toFixed(1)} ms | ${quantile(v, 0.9).toFixed(1)} ms | ${Math.max(...v).toFixed(1)} ms |`;
  console.log(
    `${SIDECARS} sidecars (admin pages of ${(pageBytes / 1024).toFixed(0)} KiB, ${(askedBytes / 1024).toFixed(0)} KiB of the families a window asks for), ${INTERVALS} intervals; last window: ${requests} requests of ${TARGET.service} ${TARGET.version}`,
  );
  console.log('');
  console.log('| control-plane CPU per interval | median | p90 | max |');
  console.log('| --- | --- | --- | --- |');
  console.log(row("startWindow (scrape all, keep the target's series)", starts));
  console.log(row('finish (scrape all, deltas, quantiles)', finishes));
  console.log(row('one interval (both)', totals));
  console.log('');
  console.log(
    `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} at the end; node ${process.version}`,
  );
} finally {
  await stopAll();
}
