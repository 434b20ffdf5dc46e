/**
 * One measurement, in its own process: `node measure.js <services> <command>`, where command is
 * `validate` or a mesh name. Start-up (module loading, schema compilation, first JIT) is done on a
 * small model first and not counted; then the generated model is written to a temporary directory
 * and loaded (the path of `anymesh validate`), and for a mesh translated and written as YAML (the
 * path of `anymesh translate`). Prints one JSON line; the process's peak RSS is the command's.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPolicies } from '@anymesh/core';
import { adapterFor, manifestsToYaml, type Adapter } from '@anymesh/adapters';
import { generateModel } from './model.js';

export interface PhaseFigures {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** V8 heap in use when the phase ended. */
  readonly heapMB: number;
}

export interface Measurement {
  readonly services: number;
  readonly command: string;
  readonly objects: number;
  readonly validate: PhaseFigures;
  /** `adapter.translate`, for a mesh. */
  readonly translate?: PhaseFigures & { readonly manifests: number; readonly diagnostics: number };
  /** The manifests written as multi-document YAML (what `anymesh translate` prints). */
  readonly yaml?: PhaseFigures & { readonly bytes: number };
  /** Peak RSS of the whole process (start-up included), as `anymesh <command>` would have. */
  readonly peakRssMB: number;
}

const MB = 1024 * 1024;

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; figures: PhaseFigures }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const value = await run();
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  return { value, figures: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, heapMB: process.memoryUsage().heapUsed / MB } };
}

function writeModel(services: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'anymesh-bench-'));
  for (const f of generateModel({ services })) {
    mkdirSync(dirname(join(dir, f.file)), { recursive: true });
    writeFileSync(join(dir, f.file), f.text);
  }
  return dir;
}

async function run(services: number, adapter: Adapter | undefined, dir: string): Promise<Omit<Measurement, 'peakRssMB' | 'command'>> {
  const loaded = await timed(() => loadPolicies([dir]));
  if (!loaded.value.valid) throw new Error(`the generated model is invalid: ${loaded.value.diagnostics[0]?.message}`);
  const objects = loaded.value.set.objects.length;
  if (!adapter) return { services, objects, validate: loaded.figures };
  const translated = await timed(() => adapter.translate(loaded.value.set));
  const yaml = await timed(() => manifestsToYaml(translated.value.manifests).length);
  const { manifests, diagnostics } = translated.value;
  return {
    services,
    objects,
    validate: loaded.figures,
    translate: { ...translated.figures, manifests: manifests.length, diagnostics: diagnostics.length },
    yaml: { ...yaml.figures, bytes: yaml.value },
  };
}

async function main(): Promise<void> {
  const [servicesArg, command = 'validate'] = process.argv.slice(2);
  const services = Number(servicesArg);
  if (!Number.isInteger(services) || services < 1) throw new Error('usage: measure.js <services> <validate|istio|linkerd|consul>');
  const adapter = command === 'validate' ? undefined : adapterFor(command);
  if (command !== 'validate' && !adapter) throw new Error(`unknown mesh ${command}`);
  const warm = writeModel(20);
  const dir = writeModel(services);
  try {
    await run(20, adapter, warm);
    const figures = await run(services, adapter, dir);
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ ...figures, command, peakRssMB } satisfies Measurement)}\n`);
  } finally {
    rmSync(warm, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
