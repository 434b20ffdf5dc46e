/** Why `up` stops: a stop signal, or its own output was closed. */
export type StopReason = NodeJS.Signals | 'output closed';

/** Ctrl-C, `kill`, and the terminal closing. A second one ends `up` at once (the child guards still stop every child). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface UpSession {
  /** Resolves with the first stop signal, or when stdout or stderr was closed under `up`. */
  readonly stopped: Promise<StopReason>;
  /** A line on stderr; nothing once stderr is closed. */
  log(line: string): void;
  /** Text on stdout; nothing once stdout is closed. */
  print(text: string): void;
}

/**
 * How `up` learns it must stop, and output that cannot end it. A write to a pipe whose reader is
 * gone (`anymesh up | tee log`, Ctrl-C kills tee too) fails with EPIPE, to a hung-up terminal with
 * EIO; unhandled, that error would end `up` before it stopped its children. Here it is caught and
 * taken as a reason to stop, as SIGPIPE stops a classic Unix program, but through the clean stop.
 */
export function watchForStop(): UpSession {
  let stop: (reason: StopReason) => void = () => undefined;
  const stopped = new Promise<StopReason>((resolve) => (stop = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    stop(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);

  const closed = new Set<NodeJS.WriteStream>();
  const onClosed = (stream: NodeJS.WriteStream) => {
    closed.add(stream);
    stop('output closed');
  };
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => onClosed(stream));
  const write = (stream: NodeJS.WriteStream, text: string) => {
    if (closed.has(stream) || stream.destroyed) return;
    try {
      stream.write(text);
    } catch {
      onClosed(stream);
    }
  };
  return { stopped, log: (line) => write(process.stderr, `${line}\n`), print: (text) => write(process.stdout, text) };
}
