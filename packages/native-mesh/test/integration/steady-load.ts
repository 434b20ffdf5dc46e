import { Agent, request } from 'node:http';

export interface Sample {
  readonly sentAt: number;
  readonly doneAt: number;
  /** 0 when no answer came (connection error). */
  readonly status: number;
  /** The version of the service that answered (from the demo app's JSON), if any. */
  readonly version: string | undefined;
  /** The instance that answered (the demo app's `instance`), if any. */
  readonly instance: string | undefined;
}

/** An open-loop load at a fixed rate, recording every answer; for measuring what a change does to traffic. */
export class SteadyLoad {
  readonly samples: Sample[] = [];
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 32 });
  readonly #timer: NodeJS.Timeout;
  #inFlight = 0;

  constructor(url: string, host: string, ratePerSecond: number, headers: Readonly<Record<string, string>> = {}) {
    this.#timer = setInterval(() => this.#send(url, { ...headers, host }), 1_000 / ratePerSecond);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    while (this.#inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    this.#agent.destroy();
  }

  /** Waits until `count` samples match (a busy machine slows the load itself, so tests wait for samples, not for time). */
  async waitForSamples(count: number, matching: (s: Sample) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.samples.filter(matching).length < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.samples.filter(matching).length} of ${count} samples within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  failures(): Sample[] {
    return this.samples.filter((s) => s.status !== 200);
  }

  #send(url: string, headers: Readonly<Record<string, string>>): void {
    const sentAt = Date.now();
    this.#inFlight += 1;
    const done = (status: number, version: string | undefined, instance?: string) => {
      this.#inFlight -= 1;
      this.samples.push({ sentAt, doneAt: Date.now(), status, version, instance });
    };
    const req = request(url, { headers, agent: this.#agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let who: { version?: string; instance?: string } = {};
        try {
          who = JSON.parse(Buffer.concat(chunks).toString()) as typeof who;
        } catch {
          who = {};
        }
        done(res.statusCode ?? 0, who.version, who.instance);
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0, undefined));
    req.end();
  }
}
