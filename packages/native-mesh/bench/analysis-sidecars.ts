// The benchmark's sidecars, in their own process so their CPU is not the control plane's:
// argv[2] = how many. Real sidecars (their admin listeners serve /metrics), without config or
// traffic of their own: their registries get a bookstore-like mix of recorded requests, and a new
// round every 20 ms, so counters move between the two ends of a window. Prints the admin ports as JSON.
import { ProxyMetrics, startSidecar, type InstanceInfo, type ProxySidecar } from '@anymesh/native-mesh';

const SERVICES: Record<string, string[]> = {
  frontend: ['v1'],
  catalog: ['v1', 'v2'],
  reviews: ['v1', 'v2', 'v3'],
  ratings: ['v1'],
  inventory: ['v1', 'v2'],
  checkout: ['v1'],
  payments: ['v1'],
  shipping: ['v1', 'v2'],
};
const NAMES = Object.keys(SERVICES);
const CODES = [200, 200, 200, 200, 404, 503];

function traffic(metrics: ProxyMetrics, self: string, index: number, rounds: number): void {
  const selfVersion = SERVICES[self]![0]!;
  for (let r = 0; r < rounds; r++) {
    // Each sidecar calls four services, every version, several codes and durations.
    for (let k = 1; k <= 4; k++) {
      const dst = NAMES[(index + k) % NAMES.length]!;
      for (const version of SERVICES[dst]!) {
        const code = CODES[(r + k) % CODES.length]!;
        const seconds = 0.001 * (1 + ((r * 7 + k) % 400));
        metrics.request('outbound', self, selfVersion, dst, version, code, seconds);
        metrics.attempt('bookstore', dst, version, code, seconds);
        if (code === 503) metrics.attempt('bookstore', dst, version, 'connect-failure', 0.0004);
        if (code === 503) metrics.retry(dst, version);
      }
    }
    // And is called by three.
    for (let k = 1; k <= 3; k++) {
      const src = NAMES[(index + NAMES.length - k) % NAMES.length]!;
      metrics.request('inbound', src, SERVICES[src]![0]!, self, selfVersion, CODES[(r + k) % CODES.length]!, 0.002 * (1 + (r % 50)), true);
    }
  }
}

const count = Number(process.argv[2] ?? 50);
const sidecars: ProxySidecar[] = [];
for (let i = 0; i < count; i++) {
  const self = NAMES[i % NAMES.length]!;
  const instance: InstanceInfo = {
    id: `${self}-${i}`,
    namespace: 'bookstore',
    service: self,
    version: SERVICES[self]![0],
    host: '127.0.0.1',
    inboundPort: 0,
    servicePort: 9080,
    adminPort: 0,
    locality: undefined,
    identity: `spiffe://cluster.local/ns/bookstore/sa/${self}`,
  };
  const sidecar = await startSidecar({
    instance,
    appPort: 1,
    outboundPort: 0,
    config: { subscribe: () => undefined, close: async () => undefined },
  });
  traffic(sidecar.metrics, self, i, 200);
  sidecars.push(sidecar);
}
let round = 0;
setInterval(() => {
  round++;
  sidecars.forEach((s, i) => traffic(s.metrics, NAMES[i % NAMES.length]!, i, 1 + (round % 3)));
}, 20);
process.stdout.write(`${JSON.stringify(sidecars.map((s) => s.adminPort))}\n`);
process.on('SIGTERM', () => {
  void Promise.all(sidecars.map((s) => s.close())).then(() => process.exit(0));
});
