/**
 * `pnpm bench:translate`: validate and translate (istio, linkerd, consul) the generated model of
 * issue 9 at 1k, 10k and 30k services, print a table, and fail when cost grows faster than the
 * input: a 10× step may cost at most 12× CPU time (a 3× step 3.6×). Each (size, command) runs in
 * its own process (measure.ts): peak RSS is per process and only grows, so one process per size
 * and command gives each its own peak, as the CLI would see it, and no run inherits another's heap.
 * CPU time (user + system, process.cpuUsage) is the figure checked: on a shared machine it is far
 * less disturbed by other work than wall time.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './measure.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,30000').split(',').map(Number);
const COMMANDS = (process.env.BENCH_COMMANDS ?? 'validate,istio,linkerd,consul').split(',');
/** Allowed cost growth per unit of input growth: 12× for 10× the input. */
const SLACK = 1.2;

const measureJs = fileURLToPath(new URL('./measure.js', import.meta.url));

function measure(services: number, command: string): Measurement {
  const out = execFileSync(process.execPath, [measureJs, String(services), command], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measurement;
}

/** The checked cost of a command: validate's CPU, or a mesh's translation plus YAML. */
function costOf(m: Measurement): number {
  return m.translate && m.yaml ? m.translate.cpuMs + m.yaml.cpuMs : m.validate.cpuMs;
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

function main(): number {
  const load = () => loadavg().map(f2).join(' ');
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const loadBefore = load();
  const results = new Map<string, Measurement[]>();
  for (const command of COMMANDS) {
    const runs: Measurement[] = [];
    for (const services of SIZES) {
      process.stderr.write(`${command} ${services} services…\n`);
      runs.push(measure(services, command));
    }
    results.set(command, runs);
  }
  const rows: string[] = [
    '| command | services | objects | validate wall / CPU ms | translate wall / CPU ms | YAML wall / CPU ms | checked CPU ms | × previous size (input ×) | peak RSS MB | heap MB at end |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const failures: string[] = [];
  for (const [command, runs] of results) {
    runs.forEach((m, i) => {
      const prev = runs[i - 1];
      const growth = prev ? costOf(m) / costOf(prev) : undefined;
      const inputGrowth = prev ? m.services / prev.services : undefined;
      if (growth !== undefined && inputGrowth !== undefined && growth > inputGrowth * SLACK) {
        failures.push(
          `${command}: ${prev!.services} → ${m.services} services (${inputGrowth}×) cost ${f2(growth)}× CPU, above ${f2(inputGrowth * SLACK)}×`,
        );
      }
      const phase = (p: { wallMs: number; cpuMs: number } | undefined) => (p ? `${f0(p.wallMs)} / ${f0(p.cpuMs)}` : '–');
      const heap = m.yaml?.heapMB ?? m.validate.heapMB;
      rows.push(
        `| ${command} | ${m.services} | ${m.objects} | ${phase(m.validate)} | ${phase(m.translate)} | ${phase(m.yaml)} | ${f0(costOf(m))} | ${growth === undefined ? '–' : `${f2(growth)}× (${inputGrowth}×)`} | ${f0(m.peakRssMB)} | ${f0(heap)} |`,
      );
    });
  }
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const summary = [
    `Measured ${started} UTC on ${cpus().length} CPUs (${cpu}), Node ${process.version}; load average (1, 5, 15 min) ${loadBefore} at the start, ${load()} at the end.`,
    '',
    ...rows,
    '',
    failures.length === 0
      ? 'Linear: every step within 1.2× of the input growth.'
      : `NOT linear:\n${failures.map((f) => `- ${f}`).join('\n')}`,
  ].join('\n');
  process.stdout.write(`${summary}\n`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-translate.md', `${summary}\n`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = main();
