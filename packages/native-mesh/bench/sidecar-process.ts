// One sidecar in its own process for the benchmark. argv[2]: JSON { instance, appPort, snapshot }.
// Prints `<inboundPort> <outboundPort>` once listening.
import { startSidecar, type ConfigSnapshot, type InstanceInfo } from '@anymesh/native-mesh';

const { instance, appPort, snapshot } = JSON.parse(process.argv[2]!) as {
  instance: InstanceInfo;
  appPort: number;
  snapshot: ConfigSnapshot;
};
const sidecar = await startSidecar({
  instance,
  appPort,
  outboundPort: 0,
  config: { subscribe: (on) => on(snapshot), close: async () => undefined },
});
process.stdout.write(`${sidecar.inboundPort} ${sidecar.outboundPort}\n`);
process.on('SIGTERM', () => {
  void sidecar.close().then(() => process.exit(0));
});
