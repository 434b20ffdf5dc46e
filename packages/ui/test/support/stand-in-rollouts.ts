import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PolicyObject, RolloutEvent, RolloutStatus } from '@anymesh/core';
import { body, type ExtraRoutes } from './stand-in-mesh.js';

/*
 * The control plane's rollout API (native-mesh protocol/rollouts.ts) as a stand-in over real HTTP,
 * for the dashboard server's tests: it answers from fixed data and records what it was sent. The
 * real controller is exercised by the browser e2e against `anymesh up`.
 */

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export interface StandInRollouts {
  readonly routes: ExtraRoutes;
  readonly received: Received[];
  rollouts: RolloutStatus[];
  events: RolloutEvent[];
  policies: PolicyObject[];
  /** What `POST /v1/rollouts` answers: status code and body. */
  startAnswer: { status: number; body: unknown };
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

export function standInRollouts(): StandInRollouts {
  const state: StandInRollouts = {
    received: [],
    rollouts: [],
    events: [],
    policies: [],
    startAnswer: { status: 422, body: { started: false, diagnostics: [] } },
    routes: (req, res) => {
      const url = req.url ?? '';
      if (!url.startsWith('/v1/rollouts') && !url.startsWith('/v1/config')) return false;
      void record(req).then(() => answer(req, res, url));
      return true;
    },
  };
  const record = async (req: IncomingMessage) => {
    const text = req.method === 'POST' ? await body(req) : '';
    state.received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    });
  };
  const answer = (req: IncomingMessage, res: ServerResponse, url: string) => {
    if (url.startsWith('/v1/config')) return json(res, 200, { version: 2, mesh: {}, policies: state.policies, instances: [] });
    if (req.method === 'GET' && url === '/v1/rollouts') return json(res, 200, { rollouts: state.rollouts });
    if (req.method === 'POST' && url === '/v1/rollouts') return json(res, state.startAnswer.status, state.startAnswer.body);
    const m = /^\/v1\/rollouts\/([^/]+)\/([^/?]+)(?:\/([a-z]+))?(?:\?after=(\d+))?$/.exec(url);
    const found = m && state.rollouts.find((r) => r.namespace === m[1] && r.name === m[2]);
    if (!m || !found) return json(res, 404, { error: { code: 'not-found', message: `no rollout ${m?.[1]}/${m?.[2]}` } });
    if (req.method === 'GET' && m[3] === undefined) return json(res, 200, found);
    if (req.method === 'GET' && m[3] === 'events')
      return json(res, 200, { events: state.events.filter((e) => e.seq > Number(m[4] ?? -1)) });
    if (req.method === 'POST' && m[3] === 'resume' && found.phase !== 'paused') {
      return json(res, 409, {
        error: 'command-refused',
        command: 'resume',
        phase: found.phase,
        message: `cannot resume ${found.name}: it is ${found.phase}, not paused`,
      });
    }
    if (req.method === 'POST') return json(res, 200, { ...found, phase: m[3] === 'pause' ? 'paused' : found.phase });
    return json(res, 405, {});
  };
  return state;
}
