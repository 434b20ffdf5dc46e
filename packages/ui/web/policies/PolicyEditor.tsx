import { useState } from 'react';
import type { ApplyOutcome, PolicyFile } from '../../src/server/api-types.js';
import { api } from '../app/api.js';
import { DiagnosticList } from '../primitives/DiagnosticList.js';

type Outcome = { readonly kind: 'result'; readonly result: ApplyOutcome } | { readonly kind: 'error'; readonly message: string };

/**
 * Edits one policy file and applies the whole set to the native mesh. The server validates with
 * core first; on any error nothing is sent and the diagnostics are shown here.
 */
export function PolicyEditor({ file, onApplied }: { file: PolicyFile; onApplied(): void }) {
  const [text, setText] = useState(file.text);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const name = file.file.split('/').at(-1) ?? file.file;

  const apply = () => {
    setBusy(true);
    api.applyPolicy.mutate({ file: file.file, text }).then(
      (result) => {
        setOutcome({ kind: 'result', result });
        setBusy(false);
        if (result.applied) onApplied();
      },
      (error: unknown) => {
        setOutcome({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
        setBusy(false);
      },
    );
  };

  return (
    <section className="pane editor" aria-label="Policy editor">
      <label htmlFor="policy-editor">Edit {name}</label>
      <textarea id="policy-editor" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={24} />
      <div className="actions">
        <button type="button" onClick={apply} disabled={busy}>
          {busy ? 'Validating…' : 'Validate and apply to the native mesh'}
        </button>
        <button type="button" onClick={() => setText(file.text)} disabled={busy || text === file.text}>
          Revert
        </button>
      </div>
      <div role="status" aria-live="polite" className="apply-outcome">
        {outcome?.kind === 'error' && <p className="state-error">Not applied: {outcome.message}</p>}
        {outcome?.kind === 'result' && outcome.result.applied && (
          <p className="ok">Applied: the native mesh runs config version {outcome.result.version}. Your file on disk is unchanged.</p>
        )}
        {outcome?.kind === 'result' && !outcome.result.applied && (
          <>
            <p className="state-error">Not applied: fix these and try again. Nothing changed in the mesh.</p>
            <DiagnosticList diagnostics={outcome.result.diagnostics.filter((d) => d.severity === 'error')} />
          </>
        )}
      </div>
    </section>
  );
}
