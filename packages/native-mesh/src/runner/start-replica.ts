import type { ReplicaPorts } from './launch.js';
import type { ManagedProcess } from './managed-process.js';

/** How many times one replica is started on fresh ports when a port it was given turns out to be taken. */
export const PORT_ATTEMPTS = 3;

/** A process of a replica and the URL that answers 2xx once it is ready. */
export interface ReadinessCheck {
  readonly process: ManagedProcess;
  readonly url: string;
  readonly id: string;
}

export interface ReplicaStart {
  /** Picks the replica's ports (free a moment ago). */
  readonly pickPorts: () => Promise<ReplicaPorts>;
  /** Starts the replica's processes on those ports. */
  readonly launch: (ports: ReplicaPorts) => readonly ReadinessCheck[];
  /** Resolves once the check passes; rejects (a RunnerError) when it cannot. */
  readonly waitReady: (check: ReadinessCheck) => Promise<void>;
  /** Called before a retry: `name` exited because a port was taken. */
  readonly onPortTaken: (name: string, attempt: number) => void;
  readonly stopGraceMs: number;
}

/**
 * Starts a replica and waits until it is ready. A port picked as free can be bound by someone else
 * (another `anymesh up` on the machine) before the child binds it; the child then exits with
 * EADDRINUSE. Rather than failing the whole start, the replica's processes are stopped and it is
 * started again on fresh ports, at most PORT_ATTEMPTS times in all. Any other failure is final.
 */
export async function startReplica(start: ReplicaStart): Promise<{ ports: ReplicaPorts; checks: readonly ReadinessCheck[] }> {
  for (let attempt = 1; ; attempt++) {
    const ports = await start.pickPorts();
    const checks = start.launch(ports);
    try {
      await Promise.all(checks.map((check) => start.waitReady(check)));
      return { ports, checks };
    } catch (error) {
      const taken = checks.find(({ process }) => !process.running && process.output().includes('EADDRINUSE'));
      if (!taken || attempt >= PORT_ATTEMPTS || (error as { code?: unknown }).code !== 'NOT_READY') throw error;
      await Promise.all(checks.map(({ process }) => process.stop(start.stopGraceMs)));
      start.onPortTaken(taken.process.spec.name, attempt);
    }
  }
}
