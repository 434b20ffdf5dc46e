export type TokenKind = 'comment' | 'key' | 'string' | 'number' | 'literal' | 'punct' | 'anchor' | 'text';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/*
 * A line tokenizer for highlighting YAML as the adapters and users write it: block mappings and
 * sequences, flow collections, quoted and plain scalars, comments, anchors. It never changes the
 * text (the tokens concatenate back to the line), so a wrong guess only costs a colour.
 */
const RULES: readonly [TokenKind, RegExp][] = [
  ['comment', /^#.*/],
  ['string', /^"(?:[^"\\]|\\.)*"?/],
  ['string', /^'(?:[^']|'')*'?/],
  ['key', /^[^\s#'"{}[\],:][^#{}[\],:]*?(?=:(?:\s|$))/],
  ['punct', /^(?:---|\.\.\.|[-?](?=\s|$)|[:{}[\],|>])/],
  ['anchor', /^[&*!][^\s{}[\],]+/],
  ['number', /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|\.inf|\.nan)(?=[\s,\]}]|$)/],
  ['literal', /^(?:true|false|null|~|yes|no)(?=[\s,\]}]|$)/],
  ['text', /^\s+/],
  ['text', /^[^\s#,{}[\]:]+(?::[^\s,{}[\]]+)*/],
  ['text', /^./],
];

export function tokenizeYamlLine(line: string): Token[] {
  const tokens: Token[] = [];
  let rest = line;
  let atWordStart = true;
  while (rest.length > 0) {
    let matched = false;
    for (const [kind, re] of RULES) {
      if (kind === 'comment' && !atWordStart) continue;
      const m = re.exec(rest);
      if (!m || m[0] === '') continue;
      const last = tokens.at(-1);
      if (kind === 'text' && last?.kind === 'text') tokens[tokens.length - 1] = { kind, text: last.text + m[0] };
      else tokens.push({ kind, text: m[0] });
      atWordStart = /\s$/.test(m[0]);
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (!matched) break;
  }
  return tokens;
}
