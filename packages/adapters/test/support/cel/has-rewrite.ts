/**
 * CEL's `has(e.f)` macro accepts any expression `e` (the spec: "tests whether field f is present in
 * e"), and Gateway API's rules use it on indexed values: `has(self.matches[0].path)`. Our CEL
 * library only accepts a plain `a.b.c` chain, so such a call is rewritten to the equivalent map
 * test `'f' in (e)`. Every CRD value is a JSON object (a CEL map, never a message), for which the
 * two are the same by definition.
 */
export function rewriteHasMacros(rule: string): string {
  let out = '';
  let i = 0;
  while (i < rule.length) {
    const quote = rule[i];
    if (quote === '"' || quote === "'") {
      const end = stringEnd(rule, i);
      out += rule.slice(i, end);
      i = end;
      continue;
    }
    if (rule.startsWith('has(', i) && !/[\w.]/.test(rule[i - 1] ?? '')) {
      const close = matchingParen(rule, i + 3);
      const inner = rewriteHasMacros(rule.slice(i + 4, close).trim());
      out += isSimpleSelection(inner) ? `has(${inner})` : presenceTest(inner);
      i = close + 1;
      continue;
    }
    out += rule[i];
    i++;
  }
  return out;
}

function isSimpleSelection(expression: string): boolean {
  return /^[A-Za-z_]\w*(\s*\.\s*[A-Za-z_]\w*)+$/.test(expression);
}

function presenceTest(selection: string): string {
  const dot = lastTopLevelDot(selection);
  if (dot === -1) throw new Error(`has() needs a field selection, got ${selection}`);
  const field = selection.slice(dot + 1).trim();
  if (!/^[A-Za-z_]\w*$/.test(field)) throw new Error(`has() needs a field name after the last dot, got ${selection}`);
  return `('${field}' in (${selection.slice(0, dot).trim()}))`;
}

function lastTopLevelDot(expression: string): number {
  let depth = 0;
  let last = -1;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      i = stringEnd(expression, i) - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '.' && depth === 0) last = i;
  }
  return last;
}

/** Index just past the string literal that starts at `start` (backslash escapes honoured). */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  throw new Error(`unterminated string in CEL rule: ${text}`);
}

/** Index of the `)` that closes the `(` at `open`. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") i = stringEnd(text, i) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in CEL rule: ${text}`);
}
