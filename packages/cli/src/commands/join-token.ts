import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { adminTokenOf, defaultControlPlaneUrl, tokenHint, stateDirOption, type AdminToken } from '../control-plane-access.js';
import { parseFormat } from '../output.js';

interface JoinTokenFlags {
  namespace: string;
  serviceVersion?: string;
  controlPlane?: string;
  token?: string;
  caOut?: string;
  output: string;
}

interface JoinTokenAnswer {
  readonly identity: string;
  readonly token: string;
  readonly trustBundle: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

export function registerJoinToken(program: Command, result: { code: number }): void {
  program
    .command('join-token')
    .description('print the join token a hand-started sidecar (anymesh proxy) needs for its first mTLS certificate')
    .argument('<service>', 'the service the sidecar fronts')
    .option('-n, --namespace <name>', "the service's namespace", 'default')
    .option('--service-version <name>', 'the version the sidecar fronts (it may have its own service account)')
    .option('--control-plane <url>', 'native mesh control plane (default $ANYMESH_CONTROL_PLANE or http://127.0.0.1:15000)')
    .option('--token <token>', 'admin token (default $ANYMESH_TOKEN, else read from <state-dir>/control-plane/admin-token)')
    .addOption(stateDirOption())
    .option('--ca-out <file>', "also write the mesh's trust bundle here, for anymesh proxy --ca-file")
    .option('-o, --output <format>', 'text (shell export lines) or json', 'text')
    .addHelpText(
      'after',
      '\nThe token is good for one identity only (the service account of that service and version) and is what\n`anymesh up` hands its own sidecars. Keep it as secret as a Kubernetes service-account token.\n\nExample:\n  $ eval "$(anymesh join-token reviews -n bookstore --service-version v2 --ca-out /tmp/mesh-ca.crt)"\n  $ anymesh proxy --service reviews --namespace bookstore --service-version v2 --app-port 9081 --ca-file /tmp/mesh-ca.crt',
    )
    .action(async (service: string, opts: JoinTokenFlags, command: Command) => {
      const format = parseFormat(opts.output, ['text', 'json'] as const);
      const url = (opts.controlPlane ?? defaultControlPlaneUrl()).replace(/\/+$/, '');
      const admin = await adminTokenOf(command);
      let answer: JoinTokenAnswer;
      try {
        answer = await askJoinToken(url, admin, { service, namespace: opts.namespace, version: opts.serviceVersion });
      } catch (error) {
        process.stderr.write(`anymesh: cannot get a join token from the control plane at ${url}: ${(error as Error).message}\n`);
        return void (result.code = 1);
      }
      if (opts.caOut !== undefined) await writeFile(opts.caOut, answer.trustBundle);
      if (format === 'json') process.stdout.write(`${JSON.stringify({ identity: answer.identity, token: answer.token })}\n`);
      else process.stdout.write(`# ${answer.identity}\nexport ANYMESH_JOIN_TOKEN=${answer.token}\n`);
    });
}

async function askJoinToken(
  url: string,
  admin: AdminToken,
  asked: { service: string; namespace: string; version: string | undefined },
): Promise<JoinTokenAnswer> {
  const response = await fetch(`${url}/v1/join-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(admin.token ? { authorization: `Bearer ${admin.token}` } : {}) },
    body: JSON.stringify(asked),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }).catch((error: Error) => {
    throw new Error(((error.cause as Error | undefined) ?? error).message);
  });
  const body = (await response.json().catch(() => undefined)) as (Partial<JoinTokenAnswer> & { error?: { message?: string } }) | undefined;
  if (!response.ok || typeof body?.token !== 'string' || typeof body.identity !== 'string' || typeof body.trustBundle !== 'string') {
    const hint = tokenHint(response.status, admin);
    throw new Error(`POST /v1/join-tokens answered ${response.status}: ${body?.error?.message ?? 'no token'}${hint}`);
  }
  return { identity: body.identity, token: body.token, trustBundle: body.trustBundle };
}
