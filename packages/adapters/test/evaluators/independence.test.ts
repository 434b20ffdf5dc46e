import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** Value imports (not `import type`) whose module lies outside this folder. */
function foreignValueImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
    const [, , typeOnly, spec] = m;
    if (typeOnly !== undefined || spec === undefined) continue;
    const local = spec.startsWith('.') && !relative(HERE, join(dirname(file), spec)).startsWith('..');
    if (!local) found.push(spec);
  }
  return found;
}

describe('fidelity evaluators are independent of what they check', () => {
  it('import no code (only types) from translators, shared helpers, core semantics or the neutral oracle', () => {
    const offenders = Object.fromEntries(
      sources(HERE)
        .map((f) => [relative(HERE, f), foreignValueImports(f)] as const)
        .filter(([, imports]) => imports.length > 0),
    );
    expect(offenders).toEqual({});
  });

  it('flags the imports the previous, dependent Linkerd evaluator had, and lets type-only and local ones through', () => {
    const previous = [
      "import { sharesOf, type RouteDecision } from '../../../src/shared/route-decision.js';",
      "import { compareSummaries, compileLinkerdMatch } from '../../../src/linkerd/linkerd-match.js';",
      "import { normalizePrefix } from '@anymesh/core';",
      "import type { GatewayMatch } from '../../../src/linkerd/http-match.js';",
      "import { rankOf } from './match.js';",
    ].join('\n');
    expect(foreignValueImports(join(HERE, 'linkerd', 'route.ts'), previous)).toEqual([
      '../../../src/shared/route-decision.js',
      '../../../src/linkerd/linkerd-match.js',
      '@anymesh/core',
    ]);
  });
});
