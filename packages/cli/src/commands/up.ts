import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { RunnerError, startLocalMesh, type LocalMesh, type LocalMeshEvent, type LocalMeshOptions } from '@anymesh/native-mesh';
import { startDashboard, type Dashboard } from '@anymesh/ui';
import { UsageError } from '../errors.js';
import { writeDiagnosticsText } from '../output.js';
import { DEFAULT_CONTROL_PLANE_PORT, describeControlPlaneEvent, parsePort } from './control-plane.js';
import { watchForStop } from './up-session.js';

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
    .option('--state-dir <dir>', 'anymesh state: control-plane state in <dir>/control-plane, process logs in <dir>/logs', '.anymesh')
    .option('--port <port>', 'control-plane port (a free one if it is taken)', String(DEFAULT_CONTROL_PLANE_PORT))
    .option('--dashboard-port <port>', 'dashboard port (a free one if it is taken)', String(DEFAULT_DASHBOARD_PORT))
    .option('--no-dashboard', 'do not start the dashboard')
    .option('--no-load', 'do not send demo traffic')
    .option('--rate <n>', 'demo requests per second into the entry service', '20')
    .option('--verbose', 'print every process start and readiness')
    .addHelpText(
      'after',
      "\nRuns until Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed) or its output is closed, then stops every\nprocess it started; if up itself dies (kill -9), each child's guard stops it within 2 s. Logs: <state-dir>/logs/.\nExit codes: 0 stopped cleanly, 1 invalid policies or a process failed to start, 2 usage error.\n\nExamples:\n  $ anymesh up\n  $ anymesh up examples/bookstore --rate 5 --no-dashboard",
    )
    .action(async (dir: string, opts: UpFlags) => {
      const port = parsePort(opts.port, '--port', true);
      const dashboardPort = parsePort(opts.dashboardPort, '--dashboard-port', true);
      const rate = Number(opts.rate);
      if (!Number.isFinite(rate) || rate < 0 || rate > 1_000) throw new UsageError(`--rate must be 0..1000, got "${opts.rate}"`);
      const stateDir = resolve(opts.stateDir);
      // Stop signals and closed output are watched from the start: a stop during start-up must stop the children too.
      const session = watchForStop();
      const log = session.log;
      const aborted = new AbortController();
      void session.stopped.then(() => aborted.abort());
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
      let dashboard: Dashboard | undefined;
      try {
        dashboard = opts.dashboard ? await startDashboardNear(dashboardPort, dir, mesh.controlPlane, log) : undefined;
        session.print(formatTable(mesh, dashboard));
        const reason = await session.stopped;
        log(`${reason}: stopping every process …`);
      } finally {
        // However the wait above ends (a stop, an internal error), nothing started is left running.
        await dashboard?.close();
        await mesh.stop();
      }
      log(`stopped.${describeLoad(mesh)}`);
      result.code = 0;
    });
}

/** The load's totals, and why some requests failed when the policies make them fail. */
function describeLoad(mesh: LocalMesh): string {
  const stats = mesh.loadStats();
  if (!stats) return '';
  const totals = ` Demo load: ${stats.sent} sent, ${stats.succeeded} succeeded, ${stats.failed} failed`;
  const why = stats.failed > 0 && mesh.designedFailures.length > 0 ? ` — by design: ${mesh.designedFailures.join('; ')}` : '';
  return `${totals}${why}.`;
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
      const dashboard = await startDashboard({
        port: candidate,
        policyDir,
        controlPlaneUrl: controlPlane.url,
        controlPlaneToken: controlPlane.adminToken,
      });
      if (candidate !== port) log(`port ${port} is taken; the dashboard listens on ${dashboard.url} instead`);
      return dashboard;
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
    case 'port-taken':
      return `${event.name}: a port picked for it was taken meanwhile (another anymesh up?); starting it again on other ports`;
    case 'process-exited':
      return `warning: ${event.name} exited (${event.signal ?? `code ${event.code}`}); last lines of its log:\n${event.logTail}`;
    case 'control-plane':
      return describeControlPlaneEvent(event.event);
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
  const byDesign = mesh.designedFailures.length > 0 ? ` Some fail by design: ${mesh.designedFailures.join('; ')}.` : '';
  const load = mesh.loadStats()
    ? `\nDemo load: steady requests into ${mesh.entryPoints[0]?.host ?? 'the entry service'} through the ingress (see the dashboard).${byDesign}\n`
    : '';
  const tap = `\nWatch live requests from another terminal:\n  ${tapCommand(mesh)}\n`;
  return `\nanymesh native mesh is up (config version ${mesh.controlPlane.version}).\n${head}\n\nInstances:\n${instances.join('\n')}\n\nCall a service from outside the mesh:\n${entries.join('\n')}\n${load}${tap}\nPress Ctrl-C to stop everything.\n`;
}

/**
 * What a second terminal runs to watch this mesh. The state dir is always given, as an absolute
 * path: the line then works as pasted from any directory (a new terminal rarely starts in this
 * one), and `tap` finds the admin token in it. The control plane's URL only when it is not the one
 * `tap` assumes (its port was taken, or --port was given).
 */
function tapCommand(mesh: LocalMesh): string {
  const flags = [`--state-dir ${shellQuote(mesh.stateDir)}`];
  // Where `tap` looks without the flag (its defaultControlPlaneUrl; not imported: that moves in the CLI's refactor).
  const tapDefault = process.env['ANYMESH_CONTROL_PLANE'] ?? `http://127.0.0.1:${DEFAULT_CONTROL_PLANE_PORT}`;
  if (mesh.controlPlane.url !== tapDefault) flags.push(`--control-plane ${mesh.controlPlane.url}`);
  return `anymesh tap ${serviceToTap(mesh)} ${flags.join(' ')}`;
}

/** The service with the most versions (the one whose routing is worth watching), the first on a tie. */
function serviceToTap(mesh: LocalMesh): string {
  const versions = new Map<string, Set<string>>();
  for (const i of mesh.instances) {
    const key = `${i.namespace}/${i.service}`;
    versions.set(key, (versions.get(key) ?? new Set()).add(i.version ?? ''));
  }
  let best = '';
  for (const [key, set] of versions) if (!best || set.size > versions.get(best)!.size) best = key;
  return best;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
