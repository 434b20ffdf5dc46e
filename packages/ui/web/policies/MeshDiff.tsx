import { useMemo } from 'react';
import { api } from '../app/api.js';
import { StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { diffLines } from './line-diff.js';
import { MESH_LABELS, MeshSelect, type MeshName } from './mesh-choice.js';

/** What changes between two meshes' translations of the same policies. */
export function MeshDiff({ left, right, onChange }: { left: MeshName; right: MeshName; onChange(left: MeshName, right: MeshName): void }) {
  const loaded = usePolled(
    () => Promise.all([api.translation.query({ mesh: left }), api.translation.query({ mesh: right })]),
    undefined,
    `${left}:${right}`,
  );
  const lines = useMemo(() => (loaded.status === 'ready' ? diffLines(loaded.data[0].yaml, loaded.data[1].yaml) : []), [loaded]);
  return (
    <section className="pane" aria-label="Diff between two meshes">
      <div className="pane-header">
        <MeshSelect id="diff-left" label="Compare" value={left} onChange={(m) => onChange(m, right)} />
        <MeshSelect id="diff-right" label="with" value={right} onChange={(m) => onChange(left, m)} />
      </div>
      <StateView loaded={loaded} what="the two translations">
        {() => (
          <pre className="diff" tabIndex={0} aria-label={`${MESH_LABELS[left]} (−) against ${MESH_LABELS[right]} (+)`}>
            {lines.map((l, i) => (
              <div key={i} className={`diff-${l.kind}`}>
                {l.kind === 'left' ? '− ' : l.kind === 'right' ? '+ ' : '  '}
                {l.text}
              </div>
            ))}
          </pre>
        )}
      </StateView>
    </section>
  );
}
