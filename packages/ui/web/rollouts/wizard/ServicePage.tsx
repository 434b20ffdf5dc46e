import type { Diagnostic } from '@anymesh/core';
import type { WizardOptions } from '../../../src/server/api-types.js';
import { routeHref } from '../../app/route.js';
import { FieldDiagnostics } from './FieldDiagnostics.js';

/** Pick the service; each one says how many versions it has and whether a rollout of it is already running. */
export function ServicePage(props: {
  options: WizardOptions;
  service: string;
  onService(id: string): void;
  diagnostics: readonly Diagnostic[];
}) {
  const { options, service, onService, diagnostics } = props;
  return (
    <fieldset className="wizard-page">
      <legend>Which service gets a new version?</legend>
      <div className="choice-list">
        {options.services.map((s) => (
          <label key={s.id} className="choice">
            <input type="radio" name="service" value={s.id} checked={service === s.id} onChange={() => onService(s.id)} />
            <strong>{s.name}</strong> <span className="muted">{s.namespace}</span>{' '}
            <span className="muted">
              {s.versions.length} versions ({s.versions.map((v) => v.name).join(', ')})
            </span>
            {s.activeRollout && (
              <span className="banner-warn inline-note">
                {' '}
                a rollout is running: <a href={routeHref('rollouts', { rollout: s.activeRollout })}>{s.activeRollout}</a>
              </span>
            )}
          </label>
        ))}
      </div>
      <FieldDiagnostics field="service" diagnostics={diagnostics} />
      <FieldDiagnostics field="name" diagnostics={diagnostics} />
    </fieldset>
  );
}
