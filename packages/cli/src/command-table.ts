import type { Command } from 'commander';

/** What a command module exports: it adds its command (flags, help, action) to the program. */
export type Register = (program: Command, result: { code: number }) => void;

/**
 * Every command, in help order: its name, the one-line summary `anymesh --help` lists, and how to load it.
 *
 * Why a table: a command's module pulls in what it runs (the adapters, the native mesh, the dashboard server,
 * OpenTelemetry, the CA, the schemas), and loading all of them cost ~0.5 s on every start. Only the command
 * that runs is loaded; the others appear in the top-level help by name and summary alone (the manifest idea of
 * oclif). A test checks each summary is the description its module registers, so the two cannot drift.
 */
export const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Register> }[] = [
  {
    name: 'validate',
    summary: 'check policy files: schema, references, weights, precedence, regexes, durations, conflicts',
    load: async () => (await import('./commands/validate.js')).registerValidate,
  },
  {
    name: 'version',
    summary: 'print the anymesh version and the policy API version it reads',
    load: async () => (await import('./commands/version.js')).registerVersion,
  },
  {
    name: 'up',
    summary: 'run the native mesh on this machine: control plane, every Workload with a sidecar, demo load, dashboard',
    load: async () => (await import('./commands/up.js')).registerUp,
  },
  {
    name: 'dashboard',
    summary: 'serve the dashboard: topology with live traffic, mesh comparison, policies with their translations',
    load: async () => (await import('./commands/dashboard.js')).registerDashboard,
  },
  {
    name: 'control-plane',
    summary: 'run the native-mesh control plane: instance registry, policy store, config distribution to sidecars',
    load: async () => (await import('./commands/control-plane.js')).registerControlPlane,
  },
  {
    name: 'proxy',
    summary: 'run one sidecar proxy in front of an app instance, configured by the native-mesh control plane',
    load: async () => (await import('./commands/proxy.js')).registerProxy,
  },
  {
    name: 'apply',
    summary: 'validate policies, then put them in force on a running mesh (replaces the whole policy set)',
    load: async () => (await import('./commands/apply.js')).registerApply,
  },
  {
    name: 'rollout',
    summary: 'drive progressive delivery on the native mesh: start, watch, promote, abort rollouts; plan one for any mesh',
    load: async () => (await import('./commands/rollout.js')).registerRollout,
  },
  {
    name: 'translate',
    summary: "translate policies into one mesh's configuration: manifests on stdout, diagnostics on stderr",
    load: async () => (await import('./commands/translate.js')).registerTranslate,
  },
  {
    name: 'capabilities',
    summary: 'what each mesh can express, feature by feature (from the adapters and the native mesh themselves)',
    load: async () => (await import('./commands/capabilities.js')).registerCapabilities,
  },
  {
    name: 'tap',
    summary: "stream live requests through a service's sidecars on the native mesh (like linkerd viz tap)",
    load: async () => (await import('./commands/tap.js')).registerTap,
  },
  {
    name: 'join-token',
    summary: 'print the join token a hand-started sidecar (anymesh proxy) needs for its first mTLS certificate',
    load: async () => (await import('./commands/join-token.js')).registerJoinToken,
  },
];

/**
 * The command `argv` runs, or undefined (top-level help, version, or no command). Global options take no
 * value, so the first operand is the command; `help <command>` names it second.
 */
export function commandNameOf(argv: readonly string[]): string | undefined {
  const operands = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).filter((a) => !a.startsWith('-'));
  return operands[0] === 'help' ? operands[1] : operands[0];
}
