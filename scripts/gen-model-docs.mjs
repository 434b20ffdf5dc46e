// Generates docs/model-reference.md (every kind and field, with description and default) from
// schemas/v1alpha1, so the reference cannot drift from the schemas. `--check` fails when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'schemas', 'v1alpha1');
const out = join(root, 'docs', 'model-reference.md');
const kinds = ['mesh', 'service', 'trafficroute', 'trafficpolicy', 'accesspolicy', 'rollout', 'workload'];
const common = JSON.parse(readFileSync(join(dir, 'common.schema.json'), 'utf8'));

function resolve(node, self) {
  if (!node || typeof node.$ref !== 'string') return node;
  const [file, pointer] = node.$ref.split('#');
  const base = file ? (file === 'common.schema.json' ? common : null) : self;
  const target = pointer
    .split('/')
    .slice(1)
    .reduce((o, k) => o?.[k], base);
  return { ...target, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
}

function typeOf(s) {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (s.oneOf) return 'one of: ' + s.oneOf.map((b) => (b.required ?? []).join('+')).join(' \\| ');
  if (s.type === 'array') return 'list';
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return 'map';
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? s.title ?? '');
}

function rows(schema, self, path, acc) {
  const s = resolve(schema, self);
  const props = s.properties ?? {};
  for (const [name, raw] of Object.entries(props)) {
    const p = resolve(raw, self);
    const required = (s.required ?? []).includes(name);
    const def = p.default !== undefined ? ` Default: \`${JSON.stringify(p.default)}\`.` : '';
    const desc = (p.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    acc.push(`| \`${path}${name}\` | ${typeOf(p)} | ${required ? 'yes' : ''} | ${desc}${desc.includes('Default') ? '' : def} |`);
    const child = p.type === 'array' ? resolve(p.items, self) : p;
    if (child?.properties) rows(child, self, `${path}${name}${p.type === 'array' ? '[]' : ''}.`, acc);
    if (child?.oneOf) for (const b of child.oneOf) if (b.properties) rows(b, self, `${path}${name}.`, acc);
    if (child?.additionalProperties && typeof child.additionalProperties === 'object') {
      const v = resolve(child.additionalProperties, self);
      if (v.properties) rows(v, self, `${path}${name}.<key>.`, acc);
      if (v.oneOf) for (const b of v.oneOf) if (b.properties) rows(b, self, `${path}${name}.<key>.`, acc);
    }
  }
  return acc;
}

function generate() {
  const parts = [
    '# Model reference (anymesh.io/v1alpha1)',
    '',
    'Generated from `schemas/v1alpha1` by `node scripts/gen-model-docs.mjs`; do not edit by hand. The semantics behind the fields are in [model.md](model.md).',
  ];
  for (const k of kinds) {
    const schema = JSON.parse(readFileSync(join(dir, `${k}.schema.json`), 'utf8'));
    parts.push('', `## ${schema.title}`, '', schema.description, '', '| field | type | required | meaning |', '|---|---|---|---|');
    parts.push(...rows(schema.properties.spec, schema, 'spec.', []));
    parts.push('', '```yaml', ...toYaml(schema.examples[0]), '```');
  }
  return parts.join('\n') + '\n';
}

function toYaml(value, indent = '') {
  if (Array.isArray(value))
    return value.flatMap((v) => {
      const [first, ...rest] = toYaml(v, indent + '  ');
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      v && typeof v === 'object' && Object.keys(v).length
        ? [`${indent}${k}:`, ...toYaml(v, indent + '  ')]
        : [`${indent}${k}: ${JSON.stringify(v)}`],
    );
  }
  return [`${indent}${JSON.stringify(value)}`];
}

const text = generate();
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error('docs/model-reference.md is stale: run `node scripts/gen-model-docs.mjs`');
    process.exit(1);
  }
} else writeFileSync(out, text);
