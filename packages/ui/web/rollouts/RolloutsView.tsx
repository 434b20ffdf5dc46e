import { RolloutDetail } from './RolloutDetail.js';
import { RolloutList } from './RolloutList.js';
import { RolloutWizard } from './wizard/RolloutWizard.js';

/**
 * `#/rollouts` lists them, `#/rollouts?rollout=ns/name` shows one, `#/rollouts?new=1&page=…` is the
 * wizard (its choices so far in the link, so a half-filled wizard can be shared or reloaded).
 */
export function RolloutsView({ params }: { params: URLSearchParams }) {
  const selected = params.get('rollout');
  if (params.get('new') === '1') return <RolloutWizard params={params} />;
  if (selected) {
    const [namespace = '', name = ''] = selected.split('/');
    return <RolloutDetail key={selected} namespace={namespace} name={name} />;
  }
  return <RolloutList />;
}
