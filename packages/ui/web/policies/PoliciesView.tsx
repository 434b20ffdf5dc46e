import type { Diagnostic } from '@anymesh/core';
import { useState } from 'react';
import { api } from '../app/api.js';
import { setRouteParams } from '../app/route.js';
import { DiagnosticList } from '../primitives/DiagnosticList.js';
import { EmptyState, StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { YamlView } from '../primitives/YamlView.js';
import { asMesh } from './mesh-choice.js';
import { MeshDiff } from './MeshDiff.js';
import { PolicyEditor } from './PolicyEditor.js';
import { PolicyFileList, pickFile } from './PolicyFileList.js';
import { TranslationPane } from './TranslationPane.js';

const TABS = [
  ['translation', 'Translation'],
  ['diff', 'Diff two meshes'],
  ['edit', 'Edit and apply'],
] as const;
type Tab = (typeof TABS)[number][0];

export interface PoliciesParams {
  readonly file?: string | undefined;
  readonly mesh?: string | undefined;
  readonly tab?: string | undefined;
  readonly other?: string | undefined;
  readonly object?: string | undefined;
}

export function PoliciesView(params: PoliciesParams) {
  const loaded = usePolled(() => api.policies.query(), 5_000, 'policies');
  const [meshFindings, setMeshFindings] = useState<readonly Diagnostic[]>([]);
  const mesh = asMesh(params.mesh, 'istio');
  const tab: Tab = TABS.find(([t]) => t === params.tab)?.[0] ?? 'translation';
  const go = (change: Partial<PoliciesParams>) => setRouteParams('policies', { ...params, object: undefined, ...change });
  return (
    <StateView loaded={loaded} what="the policies">
      {(view) => {
        if (view.files.length === 0) {
          return (
            <EmptyState title="No policy files">
              <p>
                {view.policyDir} holds no <code>*.yaml</code>, <code>*.yml</code> or <code>*.json</code> file. Start the dashboard on a
                directory of anymesh policies, e.g. <code>anymesh dashboard examples/bookstore</code>.
              </p>
              <DiagnosticList diagnostics={view.diagnostics} />
            </EmptyState>
          );
        }
        const file = pickFile(view.files, params.file, params.object);
        const own = view.diagnostics.filter((d) => d.file === file.file);
        // What the chosen mesh loses or approximates, on the neutral lines it comes from.
        const lost = tab === 'translation' ? meshFindings.filter((d) => d.file === file.file && d.severity !== 'info') : [];
        const version = view.files.map((f) => f.text.length).join(',');
        return (
          <div className="policies">
            <PolicyFileList view={view} selected={file.file} onSelect={(f) => go({ file: f })} />
            <section className="pane" aria-label={`Neutral policy ${file.file}`}>
              <h2>{file.file.split('/').at(-1)}</h2>
              {file.editedInDashboard && <p className="banner">Applied from the dashboard; the file on disk differs.</p>}
              <DiagnosticList diagnostics={own} empty="No findings in this file." />
              <YamlView text={file.text} diagnostics={[...own, ...lost]} label={`Neutral YAML of ${file.file}`} />
            </section>
            <div className="pane-stack">
              <div role="tablist" aria-label="Side by side" className="tabs">
                {TABS.map(([t, label]) => (
                  <button key={t} type="button" role="tab" aria-selected={t === tab} onClick={() => go({ tab: t })}>
                    {label}
                  </button>
                ))}
              </div>
              {tab === 'translation' && (
                <TranslationPane mesh={mesh} onMesh={(m) => go({ mesh: m })} version={version} onFindings={setMeshFindings} />
              )}
              {tab === 'diff' && (
                <MeshDiff left={mesh} right={asMesh(params.other, 'linkerd')} onChange={(l, r) => go({ mesh: l, other: r })} />
              )}
              {tab === 'edit' && <PolicyEditor key={`${file.file}:${file.text.length}`} file={file} onApplied={loaded.refresh} />}
            </div>
          </div>
        );
      }}
    </StateView>
  );
}
