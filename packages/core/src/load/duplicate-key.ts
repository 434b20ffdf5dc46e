import type { Document, Node } from 'yaml';
import type { FieldPath } from '../diagnostics/field-path.js';
import { yamlLib } from './yaml-lib.js';

export interface DuplicateKey {
  /** The key as written. */
  readonly key: string;
  /** The path of the mapping that holds the key twice. */
  readonly path: FieldPath;
  /** Where the key is first written (the error is at its repeat), when found. */
  readonly firstAt: number | undefined;
}

/**
 * The repeated key whose second occurrence starts at `offset` (the YAML parser's DUPLICATE_KEY position).
 * The parser keeps both pairs in the mapping, so both can be named. An explicit stack: nothing here needs
 * recursion.
 */
export function duplicateKeyAt(doc: Document.Parsed, offset: number): DuplicateKey | undefined {
  const { isMap, isPair, isSeq } = yamlLib();
  const stack: { node: unknown; path: FieldPath }[] = [{ node: doc.contents, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, path } = next;
    if (isSeq(node)) node.items.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    if (!isMap(node)) continue;
    const pairs = node.items.filter((p) => isPair(p));
    for (const pair of pairs) stack.push({ node: pair.value, path: [...path, keyText(pair.key)] });
    const repeat = pairs.find((p) => rangeStart(p.key) === offset);
    if (!repeat) continue;
    const key = keyText(repeat.key);
    const first = pairs.find((p) => p !== repeat && keyText(p.key) === key);
    return { key, path, firstAt: first ? rangeStart(first.key) : undefined };
  }
  return undefined;
}

function keyText(key: unknown): string {
  const { isScalar } = yamlLib();
  return isScalar(key) ? String(key.value) : String(key);
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
