export interface DiffLine {
  readonly kind: 'same' | 'left' | 'right';
  readonly text: string;
}

/**
 * A line diff by longest common subsequence. Translations are a few thousand lines at most; above
 * MAX_CELLS the table would be too large, so the diff falls back to showing both sides whole.
 */
const MAX_CELLS = 4_000_000;

export function diffLines(left: string, right: string): DiffLine[] {
  const a = left.split('\n');
  const b = right.split('\n');
  if (a.length * b.length > MAX_CELLS) {
    return [...a.map((text) => ({ kind: 'left' as const, text })), ...b.map((text) => ({ kind: 'right' as const, text }))];
  }
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] ?? '' });
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) out.push({ kind: 'left', text: a[i++] ?? '' });
    else out.push({ kind: 'right', text: b[j++] ?? '' });
  }
  while (i < a.length) out.push({ kind: 'left', text: a[i++] ?? '' });
  while (j < b.length) out.push({ kind: 'right', text: b[j++] ?? '' });
  return out;
}
