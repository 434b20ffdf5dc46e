import type { Diagnostic, RolloutStrategyKind } from '@anymesh/core';
import { useState } from 'react';
import type { RolloutDraft, WizardOptions } from '../../../src/server/api-types.js';
import { api } from '../../app/api.js';
import { routeHref, setRouteParams } from '../../app/route.js';
import { DiagnosticList } from '../../primitives/DiagnosticList.js';
import { StateView } from '../../primitives/StateView.js';
import { usePolled } from '../../primitives/use-polled.js';
import { AnalysisPage } from './AnalysisPage.js';
import { CanarySteps } from './CanarySteps.js';
import { CohortEditor } from './CohortEditor.js';
import { PreviewSettings } from './PreviewSettings.js';
import { ReviewPage } from './ReviewPage.js';
import { ServicePage } from './ServicePage.js';
import { StrategyPage } from './StrategyPage.js';
import { useReview } from './use-review.js';
import { VersionsPage } from './VersionsPage.js';
import { WizardNav } from './WizardNav.js';
import { asPage, asStrategy, defaultDraft, PAGES, type Page } from './wizard-model.js';

export function RolloutWizard({ params }: { params: URLSearchParams }) {
  // Live instance counts and current values, refreshed while the wizard is open.
  const options = usePolled(() => api.rollouts.wizardOptions.query(), 3_000, 'wizard-options');
  return (
    <StateView loaded={options} what="the services">
      {(o) => <Wizard options={o} params={params} />}
    </StateView>
  );
}

/** The choices that make a deep link (`#/rollouts?new=1&page=steps&service=bookstore/reviews&from=v1&to=v3`). */
function linkOf(params: URLSearchParams) {
  return {
    page: asPage(params.get('page')),
    service: params.get('service') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    strategy: asStrategy(params.get('strategy')),
  };
}

function Wizard({ options, params }: { options: WizardOptions; params: URLSearchParams }) {
  const link = linkOf(params);
  const service = options.services.find((s) => s.id === link.service || s.name === link.service);
  const [rest, setRest] = useState<RolloutDraft>(() => defaultDraft(service, link.from, link.to, link.strategy));
  const draft: RolloutDraft = {
    ...rest,
    namespace: service?.namespace ?? rest.namespace,
    service: service?.name ?? '',
    from: link.from,
    to: link.to,
    strategy: link.strategy,
    name: rest.name || (service && link.to ? `${service.name}-${link.to}` : ''),
  };
  const { review, current, problem } = useReview(draft, link.page === 'review');
  const [started, setStarted] = useState<{ diagnostics: readonly Diagnostic[]; message?: string | undefined } | undefined>();
  const diagnostics = review?.diagnostics ?? [];
  const go = (change: Partial<typeof link>) =>
    setRouteParams('rollouts', { new: '1', ...link, ...change, service: (change.service ?? service?.id ?? link.service) || undefined });
  const change = (c: Partial<RolloutDraft>) => setRest((r) => ({ ...r, ...c }));
  const index = PAGES.indexOf(link.page);
  const start = () => {
    api.rollouts.start.mutate(draft).then(
      (outcome) => {
        if (outcome.started) window.location.hash = routeHref('rollouts', { rollout: `${outcome.namespace}/${outcome.name}` });
        else setStarted({ diagnostics: outcome.diagnostics, message: outcome.message });
      },
      (error: unknown) => setStarted({ diagnostics: [], message: error instanceof Error ? error.message : String(error) }),
    );
  };
  const needsService = index > 0 && !service;
  return (
    <section className="wizard" aria-label="New rollout">
      <h2>New rollout{draft.name ? `: ${draft.name}` : ''}</h2>
      <WizardNav current={link.page} strategy={link.strategy} diagnostics={diagnostics} onPage={(page) => go({ page })} />
      {problem && <p className="banner banner-warn">Could not validate: {problem}</p>}
      {needsService ? (
        <p className="state">
          Pick a service first: <a href={routeHref('rollouts', { new: '1' })}>back to the first page</a>.
        </p>
      ) : (
        <>
          {link.page === 'service' && (
            <ServicePage
              options={options}
              service={service?.id ?? ''}
              diagnostics={diagnostics}
              onService={(id) => go({ service: id, from: '', to: '' })}
            />
          )}
          {link.page === 'versions' && service && (
            <VersionsPage
              service={service}
              from={link.from}
              to={link.to}
              live={options.live}
              diagnostics={diagnostics}
              onChange={(from, to) => go({ from, to })}
            />
          )}
          {link.page === 'strategy' && (
            <StrategyPage
              strategy={link.strategy}
              diagnostics={diagnostics}
              onChange={(strategy: RolloutStrategyKind) => go({ strategy })}
            />
          )}
          {link.page === 'steps' && link.strategy === 'canary' && (
            <CanarySteps steps={rest.steps} to={link.to} diagnostics={diagnostics} onChange={(steps) => change({ steps })} />
          )}
          {link.page === 'steps' && link.strategy === 'abTest' && (
            <CohortEditor
              cohort={rest.cohort}
              iterations={rest.iterations}
              diagnostics={diagnostics}
              onChange={(cohort, iterations) => change({ cohort, iterations })}
            />
          )}
          {link.page === 'steps' && link.strategy === 'blueGreen' && (
            <PreviewSettings value={rest} diagnostics={diagnostics} onChange={change} />
          )}
          {link.page === 'analysis' && (
            <AnalysisPage
              value={rest}
              stable={service?.versions.find((v) => v.name === link.from)}
              diagnostics={diagnostics}
              onChange={change}
            />
          )}
          {link.page === 'review' &&
            (review && current ? (
              <ReviewPage review={review} from={link.from} to={link.to} />
            ) : (
              <p className="state" role="status">
                Validating…
              </p>
            ))}
        </>
      )}
      <div className="wizard-buttons">
        <button type="button" disabled={index === 0} onClick={() => go({ page: PAGES[index - 1] as Page })}>
          Back
        </button>
        {link.page !== 'review' ? (
          <button
            type="button"
            className="primary"
            disabled={index === 0 && !service}
            onClick={() => go({ page: PAGES[index + 1] as Page })}
          >
            Next
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!current || !review?.valid || options.cannotStart !== undefined}
            onClick={start}
          >
            Start rollout
          </button>
        )}
        {link.page === 'review' && options.cannotStart && <span className="muted">{options.cannotStart}</span>}
      </div>
      {started && (
        <div role="alert" className="start-outcome">
          <p>{started.message ?? 'The rollout did not start.'}</p>
          <DiagnosticList diagnostics={started.diagnostics} />
        </div>
      )}
    </section>
  );
}
