import type { MeshGapReport } from '../../src/server/api-types.js';
import { EmptyState } from '../primitives/StateView.js';

/** Per mesh, each loaded policy feature it would lose or approximate, with the diagnostic and the mesh's note. */
export function PolicyGaps({ reports }: { reports: readonly MeshGapReport[] }) {
  if (reports.length === 0) {
    return (
      <EmptyState title="No mesh adapter available">
        <p>This build has no adapter to translate with; the report appears when @anymesh/adapters exports its adapters.</p>
      </EmptyState>
    );
  }
  return (
    <div className="gap-columns">
      {reports.map((r) => (
        <section key={r.mesh} className="gap-mesh" aria-label={`${r.displayName}: what your policies lose`} data-mesh={r.mesh}>
          <h2>{r.displayName}</h2>
          {r.gaps.length > 0 && (
            <p className="muted">
              {r.gaps.filter((g) => g.kind === 'lost').length} lost, {r.gaps.filter((g) => g.kind === 'approximated').length} approximated
            </p>
          )}
          {r.problem && (
            <p className="state-error" role="alert">
              {r.problem}
            </p>
          )}
          {!r.problem && r.gaps.length === 0 && <p className="ok">Everything in your policies translates exactly.</p>}
          <ul className="gaps">
            {r.gaps.map((g, i) => (
              <li key={i} className={`gap gap-${g.kind}`} data-feature={g.feature}>
                <span className={`badge gap-${g.kind}`}>{g.kind}</span> <code>{g.feature ?? g.diagnostic.code}</code>
                {g.object && <span className="muted"> in {g.object}</span>}
                <div className="gap-path">
                  {g.diagnostic.code} at <code>{g.diagnostic.path || '(object)'}</code> ({g.diagnostic.file.split('/').at(-1)}:
                  {g.diagnostic.line})
                </div>
                <div className="gap-message">{g.diagnostic.message}</div>
                {g.note && <div className="note">Mesh note: {g.note}</div>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
