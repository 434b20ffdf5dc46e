import type { Command } from 'commander';
import { openTap, type InstanceInfo, type TapEvent, type TapFilter, type TapTarget } from '@anymesh/native-mesh';
import {
  adminTokenOf,
  defaultControlPlaneUrl,
  tokenHint,
  stateDirOption,
  untilStopSignal,
  type AdminToken,
} from '../control-plane-access.js';
import { UsageError } from '../errors.js';
import { parseFormat } from '../output.js';
import { ReorderBuffer } from '../reorder-buffer.js';

interface TapFlags {
  namespace?: string;
  serviceVersion?: string;
  path?: string;
  method?: string;
  direction?: string;
  controlPlane?: string;
  token?: string;
  output: string;
  maxCount?: string;
}

const REGISTRY_TIMEOUT_MS = 5_000;
/** How long a request is held so that one taken earlier on another sidecar can be shown before it. */
export const TAP_REORDER_WINDOW_MS = 250;

export function registerTap(program: Command, result: { code: number }): void {
  program
    .command('tap')
    .description("stream live requests through a service's sidecars on the native mesh (like linkerd viz tap)")
    .argument('<service>', 'the service, as <name> or <namespace>/<name>')
    .option('-n, --namespace <name>', "the service's namespace (default: the only namespace with that service)")
    .option('--service-version <name>', "only this version's instances (--version is the CLI's own flag)")
    .option('--path <prefix>', 'only requests whose path starts with this')
    .option('--method <method>', 'only this HTTP method')
    .option('--direction <dir>', 'inbound (calls to the service) or outbound (calls it makes)')
    .option('--control-plane <url>', 'native mesh control plane (default $ANYMESH_CONTROL_PLANE or http://127.0.0.1:15000)')
    .option('--token <token>', 'admin token (default $ANYMESH_TOKEN, else read from <state-dir>/control-plane/admin-token)')
    .addOption(stateDirOption())
    .option('-o, --output <format>', 'text or json (one JSON object per line)', 'text')
    .option('--max-count <n>', 'stop after this many requests')
    .addHelpText(
      'after',
      `\nFinds the service's instances in the control plane registry and merges the live request streams of their\nsidecars (admin port, GET /tap) in time order: each request is held ${TAP_REORDER_WINDOW_MS} ms so that one taken earlier on\nanother sidecar is shown first (one that arrives later than that is shown as it comes). Runs until Ctrl-C, --max-count, or every sidecar has stopped. A reader that\nfalls behind loses requests (reported as "dropped"), never slows the mesh.\n\nExamples:\n  $ anymesh tap bookstore/reviews --service-version v3\n  $ anymesh tap reviews -n bookstore --path /reviews --direction inbound -o json`,
    )
    .action(async (service: string, opts: TapFlags, command: Command) => {
      const format = parseFormat(opts.output, ['text', 'json'] as const);
      const filter = filterOf(opts);
      const maxCount = opts.maxCount === undefined ? Infinity : positiveInt(opts.maxCount, '--max-count');
      const url = (opts.controlPlane ?? defaultControlPlaneUrl()).replace(/\/+$/, '');
      let registry: InstanceInfo[];
      try {
        registry = await fetchRegistry(url, await adminTokenOf(command));
      } catch (error) {
        process.stderr.write(`anymesh: cannot read the registry of the control plane at ${url}: ${(error as Error).message}\n`);
        return void (result.code = 1);
      }
      const instances = instancesOf(registry, service, opts.namespace, opts.serviceVersion);
      if (typeof instances === 'string') {
        process.stderr.write(`anymesh: ${instances}\n`);
        return void (result.code = 1);
      }
      const targets: TapTarget[] = instances.map((i) => ({ id: i.id, adminUrl: `http://${hostForUrl(i.host)}:${i.adminPort}` }));
      process.stderr.write(`tapping ${targets.map((t) => t.id).join(', ')}\n`);
      let seen = 0;
      let open = targets.length;
      result.code = await new Promise<number>((resolve) => {
        let done = false;
        const show = (event: TapEvent) => {
          if (seen >= maxCount) return;
          if (event.type === 'request') seen += 1;
          process.stdout.write(format === 'json' ? `${JSON.stringify(event)}\n` : `${describe(event)}\n`);
          if (seen >= maxCount) finish(0);
        };
        const ordered = new ReorderBuffer<TapEvent>(TAP_REORDER_WINDOW_MS, show);
        let timer: NodeJS.Timeout | undefined;
        const releaseDue = () => {
          timer = undefined;
          const next = ordered.release(Date.now());
          if (next !== undefined && !done) timer = setTimeout(releaseDue, Math.max(0, next - Date.now()));
        };
        const session = openTap(targets, filter, {
          onEvent: (event) => {
            if (done) return;
            const now = Date.now();
            const taken = event.type === 'request' ? Date.parse(event.time) : NaN;
            ordered.push(event, Number.isNaN(taken) ? now : taken, now);
            timer ??= setTimeout(releaseDue, TAP_REORDER_WINDOW_MS);
          },
          onError: (error, from) => {
            process.stderr.write(`anymesh: tap of ${from.id}: ${error.message}\n`);
            if (--open === 0) finish(1);
          },
          onEnd: (from) => {
            process.stderr.write(`${from.id} stopped\n`);
            if (--open === 0) finish(0);
          },
        });
        function finish(code: number) {
          if (done) return;
          done = true;
          session.close();
          clearTimeout(timer);
          ordered.flush();
          resolve(code);
        }
        void untilStopSignal().then(() => finish(0));
      });
    });
}

function filterOf(opts: TapFlags): TapFilter {
  const direction = opts.direction;
  if (direction !== undefined && direction !== 'inbound' && direction !== 'outbound') {
    throw new UsageError(`--direction must be inbound or outbound, got "${direction}"`);
  }
  return {
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.method !== undefined ? { method: opts.method.toUpperCase() } : {}),
    ...(direction !== undefined ? { direction } : {}),
  };
}

function positiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

async function fetchRegistry(url: string, admin: AdminToken): Promise<InstanceInfo[]> {
  const response = await fetch(`${url}/v1/registry`, {
    headers: admin.token ? { authorization: `Bearer ${admin.token}` } : {},
    signal: AbortSignal.timeout(REGISTRY_TIMEOUT_MS),
  }).catch((error: Error) => {
    throw new Error(((error.cause as Error | undefined) ?? error).message);
  });
  if (!response.ok) throw new Error(`GET /v1/registry answered ${response.status}${tokenHint(response.status, admin)}`);
  const body: unknown = await response.json();
  if (!Array.isArray(body)) throw new Error('the registry is not a list of instances');
  return body as InstanceInfo[];
}

/** The instances to tap, or a message saying why there are none. */
function instancesOf(
  registry: readonly InstanceInfo[],
  service: string,
  namespace: string | undefined,
  version: string | undefined,
): InstanceInfo[] | string {
  const slash = service.indexOf('/');
  const ns = slash === -1 ? namespace : service.slice(0, slash);
  const name = slash === -1 ? service : service.slice(slash + 1);
  const ofService = registry.filter((i) => i.service === name && (ns === undefined || i.namespace === ns));
  const namespaces = [...new Set(ofService.map((i) => i.namespace))];
  if (namespaces.length > 1)
    return `service ${name} runs in several namespaces (${namespaces.join(', ')}); pass <namespace>/${name} or --namespace`;
  const chosen = ofService.filter((i) => version === undefined || i.version === version);
  if (chosen.length === 0) {
    const what = `${ns ?? '*'}/${name}${version === undefined ? '' : ` version ${version}`}`;
    return `no running instance of ${what} in the registry${ofService.length > 0 ? ` (versions running: ${[...new Set(ofService.map((i) => i.version ?? '-'))].join(', ')})` : ''}`;
  }
  return chosen;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function describe(event: TapEvent): string {
  if (event.type === 'dropped') return `... ${event.count} requests dropped (the reader fell behind)`;
  const src = `${event.source}${event.source_version ? `(${event.source_version})` : ''}`;
  const dst = `${event.destination}${event.destination_version ? `(${event.destination_version})` : ''}`;
  const extras = [
    `${event.duration_ms.toFixed(1)}ms`,
    event.direction === 'inbound' ? `mtls=${event.mtls}` : undefined,
    event.identity ? `id=${event.identity}` : undefined,
    event.access ? `access=${event.access}:${event.access_rule}` : undefined,
    event.retries > 0 ? `retries=${event.retries}` : undefined,
    event.reason ? `reason=${event.reason}` : undefined,
    event.trace_id ? `trace=${event.trace_id}` : undefined,
  ].filter((x) => x !== undefined);
  return `${event.time} ${event.direction.padEnd(8)} ${src} -> ${dst} ${event.method} ${event.path} ${event.code} ${extras.join(' ')}`;
}
