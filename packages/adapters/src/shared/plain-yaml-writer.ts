import { Document } from 'yaml';

/**
 * Writes a manifest as YAML exactly as `stringify(m, { lineWidth: 0, aliasDuplicateObjects: false,
 * version: '1.1' })` does, for the plain manifests translators produce: block mappings and sequences of
 * one-line strings of printable ASCII (plain, or quoted without escapes), finite numbers, booleans and
 * null. Anything else (a line break, a backslash, non-ASCII, a string with both kinds of quote, a
 * sequence directly in a sequence, an undefined value, a non-plain object) makes it answer undefined,
 * and the caller uses `stringify`. The `yaml` library builds a node tree per manifest before writing
 * it: at 10,000 services most of `anymesh translate`'s time and garbage.
 */
export function plainManifestYaml(manifest: unknown): string | undefined {
  if (!isPlainObject(manifest) || Object.keys(manifest).length === 0) return undefined;
  const lines: string[] = [];
  return writeMap(manifest, '', lines) ? `${lines.join('\n')}\n` : undefined;
}

/** Printable ASCII: anything else (a line break, a backslash, non-ASCII) is left to the `yaml` library. */
const WRITABLE = /^[\x20-\x5b\x5d-\x7e]+$/;
/** The `yaml` library's rule (stringifyString's plainString) for a string it will not write plain. */
const NEEDS_QUOTES = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Strings the `yaml` library writes in block style or indents specially. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/;
/** Longer keys are written as explicit keys (`? key`). */
const MAX_KEY_LENGTH = 1000;

/** The YAML 1.1 schema's tests for non-string scalars: a string matching one is double-quoted (as `yaml` does). */
let nonStringTests: readonly RegExp[] | undefined;

function nonStringTestsOf(): readonly RegExp[] {
  nonStringTests ??= new Document(null, { version: '1.1' }).schema.tags
    .filter((tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test)
    .map((tag) => tag.test!);
  return nonStringTests;
}

function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': {
      if (value === '') return '""';
      // `<<` is a YAML 1.1 merge key to the yaml library, which writes it its own way.
      if (value.length > MAX_KEY_LENGTH || !WRITABLE.test(value) || DOCUMENT_MARKER.test(value) || value === '<<') return undefined;
      if (!NEEDS_QUOTES.test(value) && !nonStringTestsOf().some((test) => test.test(value))) return value;
      // Quoted as the yaml library quotes one line without escapes: single quotes when it holds only double ones.
      const hasDouble = value.includes('"');
      if (hasDouble && value.includes("'")) return undefined;
      return hasDouble ? `'${value}'` : `"${value}"`;
    }
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A block mapping at `indent`. Its first line is pushed whole (the caller's prefix, e.g. `- `, is added
 * by the caller to it); false when something in it is outside what this writer writes.
 */
function writeMap(map: Record<string, unknown>, indent: string, lines: string[]): boolean {
  for (const key of Object.keys(map)) {
    const name = scalar(key);
    const value = map[key];
    if (name === undefined || value === undefined) return false;
    if (!writeEntry(`${indent}${name}:`, value, `${indent}  `, lines)) return false;
  }
  return true;
}

/** `head` (a key with its colon, or a dash) followed by `value`: inline when a scalar or empty, else below it. */
function writeEntry(head: string, value: unknown, childIndent: string, lines: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${head} []`);
      return true;
    }
    lines.push(head);
    return writeSeq(value, childIndent, lines);
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) {
      lines.push(`${head} {}`);
      return true;
    }
    lines.push(head);
    return writeMap(value, childIndent, lines);
  }
  const text = scalar(value);
  if (text === undefined) return false;
  lines.push(`${head} ${text}`);
  return true;
}

/** A block sequence at `indent`: `- item`; a mapping item starts on the dash's line. */
function writeSeq(seq: readonly unknown[], indent: string, lines: string[]): boolean {
  for (const item of seq) {
    if (Array.isArray(item) && item.length > 0) return false; // `- - x`: left to the yaml library
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      const first = lines.length;
      if (!writeMap(item, `${indent}  `, lines)) return false;
      lines[first] = `${indent}- ${lines[first]!.slice(indent.length + 2)}`;
    } else if (!writeEntry(`${indent}-`, item, `${indent}  `, lines)) return false;
  }
  return true;
}
