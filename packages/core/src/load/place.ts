import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type { FieldPath } from '../diagnostics/field-path.js';

/**
 * Where a node and its fields were written: a scalar (or alias) is its start offset; a mapping keeps,
 * per scalar key (the first of a repeated one), where the key was written and the value's place; a
 * sequence keeps its items' places.
 */
export type Place = number | undefined | Branch;

export interface Branch {
  readonly start: number | undefined;
  readonly entries?: ReadonlyMap<string, { readonly key: number | undefined; readonly value: Place }>;
  readonly items?: readonly Place[];
}

/** Position of the key (for map entries) or the item (for sequence entries) at `path`, or of its nearest ancestor. */
export function positionIn(root: Place, path: FieldPath, at: (offset: number) => SourcePosition): SourcePosition | undefined {
  let node = root;
  let best = startOf(node);
  for (const part of path) {
    if (typeof node !== 'object') break;
    if (node.entries) {
      const entry = node.entries.get(String(part));
      if (!entry) break;
      best = entry.key ?? best;
      node = entry.value;
    } else if (node.items && typeof part === 'number') {
      if (!(part in node.items)) break;
      node = node.items[part];
      best = startOf(node) ?? best;
    } else break;
  }
  return best === undefined ? undefined : at(best);
}

function startOf(place: Place): number | undefined {
  return typeof place === 'object' ? place.start : place;
}

/**
 * Line and column (1-based) of offsets in a text, as the `yaml` library's LineCounter gives them; the
 * line starts are found on first use.
 */
export function lineIndexOf(text: string): (offset: number) => { line: number; col: number } {
  let starts: number[] | undefined;
  return (offset) => {
    starts ??= lineStartsOf(text);
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1]! + 1 };
  };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
