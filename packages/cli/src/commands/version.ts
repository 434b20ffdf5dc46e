import type { Command } from 'commander';
import { API_VERSION } from '@anymesh/core';
import { CLI_VERSION } from '../version.js';

export function registerVersion(program: Command, _result: { code: number }): void {
  program
    .command('version')
    .description('print the anymesh version and the policy API version it reads')
    .addHelpText('after', '\nExample:\n  $ anymesh version')
    .action(() => {
      process.stdout.write(`anymesh ${CLI_VERSION} (policy API ${API_VERSION}, node ${process.version})\n`);
    });
}
