import { CompareView } from '../compare/CompareView.js';
import { PoliciesView } from '../policies/PoliciesView.js';
import { RolloutsView } from '../rollouts/RolloutsView.js';
import { TopologyView } from '../topology/TopologyView.js';
import { routeHref, useRoute, VIEWS, type ViewName } from './route.js';

const TITLES: Record<ViewName, string> = { topology: 'Topology', rollouts: 'Rollouts', compare: 'Compare meshes', policies: 'Policies' };

export function App() {
  const route = useRoute();
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">anymesh</span>
        <nav aria-label="Views">
          {VIEWS.map((v) => (
            <a key={v} href={routeHref(v)} aria-current={route.view === v ? 'page' : undefined}>
              {TITLES[v]}
            </a>
          ))}
        </nav>
      </header>
      <main className="app-main">
        {route.view === 'topology' && (
          <TopologyView selected={route.params.get('service') ?? undefined} edge={route.params.get('edge') ?? undefined} />
        )}
        {route.view === 'rollouts' && <RolloutsView params={route.params} />}
        {route.view === 'compare' && <CompareView />}
        {route.view === 'policies' && (
          <PoliciesView
            file={route.params.get('file') ?? undefined}
            mesh={route.params.get('mesh') ?? undefined}
            tab={route.params.get('tab') ?? undefined}
            other={route.params.get('other') ?? undefined}
            object={route.params.get('object') ?? undefined}
          />
        )}
      </main>
    </div>
  );
}
