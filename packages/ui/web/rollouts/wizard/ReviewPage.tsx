import type { Diagnostic } from '@anymesh/core';
import { useState } from 'react';
import type { RolloutReview } from '../../../src/server/api-types.js';
import { DiagnosticList } from '../../primitives/DiagnosticList.js';
import { YamlView } from '../../primitives/YamlView.js';
import { trafficText } from '../rollout-format.js';

/** The neutral Rollout, the stages it goes through, and each mesh's configuration for the first one. */
export function ReviewPage({ review, from, to }: { review: RolloutReview; from: string; to: string }) {
  const meshes = review.firstStage?.meshes ?? [];
  const [mesh, setMesh] = useState(meshes[0]?.mesh ?? 'istio');
  const shown = meshes.find((m) => m.mesh === mesh) ?? meshes[0];
  return (
    <div className="wizard-page review">
      <section className="pane" aria-label="Rollout YAML">
        <h3>Rollout</h3>
        <DiagnosticList diagnostics={review.diagnostics} empty="Valid: anymesh validate finds nothing." />
        <YamlView text={review.yaml} diagnostics={review.diagnostics} label={`Neutral YAML of ${review.file}`} />
        {review.stages.length > 0 && (
          <>
            <h3>Stages</h3>
            <ol className="stages">
              {review.stages.map((s, i) => (
                <li key={i}>
                  {s.label}: {trafficText(s.traffic, from, to)}
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      {review.firstStage && (
        <section className="pane" aria-label="First stage on each mesh">
          <h3>{review.firstStage.label}: what each mesh is given</h3>
          <div role="tablist" aria-label="Mesh" className="tabs">
            {meshes.map((m) => (
              <button key={m.mesh} type="button" role="tab" aria-selected={m.mesh === shown?.mesh} onClick={() => setMesh(m.mesh)}>
                {m.displayName}
                {m.diagnostics.some((d) => d.severity !== 'info') ? ' ⚠' : ''}
              </button>
            ))}
          </div>
          {shown && (
            <div role="tabpanel" aria-label={`${shown.displayName} configuration for the first stage`}>
              {shown.problem && <p className="state-error">{shown.problem}</p>}
              <MeshFindings diagnostics={shown.diagnostics} routeFile={review.firstStage.file} mesh={shown.displayName} />
              <YamlView text={shown.yaml} label={`${shown.displayName} manifests for the first stage`} />
            </div>
          )}
          <details>
            <summary>The neutral TrafficRoute of the first stage</summary>
            <YamlView text={review.firstStage.routeYaml} label="Neutral TrafficRoute of the first stage" />
          </details>
        </section>
      )}
    </div>
  );
}

/**
 * The findings about the rollout's route first (what this rollout changes); those about the service
 * and its TrafficPolicies, which hold with or without the rollout, folded below.
 */
function MeshFindings({ diagnostics, routeFile, mesh }: { diagnostics: readonly Diagnostic[]; routeFile: string; mesh: string }) {
  const route = diagnostics.filter((d) => d.file === routeFile);
  const rest = diagnostics.filter((d) => d.file !== routeFile);
  return (
    <>
      <DiagnosticList diagnostics={route} empty={`${mesh} expresses the route of this stage exactly.`} />
      {rest.length > 0 && (
        <details className="findings">
          <summary>{rest.length} findings about the service and its TrafficPolicies (with or without the rollout)</summary>
          <DiagnosticList diagnostics={rest} />
        </details>
      )}
    </>
  );
}
