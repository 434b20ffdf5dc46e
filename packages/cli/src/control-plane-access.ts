import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from './errors.js';

/** The anymesh state directory when `--state-dir` is not given: the same for every command. */
export const DEFAULT_STATE_DIR = '.anymesh';

/** The control plane's port when none is given; `apply`, `proxy` and `up` default to it too. */
export const DEFAULT_CONTROL_PLANE_PORT = 15000;

/**
 * The admin token's file name in the control plane's directory. The native mesh's ADMIN_TOKEN_FILE; kept here
 * so that commands which only read it do not load the native mesh (a test checks the two agree).
 */
export const ADMIN_TOKEN_FILE = 'admin-token';

/** Where the control plane keeps its files (admin token, CA, trust bundle, policies) inside a state directory. */
export function controlPlaneStateDir(stateDir: string): string {
  return join(stateDir, 'control-plane');
}

/** `--state-dir <dir>`: one meaning for every command, the one `anymesh up` gives it. */
export function stateDirOption(): Option {
  return new Option(
    '--state-dir <dir>',
    'the anymesh state directory, as given to anymesh up or control-plane (the control plane keeps its files in <dir>/control-plane)',
  ).default(DEFAULT_STATE_DIR);
}

export function defaultControlPlaneUrl(): string {
  return process.env['ANYMESH_CONTROL_PLANE'] ?? `http://127.0.0.1:${DEFAULT_CONTROL_PLANE_PORT}`;
}

/** The admin token and where it came from, so that a refusal can say which token was refused. */
export interface AdminToken {
  readonly token: string | undefined;
  readonly from: 'flag' | 'env' | 'file' | 'none';
  /** The file read (or looked for), absolute. */
  readonly file: string;
  /** True when the user passed --state-dir (so advice does not tell them to pass it). */
  readonly stateDirGiven: boolean;
}

/** The admin token for commands that call the control plane: `--token`, else $ANYMESH_TOKEN, else the state dir's file. */
export async function adminTokenOf(command: Command): Promise<AdminToken> {
  const opts = command.opts<{ token?: string; stateDir: string }>();
  const file = resolve(controlPlaneStateDir(opts.stateDir), ADMIN_TOKEN_FILE);
  const stateDirGiven = command.getOptionValueSource('stateDir') === 'cli';
  if (opts.token !== undefined) return { token: opts.token, from: 'flag', file, stateDirGiven };
  const env = process.env['ANYMESH_TOKEN'];
  if (env !== undefined && env !== '') return { token: env, from: 'env', file, stateDirGiven };
  const token = await readFile(file, 'utf8').then(
    (text) => text.trim() || undefined,
    () => undefined,
  );
  return { token, from: token === undefined ? 'none' : 'file', file, stateDirGiven };
}

/** Why there is no token, naming the file looked for, and what to do that the user has not done yet. */
export function missingTokenMessage(t: AdminToken): string {
  const other = t.stateDirGiven
    ? 'check that the control plane was started with this --state-dir (its log prints where its admin token is)'
    : 'pass --state-dir <dir> if anymesh up or control-plane was started with one';
  return `no admin token: ${t.file} does not exist, --token was not given and $ANYMESH_TOKEN is not set; ${other}, or pass --token <the content of that control plane's admin-token file>`;
}

/**
 * The control plane answered `status`: for 401 (no token sent) and 403 (not its admin token), which token it
 * refused and what to try instead, as a sentence to append; otherwise ''.
 */
export function tokenHint(status: number, t: AdminToken): string {
  return status === 401 || status === 403 ? `; ${refusedTokenMessage(t)}` : '';
}

/** Which token the control plane refused, and what to try instead. */
export function refusedTokenMessage(t: AdminToken): string {
  switch (t.from) {
    case 'flag':
      return `the control plane refused the token given with --token; use the content of its admin-token file (${t.file} if it runs from this state directory)`;
    case 'env':
      return `the control plane refused the token in $ANYMESH_TOKEN; unset it to use ${t.file}, or set it to the content of that control plane's admin-token file`;
    case 'file':
      return `the control plane refused the token read from ${t.file}, which belongs to another control plane (or an earlier one); ${
        t.stateDirGiven ? 'give the --state-dir' : 'pass --state-dir with the directory'
      } that control plane was started with, or --token`;
    case 'none':
      return missingTokenMessage(t);
  }
}

export function parsePort(value: string, flag: string, allowZero = false): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535 || (!allowZero && port === 0)) {
    throw new UsageError(`${flag} must be a port number ${allowZero ? 0 : 1}..65535, got "${value}"`);
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM; a second one is left to Node's default (exit at once). */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
