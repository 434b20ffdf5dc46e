import { HOP_BY_HOP } from './headers.js';

/**
 * End-to-end headers of a raw header list (name, value, name, value… as an HTTP client hands them
 * over) as a flat list `writeHead` takes: hop-by-hop ones and those the Connection header names are
 * dropped, the rest keep their order and repetitions (set-cookie).
 */
export function forwardableRawHeaders(raw: readonly Buffer[]): string[] {
  const out: string[] = [];
  let named: string[] | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1');
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'connection') named = connectionTokens(raw[i + 1]!.toString('latin1'), named);
      continue;
    }
    out.push(name, raw[i + 1]!.toString('latin1'));
  }
  return named === undefined ? out : withoutNamed(out, named);
}

function connectionTokens(value: string, previous: string[] | undefined): string[] | undefined {
  const tokens = value
    .toLowerCase()
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && t !== 'keep-alive' && t !== 'close');
  if (tokens.length === 0) return previous;
  return [...(previous ?? []), ...tokens];
}

function withoutNamed(flat: readonly string[], named: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) if (!named.includes(flat[i]!.toLowerCase())) out.push(flat[i]!, flat[i + 1]!);
  return out;
}
