import { api } from '../app/api.js';
import { StateView } from '../primitives/StateView.js';
import { usePolled } from '../primitives/use-polled.js';
import { CapabilityTable } from './CapabilityTable.js';
import { PolicyGaps } from './PolicyGaps.js';

export function CompareView() {
  const matrix = usePolled(() => api.capabilities.query(), undefined, 'capabilities');
  const gaps = usePolled(() => api.gaps.query(), 10_000, 'gaps');
  return (
    <div className="compare">
      <section aria-labelledby="gaps-title">
        <h1 id="gaps-title">For my policies</h1>
        <p className="muted">
          What each mesh would lose or only approximate of the policies loaded now, from its translation's diagnostics.
        </p>
        <StateView loaded={gaps} what="the per-mesh report">
          {(reports) => <PolicyGaps reports={reports} />}
        </StateView>
      </section>
      <section aria-labelledby="matrix-title">
        <h1 id="matrix-title">Capability matrix</h1>
        <StateView loaded={matrix} what="the capability matrix">
          {(m) => <CapabilityTable matrix={m} />}
        </StateView>
      </section>
    </div>
  );
}
