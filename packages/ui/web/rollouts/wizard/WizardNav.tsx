import type { Diagnostic, RolloutStrategyKind } from '@anymesh/core';
import { PAGE_TITLES, PAGES, pageOf, stepsTitle, type Page } from './wizard-model.js';

/** The pages in order; the current one marked, and how many errors each holds. */
export function WizardNav(props: {
  current: Page;
  strategy: RolloutStrategyKind;
  diagnostics: readonly Diagnostic[];
  onPage(page: Page): void;
}) {
  const { current, strategy, diagnostics, onPage } = props;
  return (
    <nav aria-label="Wizard steps">
      <ol className="wizard-nav">
        {PAGES.map((p, i) => {
          const errors = diagnostics.filter((d) => d.severity === 'error' && pageOf(d) === p).length;
          return (
            <li key={p}>
              <button type="button" aria-current={p === current ? 'step' : undefined} onClick={() => onPage(p)}>
                {i + 1}. {p === 'steps' ? stepsTitle(strategy) : PAGE_TITLES[p]}
                {errors > 0 && (
                  <span className="error-count">
                    {' '}
                    ({errors} {errors === 1 ? 'error' : 'errors'})
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
