import { useState } from 'react';
import type { CapabilityMatrixView } from '../../src/server/api-types.js';
import { EmptyState } from '../primitives/StateView.js';

const SYMBOL = { full: '●', partial: '◐', none: '○' } as const;

/** Features × meshes, full/partial/none with each adapter's note; filterable to the gaps. */
export function CapabilityTable({ matrix }: { matrix: CapabilityMatrixView }) {
  const [onlyGaps, setOnlyGaps] = useState(false);
  const rows = onlyGaps ? matrix.rows.filter((r) => Object.values(r.support).some((c) => c.level !== 'full')) : matrix.rows;
  return (
    <>
      {matrix.missing.length > 0 && (
        <ul className="banner" aria-label="Columns not available">
          {matrix.missing.map((m) => (
            <li key={m.id}>
              <strong>{m.id}</strong>: {m.reason}
            </li>
          ))}
        </ul>
      )}
      {matrix.columns.length === 0 ? (
        <EmptyState title="No adapter data">
          <p>This build has no mesh adapter yet; rebuild with `pnpm install` once @anymesh/adapters exports its adapters.</p>
        </EmptyState>
      ) : (
        <>
          <label className="inline">
            <input type="checkbox" checked={onlyGaps} onChange={(e) => setOnlyGaps(e.target.checked)} /> Only features some mesh lacks
          </label>
          <div className="table-scroll">
            <table className="capabilities">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  {matrix.columns.map((c) => (
                    <th key={c.id} scope="col">
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.feature} data-feature={r.feature}>
                    <th scope="row" title={r.description}>
                      <code>{r.feature}</code>
                    </th>
                    {matrix.columns.map((c) => {
                      const cap = r.support[c.id];
                      return (
                        <td key={c.id} className={`level-${cap?.level ?? 'unknown'}`} data-mesh={c.id}>
                          <span aria-hidden="true">{cap ? SYMBOL[cap.level] : '?'}</span> {cap?.level ?? 'unknown'}
                          {cap?.note && <div className="note">{cap.note}</div>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
