import type { RolloutCommand, RolloutStatus } from '@anymesh/core';
import { UsageError } from '../../errors.js';
import { summary, writeDiagnosticsText } from '../../output.js';
import { RolloutApiError, type RolloutClient } from './client.js';
import { EXIT } from './exit-codes.js';
import { eventLine, listText, statusText, stepText, trafficText } from './format.js';
import { formatName, type RolloutName } from './names.js';
import { readStartFile } from './start-file.js';
import { watchRollout, type WatchOptions } from './watch.js';

type Format = 'text' | 'json';

function json(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `start -f`: the file checked locally (schema, one Rollout), then sent; the control plane checks its references. */
export async function startCommand(client: RolloutClient, path: string, options: WatchOptions & { watch: boolean }): Promise<number> {
  const file = await readStartFile(path);
  if ('problem' in file) {
    process.stderr.write(`anymesh: ${file.problem}\n`);
    return EXIT.failed;
  }
  if ('diagnostics' in file) {
    writeDiagnosticsText(file.diagnostics);
    process.stderr.write(`invalid: ${summary(file.diagnostics)}; nothing started\n`);
    return EXIT.failed;
  }
  const answer = await client.start(file.source);
  writeDiagnosticsText(answer.diagnostics);
  const name = { namespace: answer.status.namespace, name: answer.status.name };
  if (options.watch) return watchRollout(client, name, { ...options, fromStart: true });
  if (options.format === 'json') json(answer);
  else {
    process.stdout.write(`started ${formatName(name)}: ${oneLine(answer.status)}\n`);
    process.stderr.write(`watch it: anymesh rollout status ${formatName(name)} -w\n`);
  }
  return EXIT.ok;
}

/** `status [name] [-w]`; without a name, the only rollout there is. */
export async function statusCommand(
  client: RolloutClient,
  name: RolloutName | undefined,
  options: WatchOptions & { watch: boolean },
): Promise<number> {
  const target = name ?? (await onlyRollout(client));
  if (options.watch) return watchRollout(client, target, options);
  const status = await client.get(target);
  if (options.format === 'json') json(status);
  else process.stdout.write(statusText(status));
  return EXIT.ok;
}

async function onlyRollout(client: RolloutClient): Promise<RolloutName> {
  const { rollouts } = await client.list();
  if (rollouts.length === 1) return { namespace: rollouts[0]!.namespace, name: rollouts[0]!.name };
  if (rollouts.length === 0) {
    throw new RolloutApiError(
      'unknown-rollout',
      `there is no rollout on the control plane at ${client.url}; start one with anymesh rollout start -f <file>`,
    );
  }
  throw new UsageError(`name the rollout: there are ${rollouts.length} (${rollouts.map((r) => `${r.namespace}/${r.name}`).join(', ')})`);
}

export async function listCommand(client: RolloutClient, format: Format): Promise<number> {
  const list = await client.list();
  if (format === 'json') json(list);
  else process.stdout.write(listText(list.rollouts));
  return EXIT.ok;
}

/** promote | pause | resume | abort | retry; a refusal (409) is the server's sentence and exit 3. */
export async function manualCommand(client: RolloutClient, name: RolloutName, command: RolloutCommand, format: Format): Promise<number> {
  const status = await client.command(name, command);
  if (format === 'json') json(status);
  else process.stdout.write(`${command}: ${formatName(name)} ${oneLine(status)}\n`);
  return EXIT.ok;
}

export async function historyCommand(client: RolloutClient, name: RolloutName, format: Format): Promise<number> {
  const [status, { events }] = await Promise.all([client.get(name), client.events(name)]);
  if (format === 'json') json({ events });
  else for (const event of events) process.stdout.write(`${eventLine(event, status)}\n`);
  return EXIT.ok;
}

/** `progressing at step 2/5, v1 80% v3 20%: <message>` */
function oneLine(s: RolloutStatus): string {
  return `${s.phase} at step ${stepText(s.step, s.steps)}, ${trafficText(s.traffic, s)}${s.message === '' ? '' : `: ${s.message}`}`;
}
