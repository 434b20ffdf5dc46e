import type { MeshName } from '@anymesh/adapters';

export type { MeshName };

/** The adapters' MESH_NAMES, repeated as a value here so the browser bundle does not pull in the adapters package. */
export const MESH_NAMES = ['istio', 'linkerd', 'consul'] as const satisfies readonly MeshName[];

export const MESH_LABELS: Record<MeshName, string> = { istio: 'Istio', linkerd: 'Linkerd', consul: 'Consul' };

export function asMesh(value: string | undefined, fallback: MeshName): MeshName {
  return MESH_NAMES.find((m) => m === value) ?? fallback;
}

export function MeshSelect({ id, label, value, onChange }: { id: string; label: string; value: MeshName; onChange(mesh: MeshName): void }) {
  return (
    <label htmlFor={id} className="inline">
      {label}{' '}
      <select id={id} value={value} onChange={(e) => onChange(asMesh(e.target.value, value))}>
        {MESH_NAMES.map((m) => (
          <option key={m} value={m}>
            {MESH_LABELS[m]}
          </option>
        ))}
      </select>
    </label>
  );
}
