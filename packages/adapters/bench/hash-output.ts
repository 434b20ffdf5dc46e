/**
 * `node hash-output.js <services>`: a SHA-256 of each mesh's translation of the generated model (YAML and
 * diagnostics) and of validate's diagnostics: run before and after a performance change, the hashes must
 * not move (the output is byte-identical).
 */
import { createHash } from 'node:crypto';
import { loadTexts } from '@anymesh/core';
import { adapterFor, manifestsToYaml } from '@anymesh/adapters';
import { generateModel } from './model.js';

const services = Number(process.argv[2] ?? 1000);
const loaded = loadTexts(generateModel({ services }).map((f) => ({ file: f.file, text: f.text })));
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
process.stdout.write(`validate ${sha(JSON.stringify(loaded.diagnostics))}\n`);
for (const mesh of ['istio', 'linkerd', 'consul']) {
  const { manifests, diagnostics } = adapterFor(mesh)!.translate(loaded.set);
  process.stdout.write(`${mesh} yaml ${sha(manifestsToYaml(manifests))} diagnostics ${sha(JSON.stringify(diagnostics))}\n`);
}
