import type { Command } from 'commander';
import type { RolloutCommand } from '@anymesh/core';
import { adminTokenOf, defaultControlPlaneUrl, missingTokenMessage, stateDirOption } from '../control-plane-access.js';
import { UsageError } from '../errors.js';
import { collect, parseFormat } from '../output.js';
import { RolloutApiError, RolloutClient } from './rollout/client.js';
import { reportApiError } from './rollout/exit-codes.js';
import { parseRolloutName } from './rollout/names.js';
import { historyCommand, listCommand, manualCommand, startCommand, statusCommand } from './rollout/actions.js';

const EXIT_CODES_HELP =
  "\nExit codes: 0 done (status -w: promoted), 1 failed (unknown rollout, invalid file, control plane unreachable;\nstatus -w: rolled back or aborted), 2 usage error, 3 the command is refused in the rollout's phase, 130 status -w\nstopped by Ctrl-C (the rollout goes on).";

const MANUAL: readonly { command: RolloutCommand; summary: string }[] = [
  {
    command: 'promote',
    summary: 'skip the remaining steps and analysis: all traffic to the new version (also ends a pause without duration)',
  },
  { command: 'pause', summary: 'hold the rollout at its current step and weights (analysis continues to be recorded)' },
  { command: 'resume', summary: 'continue a paused rollout' },
  { command: 'abort', summary: 'all traffic back to the old version and stop the analysis' },
  { command: 'retry', summary: 'start a rolled-back or aborted rollout again from its first step' },
];

export interface AccessFlags {
  namespace: string;
  controlPlane?: string;
  token?: string;
  output: string;
}

export function registerRollout(program: Command, result: { code: number }): void {
  const rollout = program
    .command('rollout')
    .description('drive progressive delivery on the native mesh: start, watch, promote, abort rollouts; plan one for any mesh')
    .addHelpText(
      'after',
      `\nA rollout is named <name> (in -n, default "default") or <namespace>/<name>.\n${EXIT_CODES_HELP}\n\nExamples:\n  $ anymesh rollout start -f examples/rollouts/reviews-canary.yaml\n  $ anymesh rollout status bookstore/reviews-v3 -w\n  $ anymesh rollout plan -f examples/rollouts/reviews-canary.yaml -f examples/bookstore --mesh istio`,
    );
  const run = runner(result);

  access(rollout.command('start'))
    .description('start (or replace) the Rollout in a file on the running control plane')
    .requiredOption('-f, --filename <file>', 'a file holding one Rollout (- for stdin)')
    .option('-w, --watch', 'then watch it as status -w does')
    .option('--poll-interval <ms>', 'with -w: how often to ask for new events', '1000')
    .action(
      run(async (opts: AccessFlags & { filename: string; watch?: boolean; pollInterval: string }, command: Command) => {
        const options = { format: formatOf(opts), watch: opts.watch === true, pollMs: pollMs(opts.pollInterval) };
        return startCommand(await clientOf(command), opts.filename, options);
      }),
    );

  access(rollout.command('status'))
    .description("a rollout's phase, step, weights and latest analysis; -w follows it live until it ends")
    .argument('[name]', 'the rollout (default: the only one on the control plane)')
    .option('-w, --watch', 'print a line per event (each analysis interval: metrics against thresholds) until the rollout ends')
    .option('--poll-interval <ms>', 'with -w: how often to ask for new events', '1000')
    .action(
      run(async (name: string | undefined, opts: AccessFlags & { watch?: boolean; pollInterval: string }, command: Command) => {
        const options = { format: formatOf(opts), watch: opts.watch === true, pollMs: pollMs(opts.pollInterval) };
        const rolloutName = name === undefined ? undefined : parseRolloutName(name, opts.namespace);
        return statusCommand(await clientOf(command), rolloutName, options);
      }),
    );

  access(rollout.command('list'))
    .description('every rollout on the control plane with its phase, step and weights')
    .action(
      run(async (opts: AccessFlags, command: Command) => {
        const format = formatOf(opts);
        return listCommand(await clientOf(command), format);
      }),
    );

  for (const { command: verb, summary } of MANUAL) {
    access(rollout.command(verb))
      .description(summary)
      .argument('<name>', 'the rollout')
      .action(
        run(async (name: string, opts: AccessFlags, command: Command) => {
          const [format, rolloutName] = [formatOf(opts), parseRolloutName(name, opts.namespace)];
          return manualCommand(await clientOf(command), rolloutName, verb, format);
        }),
      );
  }

  access(rollout.command('history'))
    .description("a rollout's events: every transition with its step, weights, measured values and reason")
    .argument('<name>', 'the rollout')
    .action(
      run(async (name: string, opts: AccessFlags, command: Command) => {
        const [format, rolloutName] = [formatOf(opts), parseRolloutName(name, opts.namespace)];
        return historyCommand(await clientOf(command), rolloutName, format);
      }),
    );

  rollout
    .command('plan')
    .description('print the configuration each stage of a rollout puts in force, for one mesh, with its diagnostics')
    .argument('[name]', 'the Rollout to plan (default: the only one in the first -f path)')
    .option('-f, --filename <path>', 'the Rollout file, then the policies it applies to (repeatable)', collect, [])
    .option('--mesh <mesh>', 'istio, linkerd, consul (their manifests) or native (the neutral TrafficRoute)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option('--all', "every manifest and finding of each stage's policies, not only those of the rollout's route")
    .addHelpText(
      'after',
      '\nEach stage (canary step, A/B cohort, blue/green preview, promoted, rolled back) is printed as the\nconfiguration it puts in force, with the diagnostics of the mesh for it (e.g. a cookie cohort on a mesh that\ncannot match cookies). Nothing is sent anywhere.\n\nExit codes: 0 planned (warnings allowed), 1 invalid input, 2 usage error.',
    )
    .action(
      run(async (name: string | undefined, opts: { filename: string[]; mesh?: string; output: string; all?: boolean }) => {
        const { planCommand } = await import('./rollout/plan.js');
        return planCommand(name, opts);
      }),
    );

  for (const sub of rollout.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)');
}

/** The options every subcommand that talks to the control plane takes. */
function access(command: Command): Command {
  return command
    .option('-n, --namespace <name>', 'the namespace of a rollout named without one', 'default')
    .option('--control-plane <url>', 'native mesh control plane (default $ANYMESH_CONTROL_PLANE or http://127.0.0.1:15000)')
    .option('--token <token>', 'admin token (default $ANYMESH_TOKEN, else read from <state-dir>/control-plane/admin-token)')
    .addOption(stateDirOption())
    .option('-o, --output <format>', 'text or json', 'text');
}

/** Wraps an action: its exit code into `result`, API errors printed with theirs; usage errors go up to main (exit 2). */
function runner(result: { code: number }) {
  return <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<void> => {
      try {
        result.code = await action(...args);
      } catch (error) {
        result.code = reportApiError(error);
      }
    };
}

async function clientOf(command: Command): Promise<RolloutClient> {
  const url = (command.opts<AccessFlags>().controlPlane ?? defaultControlPlaneUrl()).replace(/\/+$/, '');
  const admin = await adminTokenOf(command);
  if (admin.token === undefined) throw new RolloutApiError('failed', missingTokenMessage(admin));
  return new RolloutClient(url, admin);
}

function formatOf(opts: { output: string }): 'text' | 'json' {
  return parseFormat(opts.output, ['text', 'json'] as const);
}

function pollMs(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 50)
    throw new UsageError(`--poll-interval must be a number of milliseconds >= 50, got "${value}"`);
  return Number(value);
}
