import type { CST } from 'yaml';

/**
 * Collections (mappings and sequences, block or flow) may nest this deep in one document, no deeper.
 * The YAML composer, toJS and the schema validator recurse once per level; 20,000 levels overflow the
 * stack. Policies nest about 8 deep; 100 leaves room for anything real.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * The offset of the first collection nested deeper than `MAX_NESTING_DEPTH` in a parsed (CST) document,
 * or undefined. An explicit stack, not recursion: this runs before anything that recurses.
 */
export function tooDeepAt(document: CST.Document): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = document.value ? [{ token: document.value, depth: 0 }] : [];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token, depth } = next;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > MAX_NESTING_DEPTH) return token.offset;
    for (const item of token.items as readonly CST.CollectionItem[]) {
      if (item.key) stack.push({ token: item.key, depth: depth + 1 });
      if (item.value) stack.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}
