/**
 * The runner starts every child through this guard: `node child-guard.js <command> [args…]`.
 *
 * Why: `anymesh up` must not leave an app behind however it ends, and when it is killed with
 * SIGKILL no code of its own runs. Linux has no parent-death signal a Node program can ask for
 * (and `prctl(PR_SET_PDEATHSIG)` would reach only the direct child, not what the app spawns), so
 * each child gets a guard that leads its process group and holds a lifeline to the runner: fd 3,
 * a socket pair whose other end only the runner has. When the runner's process ends — cleanly,
 * crashed, or SIGKILLed — the kernel closes its end and the guard reads EOF at once.
 *
 * The guard then stops the whole group: SIGTERM, SIGKILL after a short grace. The app runs in the
 * guard's group (the runner started the guard `detached`, as its leader), so the runner's group
 * signals reach the app directly and the guard only waits for it. When the app exits, the guard reports the exit status on
 * fd 3 and kills whatever the app left in the group, as Kubernetes does with a container's other
 * processes when its main process exits.
 *
 * Messages to the runner, one JSON object per line on fd 3: `{"started":<pid>}`,
 * `{"spawnError":"<message>"}`, `{"exited":{"code":<n|null>,"signal":<name|null>}}`.
 */
import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';

/** After the runner is gone: how long the group gets between SIGTERM and SIGKILL (sidecars drain in this time). */
const ORPHAN_GRACE_MS = 2_000;
const LIFELINE_FD = 3;
/** Signals the runner sends to the whole group: the app gets them too, so the guard only waits for it. */
const GROUP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

const [command, ...args] = process.argv.slice(2);
let runnerGone = false;

for (const signal of GROUP_SIGNALS) process.on(signal, () => undefined);

const lifeline = new Socket({ fd: LIFELINE_FD, readable: true, writable: false });
lifeline.on('data', () => undefined);
lifeline.on('end', onRunnerGone);
lifeline.on('error', onRunnerGone);

if (command === undefined) {
  report({ spawnError: 'child-guard: no command given' });
  process.exit(127);
}

const app = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
app.once('spawn', () => report({ started: app.pid }));
app.once('error', (error) => {
  // Only a failed spawn lands here before 'exit' (the app never ran).
  if (app.pid !== undefined) return;
  process.stderr.write(`anymesh: cannot start ${command}: ${error.message}\n`);
  report({ spawnError: error.message });
  process.exit(127);
});
app.once('exit', (code, signal) => {
  report({ exited: { code, signal } });
  // The app is gone: nothing it left in the group outlives it (this ends the guard too).
  killGroup('SIGKILL');
});

function onRunnerGone(): void {
  if (runnerGone) return;
  runnerGone = true;
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), ORPHAN_GRACE_MS);
}

function killGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // Not a group leader (started by hand): the app alone.
    if (app.pid !== undefined) app.kill(signal);
    if (signal === 'SIGKILL') process.exit(137);
  }
}

function report(message: object): void {
  if (runnerGone) return;
  try {
    writeSync(LIFELINE_FD, `${JSON.stringify(message)}\n`);
  } catch {
    // The runner is gone; the lifeline's EOF handles that.
  }
}
