// Generates docs/capabilities.md from each implementation's capability table (the built packages:
// `pnpm gen:capabilities` builds them first), so the published comparison cannot drift from the data
// the CLI and the dashboard show. `--check` fails when the file is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adapterColumns, capabilityDocument } from '../packages/adapters/dist/index.js';
import { NATIVE_CAPABILITIES } from '../packages/native-mesh/dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'docs', 'capabilities.md');

/** Every column of the comparison; another implementation's table is one more entry here. */
function columns() {
  return [...adapterColumns(), { name: 'native', displayName: 'the native mesh', capabilities: NATIVE_CAPABILITIES }];
}

const text = capabilityDocument(columns());
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error('docs/capabilities.md is not current: run `pnpm gen:capabilities`');
    process.exit(1);
  }
} else writeFileSync(out, text);
