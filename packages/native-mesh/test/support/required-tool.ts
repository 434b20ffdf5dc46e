import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why a test is skipped when it is skipped without running (see describeWithTool); the summary reporter lists it. */
    skipReason?: string;
  }
}

/** A program a suite drives for real (a browser, a Prometheus server), and how a user gets it. */
export interface RequiredTool {
  readonly name: string;
  /** An environment variable naming the program's path, tried first. */
  readonly pathVariable: string;
  readonly defaultPaths: readonly string[];
  /** The exact command that installs it (Debian), shown when it is missing. */
  readonly install: string;
  /** The variable a user sets to 1 to skip the suites that need it, explicitly. */
  readonly optOut: string;
}

export type ToolLookup =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly optedOut: boolean; readonly message: string };

/**
 * Where the tool is, or why not. Depends only on the tool's own variables, never on `CI` or
 * anything else ambient: a missing tool is a failure wherever the suite runs, unless the user opted out.
 */
export function findTool(tool: RequiredTool): ToolLookup {
  const fromVariable = process.env[tool.pathVariable];
  const candidates = fromVariable ? [fromVariable] : tool.defaultPaths;
  const path = candidates.find((p) => existsSync(p));
  if (path !== undefined) return { found: true, path };
  const where = fromVariable ? `at ${tool.pathVariable}=${fromVariable}` : `at ${tool.defaultPaths.join(' or ')}`;
  const optedOut = process.env[tool.optOut] === '1';
  const message = optedOut
    ? `${tool.name} is not installed (${where}) and ${tool.optOut}=1 opts out of the tests that need it`
    : `${tool.name} is not installed (${where}): install it with \`${tool.install}\` (or set ${tool.pathVariable}), ` +
      `or set ${tool.optOut}=1 to skip the tests that need it`;
  return { found: false, optedOut, message };
}

/**
 * `describe` for a suite that needs `tool`. Found: the suite runs. Missing: the suite is one failing
 * test whose error says how to install it; with the opt-out set, every test of the suite is skipped
 * and carries the reason as `meta.skipReason` (which the summary reporter lists).
 */
export function describeWithTool(tool: RequiredTool, name: string, body: (path: string) => void): void {
  const lookup = findTool(tool);
  if (lookup.found) {
    describe(name, () => body(lookup.path));
  } else if (lookup.optedOut) {
    describe(name, { skip: true, meta: { skipReason: lookup.message } }, () => body(''));
  } else {
    describe(name, () => {
      it(`has ${tool.name} installed`, () => {
        throw new Error(lookup.message);
      });
    });
  }
}
