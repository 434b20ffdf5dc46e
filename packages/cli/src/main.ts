import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerCapabilities } from './commands/capabilities.js';
import { registerControlPlane } from './commands/control-plane.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerJoinToken } from './commands/join-token.js';
import { registerProxy } from './commands/proxy.js';
import { registerTap } from './commands/tap.js';
import { registerUp } from './commands/up.js';
import { registerTranslate } from './commands/translate.js';
import { registerValidate } from './commands/validate.js';
import { registerVersion } from './commands/version.js';
import { UsageError } from './errors.js';
import { CLI_VERSION } from './version.js';

/** Builds the `anymesh` command tree. Each command sets `process.exitCode`-style results by returning a number. */
export function buildProgram(result: { code: number }): Command {
  const program = new Command('anymesh')
    .description(
      'One neutral service-mesh policy model: validate it, translate it to Istio, Linkerd or Consul, or run it on the bundled native mesh.',
    )
    .version(CLI_VERSION, '-V, --version', 'print the anymesh version')
    .option('--debug', 'show stack traces of internal errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerValidate(program, result);
  registerVersion(program, result);
  registerUp(program, result);
  registerDashboard(program, result);
  registerControlPlane(program, result);
  registerProxy(program, result);
  registerApply(program, result);
  registerTranslate(program, result);
  registerCapabilities(program, result);
  registerTap(program, result);
  registerJoinToken(program, result);
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI; returns the exit code: 0 ok, 1 invalid input, 2 usage error. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(result);
  try {
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
