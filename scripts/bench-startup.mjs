// CLI start-up benchmark: `node -e 1` as the baseline, then `anymesh version`, `--help` and `validate` of one small
// file, each run N times (interleaved, so a change in machine load touches every row alike); the median wall time
// and its ratio to the baseline, as a markdown table. Runs the built CLI: `pnpm build` first.
// Usage: node scripts/bench-startup.mjs [runs]   (default 21)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages', 'cli', 'bin', 'anymesh.js');
const small = 'examples/bookstore/services.yaml';
const runs = Number(process.argv[2] ?? 21);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);
if (!existsSync(join(root, 'packages', 'cli', 'dist', 'main.js'))) {
  process.stderr.write('packages/cli/dist is missing: run pnpm build first\n');
  process.exit(1);
}

const cases = [
  { name: '`node -e 1` (baseline)', args: ['-e', '1'] },
  { name: '`anymesh version`', args: [bin, 'version'] },
  { name: '`anymesh --help`', args: [bin, '--help'] },
  { name: `\`anymesh validate ${small}\``, args: [bin, 'validate', small] },
];

function timeOnce(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const loadBefore = loadavg()[0];
for (const c of cases) timeOnce(c.args); // warm the file cache
const samples = cases.map(() => []);
for (let i = 0; i < runs; i++) cases.forEach((c, j) => samples[j].push(timeOnce(c.args)));
const medians = samples.map(median);

const rows = cases.map((c, j) => `| ${c.name} | ${medians[j].toFixed(0)} ms | ${(medians[j] / medians[0]).toFixed(1)}× |`);
process.stdout.write(
  [
    `| Command | Median of ${runs} | Ratio to baseline |`,
    '| --- | --- | --- |',
    ...rows,
    '',
    `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}); 1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after.`,
    '',
  ].join('\n'),
);
