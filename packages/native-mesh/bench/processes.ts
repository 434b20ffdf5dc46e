// Child processes of the benchmark and what /proc says about them (Linux; NaN elsewhere).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

export const children: ChildProcess[] = [];

/**
 * Starts a bench script (compiled beside this file) in its own Node process and resolves with the
 * first line it prints (its ports). `nodeFlags` e.g. --cpu-prof.
 */
export function startScript(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...nodeFlags, join(here, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Starts any program (nginx) and tracks it for cleanup. */
export function startProgram(command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** CPU time (user + system, ms) a process has used. */
export function cpuMs(child: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Peak resident set size (VmHWM) of a process in MB. */
export function peakRssMb(child: ChildProcess): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** SIGTERM to every child; SIGKILL to those still running after `graceMs` (a CPU profile takes a moment to write). */
export async function stopAll(graceMs = 5_000): Promise<void> {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  const exited = running.map((c) => new Promise((resolve) => c.once('exit', resolve)));
  for (const child of running) child.kill('SIGTERM');
  const timer = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), graceMs);
  await Promise.all(exited);
  clearTimeout(timer);
}
