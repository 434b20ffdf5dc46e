import {
  buildPolicySet,
  checkPolicySet,
  namespaceOf,
  objectRef,
  parseDocuments,
  sortDiagnostics,
  hasErrors,
  validateSchemas,
  type Diagnostic,
  type LoadedObject,
  type PolicySet,
  type Rollout,
  type SourceText,
} from '@anymesh/core';
import type { RolloutDraft, RolloutReview } from '../api-types.js';
import type { DashboardContext } from '../context.js';
import { draftToRollout, rolloutYaml } from './draft.js';
import { firstStageOnEveryMesh, stagesOf } from './step-one.js';

/** The wizard's rollout as a file, under a name that says where it came from. */
export function draftSource(draft: RolloutDraft): SourceText {
  return { file: `dashboard/${draft.name || 'rollout'}.yaml`, text: rolloutYaml(draftToRollout(draft)) };
}

export interface CheckedRollout {
  readonly source: SourceText;
  readonly diagnostics: readonly Diagnostic[];
  readonly valid: boolean;
  /** The policies with the rollout in them (a Rollout of the same name from the directory replaced), when it parsed. */
  readonly set: PolicySet;
  readonly rollout: LoadedObject<Rollout> | undefined;
}

/**
 * Validates the rollout exactly as `anymesh validate` would with it beside the policy directory:
 * parse, schema, then every semantic check on the whole set. A Rollout of the same name is replaced,
 * as `POST /v1/rollouts` does; findings about other files are not the wizard's and are left out.
 */
export async function checkDraft(ctx: DashboardContext, draft: RolloutDraft): Promise<CheckedRollout> {
  const source = draftSource(draft);
  const parsed = parseDocuments(source);
  const schema = validateSchemas(parsed.documents);
  const own = schema.objects.filter((o): o is LoadedObject<Rollout> => o.object.kind === 'Rollout');
  const { result } = await ctx.policies.snapshot();
  const replaced = new Set(own.map((o) => objectRef(o.object)));
  const kept = result.set.objects.filter((o) => !(o.object.kind === 'Rollout' && replaced.has(objectRef(o.object))));
  const set = buildPolicySet([...kept, ...schema.objects]);
  const checks = checkPolicySet(set).filter((d) => d.file === source.file);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...schema.diagnostics, ...checks]);
  return { source, diagnostics, valid: !hasErrors(diagnostics) && own.length === 1, set, rollout: own[0] };
}

/** The wizard's review: the YAML, its diagnostics, its stages and (when asked) each mesh's first step. */
export async function reviewDraft(ctx: DashboardContext, draft: RolloutDraft, withMeshes: boolean): Promise<RolloutReview> {
  const checked = await checkDraft(ctx, draft);
  const rollout = checked.valid ? checked.rollout : undefined;
  return {
    file: checked.source.file,
    yaml: checked.source.text,
    diagnostics: checked.diagnostics,
    valid: checked.valid,
    stages: rollout ? stagesOf(rollout.object) : [],
    firstStage: rollout && withMeshes ? firstStageOnEveryMesh(ctx.catalog, checked.set, rollout.object) : undefined,
  };
}

export const rolloutId = (r: Rollout) => `${namespaceOf(r)}/${r.metadata.name}`;
