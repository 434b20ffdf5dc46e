import type { Diagnostic } from '@anymesh/core';
import { useEffect } from 'react';
import { api } from '../app/api.js';
import { CopyButton, DownloadButton } from '../primitives/CopyDownload.js';
import { DiagnosticList } from '../primitives/DiagnosticList.js';
import { StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { YamlView } from '../primitives/YamlView.js';
import { MeshSelect, type MeshName } from './mesh-choice.js';

/** The translation of all loaded policies for one mesh, with its diagnostics. */
export interface TranslationPaneProps {
  readonly mesh: MeshName;
  readonly version: string;
  onMesh(mesh: MeshName): void;
  /** Hands the translation's findings up, so the neutral YAML can show them on their lines. */
  onFindings(findings: readonly Diagnostic[]): void;
}

export function TranslationPane({ mesh, onMesh, version, onFindings }: TranslationPaneProps) {
  const loaded = usePolled(() => api.translation.query({ mesh }), undefined, `${mesh}:${version}`);
  const findings = loaded.status === 'ready' ? loaded.data.diagnostics : undefined;
  useEffect(() => onFindings(findings ?? []), [findings, onFindings]);
  return (
    <section className="pane" aria-label={`Translation for ${mesh}`}>
      <div className="pane-header">
        <MeshSelect id="translation-mesh" label="Translate for" value={mesh} onChange={onMesh} />
        {loaded.status === 'ready' && (
          <span className="actions">
            <CopyButton text={loaded.data.yaml} label={`Copy the ${loaded.data.displayName} translation`} />
            <DownloadButton text={loaded.data.yaml} fileName={`anymesh-${mesh}.yaml`} />
          </span>
        )}
      </div>
      <StateView loaded={loaded} what={`the ${mesh} translation`}>
        {(t) => (
          <>
            <p className="muted">
              {t.manifestCount} {t.displayName} objects
            </p>
            {t.diagnostics.length > 0 && (
              // Collapsed so the manifests stay in view; the summary says whether anything needs a look.
              <details className="findings">
                <summary>
                  {t.diagnostics.length} translation findings: {t.diagnostics.filter((d) => d.severity !== 'info').length} warnings or
                  errors, {t.diagnostics.filter((d) => d.severity === 'info').length} assumptions
                </summary>
                <DiagnosticList diagnostics={t.diagnostics} />
              </details>
            )}
            <YamlView text={t.yaml} label={`${t.displayName} manifests`} />
          </>
        )}
      </StateView>
    </section>
  );
}
