import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { RunnerError, startLocalMesh, type LocalMesh, type LocalMeshEvent, type LocalMeshOptions } from '@anymesh/native-mesh';
import { startDashboard, type Dashboard } from '@anymesh/ui';
import { UsageError } from '../errors.js';
import { writeDiagnosticsText } from '../output.js';
import { DEFAULT_CONTROL_PLANE_PORT, parsePort, untilStopSignal } from './control-plane.js';

/** dist/commands/up.js → bin/anymesh.js: sidecars are this same CLI's `proxy` command. */
const CLI_BIN = fileURLToPath(new URL('../../bin/anymesh.js', import.meta.url));
export const DEFAULT_DASHBOARD_PORT = 15080;

interface UpFlags {
  stateDir: string;
  port: string;
  dashboardPort: string;
  dashboard: boolean;
  load: boolean;
  rate: string;
  verbose: boolean;
}

export function registerUp(program: Command, result: { code: number }): void {
  program
    .command('up')
    .description('run the native mesh on this machine: control plane, every Workload with a sidecar, demo load, dashboard')
    .argument('[dir]', 'policies with Workloads', 'examples/bookstore')
    .option('--state-dir <dir>', 'control-plane state and process logs', '.anymesh')
    .option('--port <port>', 'control-plane port (a free one if it is taken)', String(DEFAULT_CONTROL_PLANE_PORT))
    .option('--dashboard-port <port>', 'dashboard port (a free one if it is taken)', String(DEFAULT_DASHBOARD_PORT))
    .option('--no-dashboard', 'do not start the dashboard')
    .option('--no-load', 'do not send demo traffic')
    .option('--rate <n>', 'demo requests per second into the entry service', '20')
    .option('--verbose', 'print every process start and readiness')
    .addHelpText(
      'after',
      '\nRuns until Ctrl-C (SIGINT) or SIGTERM, then stops every process it started. Logs: <state-dir>/logs/.\nExit codes: 0 stopped cleanly, 1 invalid policies or a process failed to start, 2 usage error.\n\nExamples:\n  $ anymesh up\n  $ anymesh up examples/bookstore --rate 5 --no-dashboard',
    )
    .action(async (dir: string, opts: UpFlags) => {
      const port = parsePort(opts.port, '--port', true);
      const dashboardPort = parsePort(opts.dashboardPort, '--dashboard-port', true);
      const rate = Number(opts.rate);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1_000) throw new UsageError(`--rate must be 0..1000, got "${opts.rate}"`);
      const stateDir = resolve(opts.stateDir);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // Listen for Ctrl-C from the start: a signal during start-up must stop the children too.
      const aborted = new AbortController();
      const stopSignal = untilStopSignal();
      void stopSignal.then(() => aborted.abort());
      const options: LocalMeshOptions = {
        signal: aborted.signal,
        paths: [dir],
        stateDir,
        sidecarCommand: [process.execPath, CLI_BIN, 'proxy'],
        controlPlanePort: port,
        load: opts.load && rate > 0 ? { ratePerSecond: rate } : false,
        onEvent: (event) => {
          const line = describeEvent(event, opts.verbose);
          if (line) log(line);
        },
      };
      log(`starting the native mesh from ${dir} …`);
      let mesh: LocalMesh;
      try {
        mesh = await startWithPortFallback(options, log);
      } catch (error) {
        if (!(error instanceof RunnerError)) throw error;
        writeDiagnosticsText(error.diagnostics);
        log(`anymesh: ${error.message}`);
        // Ctrl-C during start-up is a clean stop, not a failure.
        return void (result.code = error.code === 'ABORTED' ? 0 : 1);
      }
      const dashboard = opts.dashboard ? await startDashboardNear(dashboardPort, dir, mesh.controlPlane, log) : undefined;
      process.stdout.write(formatTable(mesh, dashboard));
      const signal = await stopSignal;
      log(`${signal}: stopping every process …`);
      await dashboard?.close();
      await mesh.stop();
      const stats = mesh.loadStats();
      log(`stopped.${stats ? ` Demo load: ${stats.sent} sent, ${stats.succeeded} succeeded, ${stats.failed} failed.` : ''}`);
      result.code = 0;
    });
}

async function startWithPortFallback(options: LocalMeshOptions, log: (line: string) => void): Promise<LocalMesh> {
  try {
    return await startLocalMesh(options);
  } catch (error) {
    const portTaken = error instanceof RunnerError && error.code === 'START_FAILED' && /EADDRINUSE/.test(error.message);
    if (!portTaken || options.controlPlanePort === 0) throw error;
    log(`port ${options.controlPlanePort} is taken; the control plane takes a free port instead`);
    return startLocalMesh({ ...options, controlPlanePort: 0 });
  }
}

async function startDashboardNear(
  port: number,
  policyDir: string,
  controlPlane: { readonly url: string; readonly adminToken: string },
  log: (line: string) => void,
): Promise<Dashboard | undefined> {
  for (const candidate of port === 0 ? [0] : [port, 0]) {
    try {
      return await startDashboard({
        port: candidate,
        policyDir,
        controlPlaneUrl: controlPlane.url,
        controlPlaneToken: controlPlane.adminToken,
      });
    } catch (error) {
      if (candidate === 0 || !/EADDRINUSE/.test(String((error as Error).message))) {
        log(`warning: the dashboard did not start (${(error as Error).message}); the mesh runs without it`);
        return undefined;
      }
    }
  }
  return undefined;
}

function describeEvent(event: LocalMeshEvent, verbose: boolean): string | undefined {
  switch (event.type) {
    case 'control-plane-started':
      return verbose ? `control plane listening on ${event.url}` : undefined;
    case 'process-started':
      return verbose ? `started ${event.name} (pid ${event.pid ?? '?'}, log ${event.logFile})` : undefined;
    case 'instance-ready':
      return verbose ? `ready: ${event.id}` : undefined;
    case 'process-exited':
      return `warning: ${event.name} exited (${event.signal ?? `code ${event.code}`}); last lines of its log:\n${event.logTail}`;
    case 'stopping':
    case 'stopped':
      return undefined;
  }
}

/** The table `up` prints: where everything is, and how to call each service. */
export function formatTable(mesh: LocalMesh, dashboard: Dashboard | undefined): string {
  const rows: string[][] = [
    ['control plane', mesh.controlPlane.url],
    ['dashboard', dashboard?.url ?? '(not started)'],
    ['mesh entry (ingress sidecar)', mesh.ingress.url],
    ['logs', mesh.logDir],
  ];
  const width = Math.max(...rows.map((r) => r[0]!.length));
  const head = rows.map(([k, v]) => `  ${k!.padEnd(width)}  ${v}`).join('\n');
  const instances = mesh.instances.map(
    (i) =>
      `  ${i.id.padEnd(18)} ${`${i.service} ${i.version ?? ''}`.padEnd(16)} app :${i.ports.app}  sidecar in :${i.ports.inbound} out :${i.ports.outbound} admin :${i.ports.admin}`,
  );
  const open = mesh.entryPoints.filter((e) => e.reachableFromIngress);
  const closed = mesh.entryPoints.filter((e) => !e.reachableFromIngress);
  const entries = open.map((e) => `  curl -H 'Host: ${e.host}' ${e.url}/`);
  if (closed.length > 0) {
    entries.push(
      `  (${closed.map((e) => e.host).join(', ')}: 403 from outside — the AccessPolicies do not allow the ingress to call them)`,
    );
  }
  const load = mesh.loadStats()
    ? `\nDemo load: steady requests into ${mesh.entryPoints[0]?.host ?? 'the entry service'} through the ingress (see the dashboard).`
    : '';
  return `\nanymesh native mesh is up (config version ${mesh.controlPlane.version}).\n${head}\n\nInstances:\n${instances.join('\n')}\n\nCall a service from outside the mesh:\n${entries.join('\n')}\n${load}\nPress Ctrl-C to stop everything.\n`;
}
