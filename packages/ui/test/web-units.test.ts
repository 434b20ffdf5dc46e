import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../web/app/route.js';
import { diffLines } from '../web/policies/line-diff.js';
import { tokenizeYamlLine } from '../web/primitives/yaml-tokens.js';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from '../web/topology/layout.js';
import { quickLayers } from '../web/topology/quick-layers.js';
import { edgeLabel, structureKey, toFlowEdges } from '../web/topology/to-flow.js';
import { generateTopology } from './fixtures/topology-300.js';

describe('YAML highlighting', () => {
  it('splits a line into key, punctuation, strings, numbers and comments without changing the text', () => {
    const line = `  - { version: v1, weight: 80, note: 'a: b' } # split`;
    const tokens = tokenizeYamlLine(line);
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['version', 'weight', 'note']);
    expect(tokens.find((t) => t.kind === 'number')?.text).toBe('80');
    expect(tokens.find((t) => t.kind === 'string')?.text).toBe(`'a: b'`);
    expect(tokens.at(-1)).toEqual({ kind: 'comment', text: '# split' });
  });

  it('does not take a # inside a word for a comment', () => {
    expect(tokenizeYamlLine('url: http://x/#frag').some((t) => t.kind === 'comment')).toBe(false);
  });
});

describe('translation diff', () => {
  it('marks lines only in the left, only in the right, and shared', () => {
    expect(diffLines('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'left', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'right', text: 'd' },
    ]);
  });
});

describe('deep links', () => {
  it('round-trips a view and its selected service through the hash', () => {
    const href = routeHref('topology', { service: 'bookstore/reviews', edge: undefined });
    expect(href).toBe('#/topology?service=bookstore%2Freviews');
    const route = parseRoute(href);
    expect(route.view).toBe('topology');
    expect(route.params.get('service')).toBe('bookstore/reviews');
  });

  it('falls back to the topology for an unknown view', () => {
    expect(parseRoute('#/nope').view).toBe('topology');
  });
});

describe('large topologies', () => {
  // 120 services take the large-graph layout path at a quarter of the cost; the benchmark lays out all 300 in Chromium.
  it('lays out every service of a large graph without two nodes overlapping', async () => {
    const topology = generateTopology(120);
    const positions = await layoutGraph(
      topology.nodes.map((n) => n.id),
      topology.edges,
    );
    expect(positions.size).toBe(120);
    const boxes = [...positions.values()].sort((a, b) => a.x - b.x || a.y - b.y);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length && (boxes[j]?.x ?? 0) < (boxes[i]?.x ?? 0) + NODE_WIDTH; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (a && b) expect(Math.abs(a.y - b.y) >= NODE_HEIGHT || Math.abs(a.x - b.x) >= NODE_WIDTH).toBe(true);
      }
    }
  });

  it('keeps its structure key across a traffic refresh, so the layout is not redone', () => {
    expect(structureKey(generateTopology(300, 1))).toBe(structureKey(generateTopology(300, 0)));
    const source = generateTopology(300).edges[0]?.source;
    expect(toFlowEdges(generateTopology(300, 1), undefined, source)[0]?.label).not.toBe(
      toFlowEdges(generateTopology(300, 0), undefined, source)[0]?.label,
    );
  });

  it('labels only the edges around the selected service when there are hundreds', () => {
    const topology = generateTopology(300);
    const source = topology.edges[0]?.source;
    const labelled = toFlowEdges(topology, undefined, source).filter((e) => e.label !== undefined);
    expect(labelled.length).toBeGreaterThan(0);
    expect(labelled.every((e) => e.source === source || e.target === source)).toBe(true);
    expect(toFlowEdges(generateTopology(20), undefined).every((e) => e.label !== undefined)).toBe(true);
  });

  it('labels an edge with rate, success and p99, and a declared edge as waiting for traffic', () => {
    const edge = generateTopology(10).edges[0];
    expect(edge && edgeLabel(edge)).toMatch(/^\d+(\.\d)? req\/s · [\d.]+% · p99 \d+ ms$/);
    expect(edgeLabel({ id: 'a>b', source: 'a', target: 'b', origin: 'declared', health: 'unknown' })).toBe('no traffic yet');
  });
});

describe('provisional layout', () => {
  it('places each service one column right of its furthest caller, and survives a cycle', () => {
    const points = quickLayers(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'a', target: 'c' },
        { source: 'c', target: 'b' },
      ],
    );
    expect(points.get('a')?.x).toBe(0);
    expect(points.get('d')).toEqual({ x: 0, y: NODE_HEIGHT + 36 });
    expect(points.size).toBe(4);
    expect((points.get('c')?.x ?? 0) > 0 && (points.get('b')?.x ?? 0) > 0).toBe(true);
  });
});
