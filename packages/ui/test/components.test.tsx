// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapabilityMatrixView, MeshGapReport } from '../src/server/api-types.js';
import { CapabilityTable } from '../web/compare/CapabilityTable.js';
import { PolicyGaps } from '../web/compare/PolicyGaps.js';
import { YamlView } from '../web/primitives/YamlView.js';
import { ServiceList } from '../web/topology/ServiceList.js';
import { ServicePanel } from '../web/topology/ServicePanel.js';
import { generateTopology } from './fixtures/topology-300.js';

afterEach(cleanup);

const matrix: CapabilityMatrixView = {
  columns: [
    { id: 'istio', label: 'Istio' },
    { id: 'linkerd', label: 'Linkerd' },
  ],
  rows: [
    {
      feature: 'mirror',
      description: 'Mirror',
      support: { istio: { level: 'full', note: '' }, linkerd: { level: 'none', note: 'no mirroring' } },
    },
    { feature: 'redirect', description: 'Redirect', support: { istio: { level: 'full', note: '' }, linkerd: { level: 'full', note: '' } } },
  ],
  missing: [{ id: 'native', reason: 'not published' }],
};

describe('compare view components', () => {
  it('shows each mesh level with its note and can narrow the table to the gaps', () => {
    render(<CapabilityTable matrix={matrix} />);
    const mirror = screen.getByText('mirror').closest('tr');
    expect(mirror && within(mirror).getByText('no mirroring')).toBeTruthy();
    expect(screen.getByText('redirect')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Only features some mesh lacks'));
    expect(screen.queryByText('redirect')).toBeNull();
    expect(screen.getByText(/not published/)).toBeTruthy();
  });

  it('lists a lost feature per mesh with its diagnostic path and the mesh note', () => {
    const reports: MeshGapReport[] = [
      {
        mesh: 'linkerd',
        displayName: 'Linkerd',
        gaps: [
          {
            kind: 'lost',
            feature: 'mirror',
            object: 'TrafficRoute/bookstore/reviews',
            note: 'no mirroring',
            diagnostic: {
              code: 'AM4001',
              severity: 'warning',
              file: '/x/routes.yaml',
              line: 21,
              col: 7,
              path: 'spec.rules[1].mirror',
              message: 'linkerd cannot express mirror',
            },
          },
        ],
      },
      { mesh: 'istio', displayName: 'Istio', gaps: [] },
    ];
    render(<PolicyGaps reports={reports} />);
    const linkerd = screen.getByLabelText('Linkerd: what your policies lose');
    expect(within(linkerd).getByText('spec.rules[1].mirror')).toBeTruthy();
    expect(within(linkerd).getByText('Mesh note: no mirroring')).toBeTruthy();
    expect(within(screen.getByLabelText('Istio: what your policies lose')).getByText(/translates exactly/)).toBeTruthy();
  });
});

describe('topology components', () => {
  it('filters 300 services by name and selects one from the keyboard-reachable list', () => {
    const topology = generateTopology(300);
    const chosen: string[] = [];
    render(<ServiceList topology={topology} selected={undefined} onSelect={(id) => chosen.push(id)} />);
    expect(screen.getByText('100 more: narrow the filter.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Find a service'), { target: { value: 'svc-123' } });
    const button = screen.getByRole('button', { name: /svc-123/ });
    act(() => button.click());
    expect(chosen).toEqual(['team-3/svc-123']);
  });

  it('shows a service versions, instances up and the configured split', () => {
    const topology = generateTopology(5);
    const base = topology.nodes[0];
    if (!base) throw new Error('fixture has no node');
    const service = {
      ...base,
      versions: [
        { name: 'v1', instances: [{ id: 'a', address: 'h:1', up: true }], observedPercent: 80 },
        { name: 'v3', instances: [{ id: 'b', address: 'h:2', up: false }], observedPercent: 20 },
      ],
      splits: [
        {
          rule: 'reviews-api',
          when: 'path prefix /reviews',
          weights: [
            { version: 'v1', percent: 80 },
            { version: 'v3', percent: 20 },
          ],
        },
      ],
    };
    render(<ServicePanel service={service} topology={topology} />);
    const v3 = screen.getByRole('row', { name: /v3/ });
    expect(within(v3).getByText('0/1')).toBeTruthy();
    expect(screen.getByText(/v1 80% · v3 20%/)).toBeTruthy();
  });
});

describe('YAML view', () => {
  it('puts a diagnostic under the line it points at', () => {
    render(
      <YamlView
        label="routes"
        text={'a: 1\nweight: -80\n'}
        diagnostics={[{ code: 'AM2001', severity: 'error', file: 'f', line: 2, col: 9, path: 'spec.weight', message: 'must be >= 0' }]}
      />,
    );
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('AM2001 error: must be >= 0 (spec.weight)');
    expect(note.parentElement?.textContent).toContain('weight: -80');
  });
});
