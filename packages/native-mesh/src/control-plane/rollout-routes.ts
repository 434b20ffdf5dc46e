import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadTexts, namespaceOf, type Rollout, type RolloutCommand, type SourceText } from '@anymesh/core';
import { parseAllDocuments } from 'yaml';
import type { RolloutCommandRefused, RolloutEventList, RolloutList, StartRolloutResponse } from '../protocol/rollouts.js';
import type { RolloutController } from '../rollout/controller.js';
import { rolloutKey } from '../rollout/store.js';
import { HttpError, readJsonBody, sendJson } from './http-io.js';
import type { MeshState } from './mesh-state.js';
import type { Route } from './routes.js';
import { requireAdmin } from './security/auth.js';

const COMMANDS: readonly RolloutCommand[] = ['promote', 'pause', 'resume', 'abort', 'retry'];

/** The rollout API (protocol/rollouts.ts); every endpoint needs the admin token. */
export function rolloutRoutes(state: MeshState, controller: RolloutController): Route[] {
  const known = (namespace: string, name: string) => {
    const status = controller.status(namespace, name);
    if (!status) throw new HttpError(404, 'UNKNOWN_ROLLOUT', `no rollout ${namespace}/${name}`);
    return status;
  };

  return [
    {
      method: 'GET',
      pattern: /^\/v1\/rollouts$/,
      handle: (_req, res, _url, _params, who) => {
        requireAdmin(who);
        sendJson(res, 200, { rollouts: controller.list() } satisfies RolloutList);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/rollouts$/,
      handle: async (req, res, _url, _params, who) => {
        requireAdmin(who);
        await start(req, res);
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/rollouts\/([^/]+)\/([^/]+)$/,
      handle: (_req, res, _url, [namespace = '', name = ''], who) => {
        requireAdmin(who);
        sendJson(res, 200, known(decode(namespace), decode(name)));
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/rollouts\/([^/]+)\/([^/]+)\/events$/,
      handle: (_req, res, url, [namespace = '', name = ''], who) => {
        requireAdmin(who);
        const after = afterOf(url);
        known(decode(namespace), decode(name));
        sendJson(res, 200, { events: controller.events(decode(namespace), decode(name), after) ?? [] } satisfies RolloutEventList);
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/rollouts\/([^/]+)\/([^/]+)\/([^/]+)$/,
      handle: async (_req, res, _url, [namespace = '', name = '', command = ''], who) => {
        requireAdmin(who);
        await runCommand(res, decode(namespace), decode(name), command);
      },
    },
  ];

  async function runCommand(response: ServerResponse, namespace: string, name: string, command: string): Promise<void> {
    if (!isCommand(command)) {
      throw new HttpError(400, 'UNKNOWN_COMMAND', `"${command}" is not a rollout command; use one of ${COMMANDS.join(', ')}`);
    }
    const status = known(namespace, name);
    const result = await controller.command(namespace, name, command);
    if (result?.done) return sendJson(response, 200, result.status);
    const refused: RolloutCommandRefused = {
      error: 'command-refused',
      command,
      phase: result?.phase ?? status.phase,
      message: result?.message ?? `cannot ${command} ${name}: it is no longer in the policies in force`,
    };
    sendJson(response, 409, refused);
  }

  async function start(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const source = parseStartBody(await readJsonBody(request));
    const read = theRolloutOf(source);
    // Not YAML: core's diagnostics say precisely where (file, line, column).
    if (read === 'unparsable') {
      return sendJson(response, 422, { started: false, diagnostics: loadTexts([source]).diagnostics } satisfies StartRolloutResponse);
    }
    if (!('rollout' in read)) {
      throw new HttpError(
        400,
        'NOT_ONE_ROLLOUT',
        `${source.file} must hold exactly one Rollout, not ${read.kinds.join(', ') || 'nothing'}; apply other objects with anymesh apply`,
      );
    }
    const { rollout } = read;
    const namespace = namespaceOf(rollout);
    const name = rollout.metadata.name;
    const sources = [...withoutRollout(state.sources, namespace, name), source];
    const result = await state.apply(sources, { restartRollouts: new Set([rolloutKey(namespace, name)]) });
    if (!result.applied) return sendJson(response, 422, { started: false, diagnostics: result.diagnostics } satisfies StartRolloutResponse);
    sendJson(response, 200, {
      started: true,
      status: known(namespace, name),
      diagnostics: result.diagnostics,
    } satisfies StartRolloutResponse);
  }
}

/**
 * The one Rollout `source` holds (its schema and semantics are checked with the whole set by the
 * apply), else the kinds it holds instead, or `unparsable` when it is not YAML.
 */
function theRolloutOf(source: SourceText): { rollout: Rollout } | { kinds: string[] } | 'unparsable' {
  const documents = parseAllDocuments(source.text);
  if (!Array.isArray(documents) || documents.some((d) => d.errors.length > 0)) return 'unparsable';
  const objects = documents.filter((d) => d.contents !== null).map((d) => d.toJS() as Partial<Rollout> | null);
  const [object] = objects;
  if (objects.length === 1 && object?.kind === 'Rollout' && typeof object.metadata?.name === 'string')
    return { rollout: object as Rollout };
  return { kinds: objects.map((o) => String(o?.kind ?? 'an object without kind')) };
}

/** The sources in force with any document defining Rollout `namespace/name` taken out (a source left empty is dropped). */
function withoutRollout(sources: readonly SourceText[], namespace: string, name: string): SourceText[] {
  const kept: SourceText[] = [];
  for (const source of sources) {
    const documents = parseAllDocuments(source.text);
    if (!Array.isArray(documents)) continue;
    const isIt = (value: unknown) => {
      const object = value as Partial<Rollout> | null;
      return object?.kind === 'Rollout' && object.metadata?.name === name && (object.metadata.namespace ?? 'default') === namespace;
    };
    const others = documents.filter((d) => !isIt(d.toJS()));
    if (others.length === documents.length) kept.push(source);
    else if (others.some((d) => d.contents !== null)) kept.push({ file: source.file, text: others.map(String).join('') });
  }
  return kept;
}

function parseStartBody(body: unknown): SourceText {
  const source = (body as { source?: Record<string, unknown> } | null)?.source;
  if (typeof source !== 'object' || source === null || typeof source['file'] !== 'string' || typeof source['text'] !== 'string') {
    throw new HttpError(
      400,
      'INVALID_ROLLOUT_REQUEST',
      'body must be { "source": { "file": "rollout.yaml", "text": "<one Rollout as YAML>" } }',
    );
  }
  return { file: source['file'], text: source['text'] };
}

function afterOf(url: URL): number {
  const raw = url.searchParams.get('after');
  if (raw === null) return 0;
  if (!/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'INVALID_AFTER', `after must be a non-negative integer event seq, got "${raw}"`);
  return Number(raw);
}

function isCommand(command: string): command is RolloutCommand {
  return (COMMANDS as readonly string[]).includes(command);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'INVALID_ROLLOUT_NAME', 'rollout namespace and name must be valid percent-encoding');
  }
}
