import type { PoliciesView, PolicyFile } from '../../src/server/api-types.js';

/** The file to show: the one named in the URL, else the one declaring the linked object, else the first. */
export function pickFile(files: readonly PolicyFile[], wanted: string | undefined, object: string | undefined): PolicyFile {
  const first = files[0];
  if (!first) throw new Error('pickFile needs at least one file');
  const byName = files.find((f) => f.file === wanted || f.file.split('/').at(-1) === wanted);
  if (byName) return byName;
  const [kind, , name] = (object ?? '').split('/');
  const declaring =
    kind && name ? files.find((f) => f.text.includes(`kind: ${kind}`) && new RegExp(`name:\\s*${name}\\b`).test(f.text)) : undefined;
  return declaring ?? first;
}

export function PolicyFileList({ view, selected, onSelect }: { view: PoliciesView; selected: string; onSelect(file: string): void }) {
  return (
    <nav className="file-list" aria-label="Policy files">
      <p className="muted">{view.policyDir}</p>
      <p className={view.valid ? 'ok' : 'state-error'}>{view.valid ? 'All policies valid' : 'The policies have errors'}</p>
      <ul>
        {view.files.map((f) => {
          const count = view.diagnostics.filter((d) => d.file === f.file && d.severity !== 'info').length;
          return (
            <li key={f.file}>
              <button type="button" aria-pressed={f.file === selected} onClick={() => onSelect(f.file.split('/').at(-1) ?? f.file)}>
                {f.file.split('/').at(-1)}
                {count > 0 && <span className="badge gap-lost">{count}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
