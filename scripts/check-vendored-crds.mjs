#!/usr/bin/env node
// Checks the vendored upstream CRDs (third_party/crds) against their pinned list, pins.json:
// every pinned file is present with its sha256, every CRD still defines the pinned group, kind
// and versions, each <project>/<version>/ folder has its upstream LICENSE and a README, and no
// other file is there. Exit 0 when all holds, 1 with one line per problem otherwise.
//
//   node scripts/check-vendored-crds.mjs [--dir third_party/crds]
//   node scripts/check-vendored-crds.mjs --update   rewrite pins.json from the files (review the diff)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DEFAULT_DIR = fileURLToPath(new URL('../third_party/crds/', import.meta.url));
const PINS = 'pins.json';
/** Files that carry no CRD but must be pinned too: an upstream licence may not change unnoticed. */
const LICENCE_FILES = new Set(['LICENSE', 'NOTICE']);
/** Our own documentation: required where it is, not pinned (it may be edited freely). */
const DOC_FILE = 'README.md';

function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
}

const toPosix = (path) => path.split(sep).join('/');
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** `v1*` is the storage version; `(not served)` marks a version the API server rejects. */
function describeCrd(path) {
  const doc = parse(readFileSync(path, 'utf8'));
  const spec = doc?.spec;
  if (doc?.kind !== 'CustomResourceDefinition' || !spec?.group || !spec?.names?.kind || !Array.isArray(spec.versions)) {
    throw new Error('not a CustomResourceDefinition with spec.group, spec.names.kind and spec.versions');
  }
  const versions = spec.versions.map((v) => `${v.name}${v.storage ? '*' : ''}${v.served ? '' : ' (not served)'}`);
  return { group: spec.group, kind: spec.names.kind, versions };
}

/** What the folder holds now, in the shape of pins.json. */
function currentPins(dir) {
  const pins = {};
  for (const path of walk(dir)) {
    const rel = toPosix(relative(dir, path));
    const name = rel.split('/').pop();
    if (rel === PINS || name === DOC_FILE) continue;
    pins[rel] = name.endsWith('.yaml') ? { sha256: sha256(path), ...describeCrd(path) } : { sha256: sha256(path) };
  }
  return pins;
}

/** `<project>/<version>` of a pinned path: its first two segments. */
const releaseFolder = (rel) => rel.split('/').slice(0, 2).join('/');

function checkFile(dir, rel, pin, problems) {
  const path = join(dir, rel);
  const actual = sha256(path);
  if (actual !== pin.sha256) problems.push(`${rel}: changed (sha256 ${actual}, pinned ${pin.sha256})`);
  if (!rel.endsWith('.yaml')) return;
  let crd;
  try {
    crd = describeCrd(path);
  } catch (error) {
    problems.push(`${rel}: ${error.message}`);
    return;
  }
  for (const field of ['group', 'kind']) {
    if (crd[field] !== pin[field]) problems.push(`${rel}: ${field} is ${crd[field]}, pinned ${pin[field]}`);
  }
  if (crd.versions.join(', ') !== pin.versions.join(', ')) {
    problems.push(`${rel}: versions are ${crd.versions.join(', ')}, pinned ${pin.versions.join(', ')}`);
  }
}

/** Every problem with the vendored folder, one line each; empty when it matches its pins. */
export function checkVendoredCrds(dir = DEFAULT_DIR) {
  const pinned = JSON.parse(readFileSync(join(dir, PINS), 'utf8')).files;
  const problems = [];
  const present = new Set();
  for (const path of walk(dir)) {
    const rel = toPosix(relative(dir, path));
    const name = rel.split('/').pop();
    if (rel === PINS || name === DOC_FILE) continue;
    present.add(rel);
    if (!(rel in pinned)) problems.push(`${rel}: not in ${PINS} (an extra file; pin it with --update if it belongs)`);
  }
  const releases = new Set();
  for (const [rel, pin] of Object.entries(pinned)) {
    releases.add(releaseFolder(rel));
    if (!present.has(rel)) problems.push(`${rel}: missing (pinned in ${PINS})`);
    else checkFile(dir, rel, pin, problems);
  }
  for (const release of [...releases].sort()) {
    for (const required of ['LICENSE', DOC_FILE]) {
      if (!statSync(join(dir, release), { throwIfNoEntry: false })?.isDirectory()) continue;
      if (!statSync(join(dir, release, required), { throwIfNoEntry: false })) problems.push(`${release}/${required}: missing`);
    }
  }
  if (!statSync(join(dir, DOC_FILE), { throwIfNoEntry: false })) problems.push(`${DOC_FILE}: missing`);
  return problems;
}

function main(argv) {
  const dirFlag = argv.indexOf('--dir');
  const dir = dirFlag === -1 ? DEFAULT_DIR : resolve(argv[dirFlag + 1] ?? '');
  if (argv.includes('--update')) {
    const files = currentPins(dir);
    writeFileSync(join(dir, PINS), `${JSON.stringify({ files }, null, 2)}\n`);
    console.log(`pinned ${Object.keys(files).length} files in ${join(dir, PINS)}`);
    return 0;
  }
  const problems = checkVendoredCrds(dir);
  for (const p of problems) console.error(`${toPosix(relative(process.cwd(), dir)) || '.'}/${p}`);
  if (problems.length > 0) return 1;
  console.log(`vendored CRDs match ${PINS}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
