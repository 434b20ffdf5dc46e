import { resolve, sep } from 'node:path';
import { formatDiagnostic, hasErrors, loadPolicies, namespaceOf, STDIN_NAME, type LoadedObject, type Rollout } from '@anymesh/core';
import { manifestsToYaml } from '@anymesh/adapters';
import { UsageError } from '../../errors.js';
import { adapterOption } from '../../mesh-option.js';
import { parseFormat, readStdin, summary, writeDiagnosticsText } from '../../output.js';
import { EXIT } from './exit-codes.js';
import { planStages, type StagePlan } from './plan-stages.js';

export const PLAN_MESHES = ['istio', 'linkerd', 'consul', 'native'] as const;

interface PlanFlags {
  filename: string[];
  mesh?: string;
  output: string;
  all?: boolean;
}

/** `rollout plan`: loads the Rollout and the policies, prints every stage's configuration; sends nothing anywhere. */
export async function planCommand(name: string | undefined, opts: PlanFlags): Promise<number> {
  const format = parseFormat(opts.output, ['yaml', 'json'] as const);
  if (opts.mesh === undefined) throw new UsageError(`rollout plan needs --mesh: one of ${PLAN_MESHES.join(', ')}`);
  const adapter = opts.mesh === 'native' ? undefined : await adapterOption(opts.mesh, 'rollout plan');
  if (opts.filename.length === 0) throw new UsageError('rollout plan needs -f <rollout file> (and -f <the policies it applies to>)');
  const loaded = await loadPolicies(opts.filename, { readStdin });
  if (!loaded.valid) {
    writeDiagnosticsText(loaded.diagnostics);
    process.stderr.write(`invalid: ${summary(loaded.diagnostics)}; nothing planned\n`);
    return EXIT.failed;
  }
  const rollout = rolloutToPlan(loaded.set.rollouts, name, opts.filename[0]!);
  const stages = planStages(loaded.set, rollout, { adapter, all: opts.all === true });
  const mesh = adapter?.name ?? 'native';
  const title = `${namespaceOf(rollout.object)}/${rollout.object.metadata.name}`;
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ rollout: title, mesh, stages }, null, 2)}\n`);
  } else {
    const spec = rollout.object.spec;
    process.stdout.write(`# Rollout ${title} on ${mesh}: ${spec.service} ${spec.from} -> ${spec.to}, ${stages.length} stages\n`);
    stages.forEach((stage, i) => process.stdout.write(stageYaml(stage, i, stages.length)));
  }
  const findings = stages.flatMap((s) => s.diagnostics);
  process.stderr.write(`planned ${title} for ${mesh}: ${stages.length} stages, ${summary(findings)}\n`);
  return hasErrors(findings) ? EXIT.failed : EXIT.ok;
}

/** The stage as YAML: a comment header with its label (the traffic in force) and findings, then its manifests. */
function stageYaml(stage: StagePlan, index: number, count: number): string {
  const header = [`# Stage ${index + 1}/${count}: ${stage.label}`, ...stage.diagnostics.map((d) => `# ${formatDiagnostic(d)}`)];
  return `${header.join('\n')}\n${manifestsToYaml(stage.manifests)}`;
}

/** The Rollout named, else the only one defined in the first -f path. */
function rolloutToPlan(rollouts: readonly LoadedObject<Rollout>[], name: string | undefined, first: string): LoadedObject<Rollout> {
  const named = (r: LoadedObject<Rollout>) => `${namespaceOf(r.object)}/${r.object.metadata.name}`;
  if (name !== undefined) {
    const found = rollouts.find((r) => named(r) === name || r.object.metadata.name === name);
    if (found) return found;
    throw new UsageError(
      `no Rollout ${name} in the files given${rollouts.length > 0 ? ` (there are: ${rollouts.map(named).join(', ')})` : ''}`,
    );
  }
  const inFirst = rollouts.filter((r) => isUnder(r.source.file, first));
  if (inFirst.length === 1) return inFirst[0]!;
  if (inFirst.length === 0) throw new UsageError(`${first} holds no Rollout; the first -f names the Rollout file`);
  throw new UsageError(`${first} holds ${inFirst.length} Rollouts (${inFirst.map(named).join(', ')}); name the one to plan`);
}

/** Whether a loaded file came from the path given with -f (the file itself, a file in that directory, or stdin). */
function isUnder(file: string, path: string): boolean {
  if (path === '-') return file === STDIN_NAME;
  const [f, p] = [resolve(file), resolve(path)];
  return f === p || f.startsWith(p.endsWith(sep) ? p : `${p}${sep}`);
}
