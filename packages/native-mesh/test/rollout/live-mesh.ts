import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RolloutEvent, RolloutStatus } from '@anymesh/core';
import type { RolloutCommandRefused, StartRolloutResponse } from '../../src/protocol/rollouts.js';
import { startLocalMesh, type LocalMesh } from '../../src/runner/index.js';

export const CLI = fileURLToPath(new URL('../../../cli/bin/anymesh.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../../../examples/bookstore/apps/demo-service.mjs', import.meta.url));
export const NAMESPACE = 'shop';

/** A service of the test mesh: each version is one demo-service replica with its env (ERROR_RATE, LATENCY_MS). */
export interface TestService {
  readonly name: string;
  readonly versions: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The Service, TrafficRoute (all to the first version) and Workload YAML of `services`, all in namespace `shop`. */
export function meshPolicies(services: readonly TestService[]): { services: string; workloads: string } {
  const serviceDocs = services.map(
    (s) => `apiVersion: anymesh.io/v1alpha1
kind: Service
metadata: { name: ${s.name}, namespace: ${NAMESPACE} }
spec:
  ports: [{ port: 8080, protocol: http }]
  versions: { ${Object.keys(s.versions)
    .map((v) => `${v}: { labels: { version: ${v} } }`)
    .join(', ')} }
`,
  );
  const workloadDocs = services.flatMap((s) =>
    Object.entries(s.versions).map(
      ([version, env]) => `apiVersion: anymesh.io/v1alpha1
kind: Workload
metadata: { name: ${s.name}-${version}, namespace: ${NAMESPACE} }
spec:
  service: ${s.name}
  version: ${version}
  command: [node, ${JSON.stringify(DEMO)}]
  env: ${JSON.stringify(env)}
`,
    ),
  );
  // The authored route: everything to the first version (what a rollout starts from).
  const routeDocs = services.map(
    (s) => `apiVersion: anymesh.io/v1alpha1
kind: TrafficRoute
metadata: { name: ${s.name}, namespace: ${NAMESPACE} }
spec:
  service: ${s.name}
  rules:
    - destinations: [{ version: ${Object.keys(s.versions)[0]} }]
`,
  );
  return { services: [...serviceDocs, ...routeDocs].join('---\n'), workloads: workloadDocs.join('---\n') };
}

/** Writes the policies of `services` to a fresh directory: what `anymesh up <dir>` would load. */
export async function writeMeshDir(services: readonly TestService[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-'));
  const policies = meshPolicies(services);
  await writeFile(join(dir, 'services.yaml'), policies.services);
  await writeFile(join(dir, 'workloads.yaml'), policies.workloads);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A local mesh (control plane in this process, sidecars and apps as processes) of `services`, no demo load. */
export async function startTestMesh(services: readonly TestService[]): Promise<{ mesh: LocalMesh; stop: () => Promise<void> }> {
  const policies = await writeMeshDir(services);
  const stateDir = await mkdtemp(join(tmpdir(), 'anymesh-rollout-state-'));
  let mesh: LocalMesh;
  try {
    mesh = await startLocalMesh({
      paths: [policies.dir],
      stateDir,
      sidecarCommand: [process.execPath, CLI, 'proxy'],
      load: false,
      heartbeatIntervalMs: 500,
      readyTimeoutMs: 50_000,
    });
  } catch (error) {
    await policies.remove();
    throw error;
  }
  return {
    mesh,
    stop: async () => {
      await mesh.stop();
      await Promise.all([policies.remove(), rm(stateDir, { recursive: true, force: true })]);
    },
  };
}

/** The rollout API of a control plane, as the CLI and dashboard call it. */
export class RolloutApi {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async start(yaml: string): Promise<{ status: number; body: StartRolloutResponse }> {
    return this.#call('POST', '/v1/rollouts', { source: { file: 'rollout.yaml', text: yaml } });
  }

  async status(name: string): Promise<RolloutStatus> {
    const answer = await this.#call<RolloutStatus>('GET', `/v1/rollouts/${NAMESPACE}/${name}`);
    if (answer.status !== 200) throw new Error(`GET rollout ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async events(name: string, after?: number): Promise<RolloutEvent[]> {
    const query = after === undefined ? '' : `?after=${after}`;
    return (await this.#call<{ events: RolloutEvent[] }>('GET', `/v1/rollouts/${NAMESPACE}/${name}/events${query}`)).body.events;
  }

  command(name: string, command: string): Promise<{ status: number; body: RolloutStatus & RolloutCommandRefused }> {
    return this.#call('POST', `/v1/rollouts/${NAMESPACE}/${name}/${command}`);
  }

  /** Polls the status until `check` holds; returns it. */
  async until(name: string, check: (s: RolloutStatus) => boolean, timeoutMs: number, what: string): Promise<RolloutStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status(name);
      if (check(status)) return status;
      if (Date.now() > deadline) throw new Error(`${name}: not ${what} within ${timeoutMs} ms; now ${status.phase}: ${status.message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}

/** A canary/A-B/blue-green Rollout of `service` in namespace shop, as YAML. */
export function rolloutYaml(name: string, service: string, from: string, to: string, strategy: string, analysis: string): string {
  return `apiVersion: anymesh.io/v1alpha1
kind: Rollout
metadata: { name: ${name}, namespace: ${NAMESPACE} }
spec:
  service: ${service}
  from: ${from}
  to: ${to}
  strategy: ${strategy}
  analysis: ${analysis}
`;
}

/** The share of samples answered by `version`, and how far it is from `planned` in standard deviations of a binomial. */
export function splitOf(
  versions: readonly (string | undefined)[],
  version: string,
  planned: number,
): { n: number; share: number; sigmas: number } {
  const n = versions.length;
  const hits = versions.filter((v) => v === version).length;
  const p = planned / 100;
  const sd = Math.sqrt(n * p * (1 - p));
  const sigmas = sd === 0 ? (hits === n * p ? 0 : Infinity) : Math.abs(hits - n * p) / sd;
  return { n, share: n === 0 ? 0 : hits / n, sigmas };
}
