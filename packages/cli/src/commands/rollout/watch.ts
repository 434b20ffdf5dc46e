import { setTimeout as sleep } from 'node:timers/promises';
import type { RolloutEvent } from '@anymesh/core';
import { untilStopSignal } from '../../control-plane-access.js';
import { RolloutApiError, type RolloutClient } from './client.js';
import { EXIT, exitCodeOfPhase } from './exit-codes.js';
import { eventLine, FINAL_PHASES, statusText } from './format.js';
import { formatName, type RolloutName } from './names.js';

export interface WatchOptions {
  readonly format: 'text' | 'json';
  /** How often the control plane is asked for new events. */
  readonly pollMs: number;
  /**
   * `start -w`: also print the events since the rollout was (re)started, so that an interval that ended before
   * the first poll is shown too. `status -w` prints only what happens after it starts (its status shows the rest).
   */
  readonly fromStart?: boolean;
}

/**
 * `status -w`: prints the rollout's status, then one line per new event (`events?after=`), until the rollout is
 * in a final phase (exit 0 promoted, 1 rolled back or aborted), is removed (1), or Ctrl-C (130). The control
 * plane going away for a while (a restart) is said once and waited out: the rollout resumes where it was.
 * `-o json`: the status, then one event a line.
 */
export async function watchRollout(client: RolloutClient, name: RolloutName, options: WatchOptions): Promise<number> {
  const status = await client.get(name);
  const history = [...(await client.events(name)).events].sort((a, b) => a.seq - b.seq);
  const print = (event: RolloutEvent) =>
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(event)}\n` : `${eventLine(event, status)}\n`);
  process.stdout.write(options.format === 'json' ? `${JSON.stringify(status)}\n` : statusText(status));
  if (options.fromStart) sinceLastStart(history).forEach(print);
  const latest = history.at(-1);
  let after = latest?.seq ?? 0;
  // The latest event too: the rollout may have ended between the two reads.
  const phase = FINAL_PHASES.has(status.phase) ? status.phase : latest?.phase;
  if (phase !== undefined && FINAL_PHASES.has(phase)) return exitCodeOfPhase(phase);

  const stop = new AbortController();
  void untilStopSignal().then(() => stop.abort());
  let lost = false;
  while (!stop.signal.aborted) {
    await sleep(options.pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
    if (stop.signal.aborted) break;
    let events: readonly RolloutEvent[];
    try {
      events = (await client.events(name, after)).events;
    } catch (error) {
      if (!(error instanceof RolloutApiError) || error.kind !== 'unreachable') throw error;
      if (!lost) process.stderr.write(`anymesh: ${error.message}; still watching ${formatName(name)}, Ctrl-C to stop\n`);
      lost = true;
      continue;
    }
    if (lost) process.stderr.write(`anymesh: the control plane at ${client.url} answers again\n`);
    lost = false;
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= after) continue;
      after = event.seq;
      print(event);
      if (FINAL_PHASES.has(event.phase)) return exitCodeOfPhase(event.phase);
    }
  }
  process.stderr.write(`stopped watching ${formatName(name)}; the rollout goes on\n`);
  return EXIT.interrupted;
}

/** The events from the latest `started` on (the current run of the rollout), oldest first. */
function sinceLastStart(history: readonly RolloutEvent[]): readonly RolloutEvent[] {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.kind === 'started') return history.slice(i);
  return [];
}
