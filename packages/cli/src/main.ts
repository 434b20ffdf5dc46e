import { Command, CommanderError } from 'commander';
import { COMMANDS, commandNameOf } from './command-table.js';
import { UsageError } from './errors.js';
import { CLI_VERSION } from './version.js';

/**
 * Builds the `anymesh` command tree for `argv`: the command it runs is loaded and registered in full (flags, help,
 * action); every other command is only a name and summary for the top-level help. Each command sets its
 * exit code in `result`.
 */
export async function buildProgram(result: { code: number }, argv: readonly string[]): Promise<Command> {
  const program = new Command('anymesh')
    .description(
      'One neutral service-mesh policy model: validate it, translate it to Istio, Linkerd or Consul, or run it on the bundled native mesh.',
    )
    .version(CLI_VERSION, '-V, --version', 'print the anymesh version')
    .option('--debug', 'show stack traces of internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  const running = commandNameOf(argv);
  for (const entry of COMMANDS) {
    if (entry.name === running) (await entry.load())(program, result);
    else program.command(entry.name).description(entry.summary);
  }
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** The exit code of a command whose reader went away (`anymesh translate … | head`): 128 + SIGPIPE, as coreutils die. */
export const OUTPUT_CLOSED_EXIT_CODE = 141;

/**
 * A reader that stops reading (`anymesh … --help | head -1`) ends the command quietly, as it ends
 * `cat`, instead of an unhandled EPIPE with a stack trace. `up` has its own handling: it stops every
 * process it started first (up-session.ts).
 */
function endQuietlyWhenOutputCloses(running: string | undefined): void {
  if (running === 'up') return;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      process.exit(error.code === 'EPIPE' ? OUTPUT_CLOSED_EXIT_CODE : 74);
    });
  }
}

/** Runs the CLI; returns the exit code: 0 ok, 1 invalid input, 2 usage error. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const result = { code: 0 };
  endQuietlyWhenOutputCloses(commandNameOf(argv));
  try {
    const program = await buildProgram(result, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`anymesh: ${error.message}\n`);
      return 2;
    }
    const debug = argv.includes('--debug');
    process.stderr.write(`anymesh: internal error: ${(error as Error).message}\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    else process.stderr.write('(run again with --debug for the stack trace, and please report it)\n');
    return 70;
  }
}
